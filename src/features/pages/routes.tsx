import { Hono } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { TooManyRequests } from '../../lib/errors.ts';
import { type FormRenderer, type FormValues, validForm } from '../../lib/form.ts';
import { renderPage } from '../../lib/render.tsx';
import { sendContactMessage } from './contact.ts';
import { homeData } from './home.ts';
import { contactInput } from './schemas.ts';
import { AccessibilityPage, ContactPage, HomePage, LegalNoticePage, PrivacyPage } from './views.tsx';

const single = (form: FormValues) =>
  Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));

const contactPage: FormRenderer = (c, { values, errors, status }) =>
  renderPage(
    c,
    { title: 'Contact', status },
    <ContactPage contactEmail={c.get('deps').config.CONTACT_EMAIL} values={single(values)} errors={errors} />,
  );

export const pageRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const now = c.get('deps').clock.now();
    const { counts, recent } = await homeData(c.get('db'), now);
    return renderPage(c, { title: 'Accueil' }, <HomePage counts={counts} recent={recent} now={now} />);
  })
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
  .post('/contact', validForm(contactInput, contactPage), async (c) => {
    const contactEmail = c.get('deps').config.CONTACT_EMAIL;
    const input = c.req.valid('form');
    try {
      await sendContactMessage(c, input);
    } catch (err) {
      if (!(err instanceof TooManyRequests)) throw err;
      return renderPage(
        c,
        { title: 'Erreur — Contact', status: 429 },
        <ContactPage contactEmail={contactEmail} values={input} alert={err.message} />,
      );
    }
    return renderPage(
      c,
      { title: 'Message envoyé — Contact' },
      <ContactPage contactEmail={contactEmail} sent />,
    );
  });
