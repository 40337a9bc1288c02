import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { TooManyRequests } from '../../lib/errors.ts';
import { readForm } from '../../lib/forms.tsx';
import { renderPage } from '../../lib/render.tsx';
import { fieldErrors } from '../../lib/validation.ts';
import { sendContactMessage } from './contact.ts';
import { contactInput } from './schemas.ts';
import {
  AccessibilityPage,
  AmiPage,
  ContactPage,
  HomePage,
  LegalNoticePage,
  ListingsPage,
  PrivacyPage,
} from './views.tsx';

const single = (form: Record<string, string | string[]>) =>
  Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));

export const pageRoutes = new Hono<AppEnv>()
  .get('/', (c) => renderPage(c, { title: 'Accueil' }, <HomePage />))
  .get('/accessibilite', (c) =>
    renderPage(
      c,
      { title: 'Déclaration d’accessibilité' },
      <AccessibilityPage contactEmail={c.get('deps').config.CONTACT_EMAIL} />,
    ),
  )
  .get('/mentions-legales', (c) => {
    const { SITE_HOST_NAME, SITE_HOST_ADDRESS } = c.get('deps').config;
    return renderPage(
      c,
      { title: 'Mentions légales' },
      <LegalNoticePage host={{ name: SITE_HOST_NAME, address: SITE_HOST_ADDRESS }} />,
    );
  })
  .get('/donnees-personnelles', (c) =>
    renderPage(
      c,
      { title: 'Données personnelles' },
      <PrivacyPage contactEmail={c.get('deps').config.CONTACT_EMAIL} />,
    ),
  )
  .get('/contact', (c) =>
    renderPage(c, { title: 'Contact' }, <ContactPage contactEmail={c.get('deps').config.CONTACT_EMAIL} />),
  )
  .post('/contact', async (c) => {
    const contactEmail = c.get('deps').config.CONTACT_EMAIL;
    const form = await readForm(c.req);
    const parsed = contactInput.safeParse(form);
    if (!parsed.success) {
      return renderPage(
        c,
        { title: 'Erreur — Contact', status: 422 },
        <ContactPage contactEmail={contactEmail} values={single(form)} errors={fieldErrors(parsed.error)} />,
      );
    }
    try {
      await sendContactMessage(c, parsed.data);
    } catch (err) {
      if (!(err instanceof TooManyRequests)) throw err;
      return renderPage(
        c,
        { title: 'Erreur — Contact', status: 429 },
        <ContactPage contactEmail={contactEmail} values={single(form)} alert={err.message} />,
      );
    }
    return renderPage(
      c,
      { title: 'Message envoyé — Contact' },
      <ContactPage contactEmail={contactEmail} sent />,
    );
  })
  .get('/ami', (c) => renderPage(c, { title: 'AMI PTCE' }, <AmiPage />))
  .get('/annonces', (c) => renderPage(c, { title: 'Annonces de mutualisation' }, <ListingsPage />));
