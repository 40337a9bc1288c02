import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { emails } from '../../src/db/schema.ts';
import { RULES } from '../../src/features/auth/rate-limit.ts';
import { createTestApp, formPost } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
afterEach(() => t.client.close());

const message = {
  name: 'Camille Martin',
  email: 'camille@example.org',
  topic: 'accessibilite',
  message: 'Le plan du site ne se lit pas au lecteur d’écran.',
};

describe('legal pages', () => {
  it('the accessibility statement gives contact means', async () => {
    t = await createTestApp({ config: { CONTACT_EMAIL: 'equipe@ptce.example.gouv.fr' } });
    const html = await (await t.app.request('/accessibilite')).text();
    expect(html).toContain('href="/contact"');
    expect(html).toContain('mailto:equipe@ptce.example.gouv.fr');
  });

  it('the legal notice names the configured host', async () => {
    t = await createTestApp({
      config: {
        SITE_HOST_NAME: 'Hébergeur Exemple SAS',
        SITE_HOST_ADDRESS: '1 rue de l’Exemple, 75000 Paris',
      },
    });
    const html = await (await t.app.request('/mentions-legales')).text();
    expect(html).toContain('Hébergeur Exemple SAS — 1 rue de l’Exemple, 75000 Paris');
  });

  it('the personal-data page names the controller, the DPO, the CNIL, and no processing that does not exist', async () => {
    t = await createTestApp();
    const html = await (await t.app.request('/donnees-personnelles')).text();
    expect(html).toContain('Responsable de traitement');
    expect(html).toContain('Direction générale du Trésor');
    expect(html).toContain('Délégué à la protection des données');
    expect(html).toContain('CNIL');
    expect(html).toContain('Limitation des tentatives');
    expect(html).not.toContain('Dossiers AMI');
  });

  it('the footer links to the contact page', async () => {
    t = await createTestApp();
    expect(await (await t.app.request('/')).text()).toContain(
      'class="fr-footer__bottom-link" href="/contact"',
    );
  });
});

describe('/contact', () => {
  it.each([
    ['anonymous', false],
    ['signed in', true],
  ])('GET as %s → 200 with the form', async (_who, signedIn) => {
    t = await createTestApp();
    const headers: Record<string, string> = signedIn ? { cookie: (await createSignedInUser(t)).cookie } : {};
    const res = await t.app.request('/contact', { headers });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<form method="post" action="/contact"');
  });

  it('POST forwards the message to CONTACT_EMAIL, with a fixed subject', async () => {
    t = await createTestApp({ config: { CONTACT_EMAIL: 'equipe@ptce.example.gouv.fr' } });
    const res = await t.app.request('/contact', formPost(message));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Message envoyé');
    const [mail] = await t.db.select().from(emails).where(eq(emails.to, 'equipe@ptce.example.gouv.fr'));
    expect(mail!.subject).toBe('Formulaire de contact — Un problème d’accessibilité — ptce-hub');
    expect(mail!.text).toContain('Camille Martin <camille@example.org>');
    expect(mail!.text).toContain(message.message);
  });

  it.each([
    ['no name', { ...message, name: '  ' }, 'Le nom est obligatoire.'],
    ['a bad address', { ...message, email: 'camille' }, 'Saisissez une adresse électronique valide'],
    ['an unknown topic', { ...message, topic: 'piratage' }, 'Choisissez l’objet du message.'],
    ['no message', { ...message, message: '' }, 'Le message est obligatoire.'],
    ['a message too long', { ...message, message: 'x'.repeat(5001) }, 'au plus 5000 caractères'],
  ])('POST with %s → 422 with the field message', async (_case, body, text) => {
    t = await createTestApp();
    const res = await t.app.request('/contact', formPost(body));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(text);
    expect(html).toContain('<title>Erreur — Contact');
    expect(await t.db.select().from(emails)).toHaveLength(0);
  });

  it('POST from another site → 403', async () => {
    t = await createTestApp();
    const res = await t.app.request('/contact', formPost(message, { origin: 'https://evil.example' }));
    expect(res.status).toBe(403);
  });

  it('POST is limited per address, with a page-level message', async () => {
    t = await createTestApp({ config: { TRUSTED_PROXY: 'x-forwarded-for' } });
    const from = { 'x-forwarded-for': '198.51.100.3' };
    for (let i = 0; i < RULES.contactIp.limit; i++) {
      expect((await t.app.request('/contact', formPost(message, from))).status).toBe(200);
    }
    const refused = await t.app.request('/contact', formPost(message, from));
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('Trop de messages envoyés depuis votre connexion');
    expect(await t.db.select().from(emails)).toHaveLength(RULES.contactIp.limit);
  });
});
