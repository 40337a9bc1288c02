import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amiAttachments, amiMessages, emails } from '../../src/db/schema.ts';
import {
  ATTACHMENT_REFUSALS,
  MAX_MESSAGE_FILES_PER_DOSSIER,
} from '../../src/features/ami/attachment-files.ts';
import { messageOutput } from '../../src/features/ami/files-openapi.ts';
import {
  APPLICANT_MESSAGE_RATE,
  listDossierMessages,
  MESSAGE_REFUSALS,
} from '../../src/features/ami/messages.ts';
import { UNSAFE_TEXT_MESSAGE } from '../../src/lib/text.ts';
import { setStaffRegions } from '../support/ami.ts';
import {
  createAmiDossier,
  createLead,
  createOpenWave,
  fakeExecutable,
  minimalPdf,
  multipart,
  storedFilesIn,
} from '../support/ami-files.ts';
import { createTestApp, formPost, jsonRequest, ORIGIN, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { addMember, createOrganisation } from '../support/fixtures.ts';

const seeded = await seedTemplate(async (t) => {
  const owner = await createSignedInUser(t, { name: 'Camille Porteuse' });
  const editor = await createSignedInUser(t, { name: 'Dominique Éditrice' });
  const other = await createSignedInUser(t);
  const regional = await createSignedInUser(t, { role: 'instructor', name: 'Instructeur ARA' });
  const outOfScope = await createSignedInUser(t, { role: 'instructor' });
  const admin = await createSignedInUser(t, { role: 'admin', name: 'Admin DG Trésor' });
  await setStaffRegions(t, regional.id, ['84']);
  await setStaffRegions(t, outOfScope.id, ['11']);
  const lead = await createLead(t, owner);
  await addMember(t, lead.id, owner, editor, 'editor');
  await createOrganisation(t, { owner: other });
  const wave = await createOpenWave(t);
  const draft = await createAmiDossier(t, { leadOrganisationId: lead.id });
  const submitted = await createAmiDossier(t, {
    leadOrganisationId: lead.id,
    status: 'submitted',
    waveId: wave.id,
    reference: 'AMI-2026-0007',
  });
  const withdrawnDraft = await createAmiDossier(t, { leadOrganisationId: lead.id, status: 'withdrawn' });
  return {
    owner,
    editor,
    other,
    regional,
    outOfScope,
    admin,
    draft: draft.id,
    submitted: submitted.id,
    withdrawnDraft: withdrawnDraft.id,
  };
});
const { world } = seeded;
afterAll(() => seeded.remove());

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const apiPost = (id: number, auth: string | null, body: unknown) =>
  t.app.request(
    `/api/v1/ami/applications/${id}/messages`,
    jsonRequest('POST', body, auth ? { authorization: auth } : { origin: ORIGIN }),
  );

const pdfFile = (name = 'complément.pdf', bytes = minimalPdf()) =>
  new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'application/pdf' });

const storedFiles = () => storedFilesIn(t.filesFolder).length;
const sentEmails = () => t.db.select().from(emails);

describe('POST /ami/dossiers/:id/messages and /instruction/dossiers/:id/messages (pages)', () => {
  it('the applicant writes (without JavaScript): redirect to the dossier, no email to themselves', async () => {
    const res = await t.app.request(`/ami/dossiers/${world.submitted}/messages`, {
      method: 'POST',
      body: multipart({ body: 'Bonjour,\r\nvoici nos statuts.', file: pdfFile() }),
      headers: { origin: ORIGIN, cookie: world.editor.cookie },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/ami/dossiers/${world.submitted}#messages`);
    const [message] = await listDossierMessages(t.db, world.submitted);
    expect(message).toMatchObject({
      authorName: 'Dominique Éditrice',
      fromStaff: false,
      body: 'Bonjour,\nvoici nos statuts.',
      attachments: [{ name: 'complément.pdf', contentType: 'application/pdf' }],
    });
    expect(storedFiles()).toBe(1);
    expect(await sentEmails()).toEqual([]);
  });

  it('staff write: one email per member of the lead organisation, with the text and the link', async () => {
    const res = await t.app.request(
      `/instruction/dossiers/${world.submitted}/messages`,
      formPost({ body: 'Merci de préciser le budget.' }, { cookie: world.regional.cookie }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/instruction/dossiers/${world.submitted}#messages`);
    const sent = await sentEmails();
    expect(sent.map((e) => e.to).sort()).toEqual([world.owner.email, world.editor.email].sort());
    expect(sent[0]!.subject).toBe('AMI PTCE — AMI-2026-0007 : nouveau message de l’équipe d’instruction');
    expect(sent[0]!.text).toContain('Merci de préciser le budget.');
    expect(sent[0]!.text).toContain(`http://localhost/ami/dossiers/${world.submitted}#messages`);
    const [message] = await listDossierMessages(t.db, world.submitted);
    expect(message).toMatchObject({ fromStaff: true, authorName: 'Instructeur ARA' });
  });

  it('comes back with the text kept and a French message per field (422)', async () => {
    const res = await t.app.request(`/ami/dossiers/${world.submitted}/messages`, {
      method: 'POST',
      body: multipart({
        body: 'Texte gardé <b>tel quel</b>',
        file: pdfFile('statuts.pdf', fakeExecutable()),
      }),
      headers: { origin: ORIGIN, cookie: world.owner.cookie },
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<title>Erreur — Messages');
    expect(html).toContain('Texte gardé &lt;b&gt;tel quel&lt;/b&gt;');
    expect(html).toContain('href="#champ-message-file"');
    expect(html).toContain('Ce fichier est un programme');
    expect(await t.db.select().from(amiMessages)).toEqual([]);
    expect(storedFiles()).toBe(0);

    const empty = await t.app.request(
      `/ami/dossiers/${world.submitted}/messages`,
      formPost({ body: '   ' }, { cookie: world.owner.cookie }),
    );
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Écrivez votre message.');
  });

  it('answers a 50 MB attachment with the messages page and a French message (413)', async () => {
    const res = await t.app.request(`/ami/dossiers/${world.submitted}/messages`, {
      method: 'POST',
      body: multipart({ body: 'Gros fichier', file: pdfFile('gros.pdf', new Uint8Array(50 * 1024 * 1024)) }),
      headers: { origin: ORIGIN, cookie: world.owner.cookie },
    });
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('Messages du dossier');
    expect(html).toContain('Le fichier dépasse 10 Mo');
    expect(await t.db.select().from(amiMessages)).toEqual([]);
  });

  it('shows the messages page with the panel, escaped, line breaks kept, oldest first', async () => {
    await apiPost(world.submitted, world.owner.bearer, { body: '<script>alert(1)</script>\nligne 2' });
    await apiPost(world.submitted, world.regional.bearer, { body: 'Réponse de l’instruction' });
    const page = await t.app.request(`/ami/dossiers/${world.submitted}/messages`, {
      headers: { cookie: world.owner.cookie },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br/>ligne 2');
    expect(html.indexOf('alert(1)')).toBeLessThan(html.indexOf('Réponse de l’instruction'));
    expect(html).toContain('Équipe d’instruction');
    expect(html).toContain(`action="/ami/dossiers/${world.submitted}/messages"`);
    const staffPage = await (
      await t.app.request(`/instruction/dossiers/${world.submitted}/messages`, {
        headers: { cookie: world.regional.cookie },
      })
    ).text();
    expect(staffPage).toContain(`action="/instruction/dossiers/${world.submitted}/messages"`);
  });
});

describe('the messages API', () => {
  it('POST {body} → 201, GET lists them oldest first with their files', async () => {
    const first = await apiPost(world.submitted, world.owner.bearer, { body: 'Première question' });
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(messageOutput.parse(body)).toEqual(body);
    const withFile = await t.app.request(`/api/v1/ami/applications/${world.submitted}/messages`, {
      method: 'POST',
      body: multipart({ body: 'Voici la pièce demandée', file: pdfFile() }),
      headers: { authorization: world.admin.bearer },
    });
    expect(withFile.status).toBe(201);
    const posted = await withFile.json();
    expect(posted.attachments).toEqual([
      { id: expect.any(Number), name: 'complément.pdf', type: 'application/pdf', size: minimalPdf().length },
    ]);
    const list = await t.app.request(`/api/v1/ami/applications/${world.submitted}/messages`, {
      headers: { authorization: world.regional.bearer },
    });
    expect(list.status).toBe(200);
    const { items } = await list.json();
    expect(items.map((m: { body: string }) => m.body)).toEqual([
      'Première question',
      'Voici la pièce demandée',
    ]);
    for (const item of items) expect(messageOutput.parse(item)).toEqual(item);
    // The file downloads with the dossier's rights.
    const download = await t.app.request(
      `/api/v1/ami/applications/${world.submitted}/attachments/${posted.attachments[0].id}`,
      { headers: { authorization: world.editor.bearer } },
    );
    expect(download.status).toBe(200);
  });

  it('who may read and write', async () => {
    const cases: Array<[string, number, string | null, number]> = [
      ['owner, submitted', world.submitted, world.owner.bearer, 201],
      ['editor, submitted', world.submitted, world.editor.bearer, 201],
      ['regional instructor in scope', world.submitted, world.regional.bearer, 201],
      ['admin', world.submitted, world.admin.bearer, 201],
      ['regional instructor out of scope', world.submitted, world.outOfScope.bearer, 404],
      ['another organisation’s member', world.submitted, world.other.bearer, 404],
      ['owner, draft (nobody to read it yet)', world.draft, world.owner.bearer, 409],
      ['staff, draft (not visible)', world.draft, world.admin.bearer, 404],
      ['owner, withdrawn before any submit', world.withdrawnDraft, world.owner.bearer, 409],
      ['staff, withdrawn before any submit (never visible)', world.withdrawnDraft, world.admin.bearer, 404],
      ['anonymous', world.submitted, null, 401],
      ['unknown dossier', 424_242, world.owner.bearer, 404],
    ];
    const results = [];
    for (const [who, id, auth] of cases)
      results.push([who, (await apiPost(id, auth, { body: 'Bonjour' })).status]);
    expect(results).toEqual(cases.map(([who, , , status]) => [who, status]));
    const reads: Array<[string, string | null, number]> = [
      ['owner', world.owner.bearer, 200],
      ['regional in scope', world.regional.bearer, 200],
      ['out of scope', world.outOfScope.bearer, 404],
      ['other organisation', world.other.bearer, 404],
      ['anonymous', null, 401],
    ];
    const readResults = [];
    for (const [who, auth] of reads)
      readResults.push([
        who,
        (
          await t.app.request(`/api/v1/ami/applications/${world.submitted}/messages`, {
            headers: auth ? { authorization: auth } : {},
          })
        ).status,
      ]);
    expect(readResults).toEqual(reads.map(([who, , status]) => [who, status]));
    const draftPage = await t.app.request(
      `/ami/dossiers/${world.draft}/messages`,
      formPost({ body: 'Bonjour' }, { cookie: world.owner.cookie }),
    );
    expect(draftPage.status).toBe(409);
    expect(await draftPage.text()).toContain(MESSAGE_REFUSALS.draft);
  });

  it.each([
    ['empty', { body: '' }, 'Écrivez votre message.'],
    ['blank', { body: ' \n\t ' }, 'Écrivez votre message.'],
    ['missing', {}, 'Écrivez votre message.'],
    ['not a string', { body: 42 }, 'Écrivez votre message.'],
    ['a NUL', { body: 'a\u0000b' }, UNSAFE_TEXT_MESSAGE],
    ['a bidi override', { body: 'virement \u202Eexe.pdf' }, UNSAFE_TEXT_MESSAGE],
    ['5 001 characters', { body: 'a'.repeat(5001) }, 'Un message est limité à 5\u202f000 caractères.'],
  ])('refuses a body %s (422), storing nothing', async (_what, body, message) => {
    const res = await apiPost(world.submitted, world.owner.bearer, body);
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.body).toBe(message);
    expect(await t.db.select().from(amiMessages)).toEqual([]);
  });

  it('refuses unknown fields, malformed JSON and other content types', async () => {
    expect(
      (await apiPost(world.submitted, world.owner.bearer, { body: 'x', status: 'selected' })).status,
    ).toBe(422);
    const malformed = await t.app.request(`/api/v1/ami/applications/${world.submitted}/messages`, {
      method: 'POST',
      body: '{"body":',
      headers: { authorization: world.owner.bearer, 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    const text = await t.app.request(`/api/v1/ami/applications/${world.submitted}/messages`, {
      method: 'POST',
      body: 'body=x',
      headers: { authorization: world.owner.bearer, 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(422);
  });

  it('a refused file refuses the message: no message, nothing stored', async () => {
    const res = await t.app.request(`/api/v1/ami/applications/${world.submitted}/messages`, {
      method: 'POST',
      body: multipart({ body: 'Voici', file: pdfFile('../statuts.pdf') }),
      headers: { authorization: world.owner.bearer },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields).toEqual({ file: ATTACHMENT_REFUSALS.path });
    expect(await t.db.select().from(amiMessages)).toEqual([]);
    expect(await t.db.select().from(amiAttachments)).toEqual([]);
    expect(storedFiles()).toBe(0);
  });

  it('limits an applicant to 20 messages an hour (429); staff are not limited', async () => {
    for (let i = 0; i < APPLICANT_MESSAGE_RATE.limit; i++)
      expect((await apiPost(world.submitted, world.owner.bearer, { body: `Message ${i}` })).status).toBe(201);
    const over = await apiPost(world.submitted, world.owner.bearer, { body: 'Un de trop' });
    expect(over.status).toBe(429);
    expect((await over.json()).error.message).toBe(MESSAGE_REFUSALS.rate);
    for (let i = 0; i < APPLICANT_MESSAGE_RATE.limit + 2; i++)
      expect((await apiPost(world.submitted, world.regional.bearer, { body: `Réponse ${i}` })).status).toBe(
        201,
      );
    t.clock.advance(APPLICANT_MESSAGE_RATE.windowMs + 1);
    expect((await apiPost(world.submitted, world.owner.bearer, { body: 'Une heure après' })).status).toBe(
      201,
    );
  });

  it(`keeps a dossier’s messages at ${MAX_MESSAGE_FILES_PER_DOSSIER} files (409, the message is not posted)`, async () => {
    const now = t.clock.now().toISOString();
    const [message] = await t.db
      .insert(amiMessages)
      .values({
        applicationId: world.submitted,
        authorName: 'X',
        fromStaff: false,
        body: 'x',
        createdAt: now,
      })
      .returning();
    await t.db.insert(amiAttachments).values(
      Array.from({ length: MAX_MESSAGE_FILES_PER_DOSSIER }, (_, i) => ({
        applicationId: world.submitted,
        messageId: message!.id,
        name: `f${i}.pdf`,
        contentType: 'application/pdf',
        size: 1,
        storageKey: `ami/0/${String(i).padStart(32, '0')}.pdf`,
        createdAt: now,
      })),
    );
    const res = await t.app.request(`/api/v1/ami/applications/${world.submitted}/messages`, {
      method: 'POST',
      body: multipart({ body: 'Encore un fichier', file: pdfFile() }),
      headers: { authorization: world.regional.bearer },
    });
    expect(res.status).toBe(409);
    expect(await t.db.select().from(amiMessages)).toHaveLength(1);
    expect(storedFiles()).toBe(0);
    // Without a file the message goes.
    expect((await apiPost(world.submitted, world.regional.bearer, { body: 'Sans fichier' })).status).toBe(
      201,
    );
  });

  it('posts from cross-site origins are refused', async () => {
    const res = await t.app.request(
      `/ami/dossiers/${world.submitted}/messages`,
      formPost({ body: 'x' }, { cookie: world.owner.cookie, origin: 'https://evil.example' }),
    );
    expect(res.status).toBe(403);
  });
});
