import { readFileSync } from 'node:fs';
import { PDFDocument } from '@pdfme/pdf-lib';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amiAttachments, amiMessages } from '../../src/db/schema.ts';
import { servicePdf } from '../../src/entry/pdf-service.ts';
import { ATTACHMENT_REFUSALS, MAX_PIECES_PER_DOSSIER } from '../../src/features/ami/attachment-files.ts';
import { AMI_UPLOAD_BODY_MAX_BYTES, RECEIPT_UNAVAILABLE } from '../../src/features/ami/file-routes.tsx';
import { attachmentOutput } from '../../src/features/ami/files-openapi.ts';
import { setStaffRegions } from '../support/ami.ts';
import {
  createAmiDossier,
  createLead,
  createOpenWave,
  fakeExecutable,
  minimalDocx,
  minimalOdt,
  minimalPdf,
  minimalXlsx,
  multipart,
  pdfText,
  storedFilesIn,
  zip,
} from '../support/ami-files.ts';
import { createTestApp, formPost, ORIGIN, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { addMember, createOrganisation } from '../support/fixtures.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ODT = 'application/vnd.oasis.opendocument.text';

const seeded = await seedTemplate(async (t) => {
  const owner = await createSignedInUser(t, { name: 'Camille Porteuse' });
  const editor = await createSignedInUser(t, { name: 'Éditrice du porteur' });
  const other = await createSignedInUser(t);
  const national = await createSignedInUser(t, { role: 'instructor', name: 'Instructrice nationale' });
  const regional = await createSignedInUser(t, { role: 'instructor', name: 'Instructeur ARA' });
  const outOfScope = await createSignedInUser(t, { role: 'instructor', name: 'Instructeur IDF' });
  const admin = await createSignedInUser(t, { role: 'admin' });
  await setStaffRegions(t, regional.id, ['84']);
  await setStaffRegions(t, outOfScope.id, ['11']);
  const lead = await createLead(t, owner, 'Coopérative « Les Ateliers » d’Île-de-Voiron');
  await addMember(t, lead.id, owner, editor, 'editor');
  const otherOrg = await createOrganisation(t, { owner: other });
  const wave = await createOpenWave(t, 'Vague d’hiver 2026');
  const draft = await createAmiDossier(t, { leadOrganisationId: lead.id });
  const submitted = await createAmiDossier(t, {
    leadOrganisationId: lead.id,
    status: 'under_review',
    waveId: wave.id,
    reference: 'AMI-2026-0042',
    projectName: 'Coopération œuvre « Île » — ça démarre',
  });
  const reopenedPieces = await createAmiDossier(t, {
    leadOrganisationId: lead.id,
    status: 'changes_requested',
    waveId: wave.id,
    reopenedSections: ['pieces'],
  });
  const reopenedBudget = await createAmiDossier(t, {
    leadOrganisationId: lead.id,
    status: 'changes_requested',
    waveId: wave.id,
    reopenedSections: ['budget'],
  });
  const withdrawnDraft = await createAmiDossier(t, { leadOrganisationId: lead.id, status: 'withdrawn' });
  return {
    owner,
    editor,
    other,
    national,
    regional,
    outOfScope,
    admin,
    lead,
    otherOrg,
    draft: draft.id,
    submitted: submitted.id,
    reopenedPieces: reopenedPieces.id,
    reopenedBudget: reopenedBudget.id,
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

const file = (bytes: Uint8Array, name: string, type = 'application/pdf') =>
  new File([bytes as Uint8Array<ArrayBuffer>], name, { type });

const apiUpload = (id: number, auth: string | null, upload: File) =>
  t.app.request(`/api/v1/ami/applications/${id}/attachments`, {
    method: 'POST',
    body: multipart({ file: upload }),
    headers: auth ? { authorization: auth } : { origin: ORIGIN },
  });

const pageUpload = (id: number, cookie: string, upload: File) =>
  t.app.request(`/ami/dossiers/${id}/pieces`, {
    method: 'POST',
    body: multipart({ file: upload }),
    headers: { origin: ORIGIN, cookie },
  });

const storedFiles = () => storedFilesIn(t.filesFolder);
const attachmentRows = () => t.db.select().from(amiAttachments);

describe('POST /api/v1/ami/applications/:id/attachments', () => {
  it.each([
    ['statuts.pdf', minimalPdf(), 'application/pdf', 'statuts.pdf'],
    ['budget prévisionnel.xlsx', minimalXlsx(), XLSX, 'budget prévisionnel.xlsx'],
    ['lettre.docx', minimalDocx(), DOCX, 'lettre.docx'],
    ['gouvernance.odt', minimalOdt(), ODT, 'gouvernance.odt'],
    // The type comes from the content: a misnamed file keeps its name and gains its real extension.
    ['budget.pdf', minimalXlsx(), XLSX, 'budget.pdf.xlsx'],
    ['sans extension', minimalDocx(), DOCX, 'sans extension.docx'],
  ])('accepts %s by its content', async (name, bytes, type, shown) => {
    const res = await apiUpload(
      world.draft,
      world.owner.bearer,
      file(bytes, name, 'application/octet-stream'),
    );
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(attachmentOutput.parse(body)).toEqual(body);
    expect(body).toMatchObject({ name: shown, type, size: bytes.length });
    const [row] = await attachmentRows();
    expect(row).toMatchObject({ applicationId: world.draft, messageId: null, uploadedBy: world.owner.id });
    // The key is generated (never the user's name) and its extension is the real type's.
    expect(row!.storageKey).toMatch(/^ami\/\d+\/[0-9a-f]{32}\.(pdf|odt|docx|xlsx)$/);
    const stored = storedFiles();
    expect(stored).toHaveLength(1);
    expect(new Uint8Array(readFileSync(stored[0]!))).toEqual(bytes);

    const download = await t.app.request(`/api/v1/ami/applications/${world.draft}/attachments/${body.id}`, {
      headers: { authorization: world.owner.bearer },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(type);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('cache-control')).toBe('private, no-store');
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"]*"; filename\*=UTF-8''/,
    );
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  });

  const fifty = new Uint8Array(50 * 1024 * 1024);
  fifty.set(minimalPdf());

  it.each([
    [
      'an executable renamed .pdf',
      file(fakeExecutable(), 'statuts.pdf'),
      422,
      ATTACHMENT_REFUSALS.executable,
    ],
    ['a 50 MB PDF', file(fifty, 'énorme.pdf'), 413, ATTACHMENT_REFUSALS.tooLarge],
    [
      'a file just over 10 MB',
      file(new Uint8Array(10 * 1024 * 1024 + 1).fill(0x25), 'gros.pdf'),
      422,
      ATTACHMENT_REFUSALS.tooLarge,
    ],
    ['an empty file', file(new Uint8Array(0), 'vide.pdf'), 422, ATTACHMENT_REFUSALS.empty],
    [
      'plain text named .docx',
      file(new TextEncoder().encode('bonjour'), 'x.docx'),
      422,
      ATTACHMENT_REFUSALS.type,
    ],
    [
      'a plain ZIP named .docx',
      file(zip([{ name: 'a.txt', data: 'x' }]), 'x.docx'),
      422,
      ATTACHMENT_REFUSALS.type,
    ],
    [
      'an OpenDocument spreadsheet',
      file(minimalOdt('application/vnd.oasis.opendocument.spreadsheet'), 'x.odt'),
      422,
      ATTACHMENT_REFUSALS.type,
    ],
    [
      'an SVG named .pdf',
      file(new TextEncoder().encode('<svg onload="alert(1)"/>'), 'x.pdf'),
      422,
      ATTACHMENT_REFUSALS.type,
    ],
    ['a path-traversal name', file(minimalPdf(), '../../etc/passwd.pdf'), 422, ATTACHMENT_REFUSALS.path],
    ['a Windows path', file(minimalPdf(), '..\\..\\statuts.pdf'), 422, ATTACHMENT_REFUSALS.path],
    [
      'a name with a control character',
      file(minimalPdf(), 'sta\u0007tuts.pdf'),
      422,
      ATTACHMENT_REFUSALS.control,
    ],
    [
      'a name with a bidi override',
      file(minimalPdf(), 'facture\u202Efdp.exe'),
      422,
      ATTACHMENT_REFUSALS.control,
    ],
  ])('refuses %s with a clear message, storing nothing', async (_what, upload, status, message) => {
    const res = await apiUpload(world.draft, world.owner.bearer, upload);
    expect(res.status).toBe(status);
    const body = await res.json();
    if (status === 413) expect(body.error).toMatchObject({ code: 'payload_too_large', message });
    else expect(body.error.fields).toEqual({ file: message });
    expect(storedFiles()).toEqual([]);
    expect(await attachmentRows()).toEqual([]);
  });

  it('refuses a body that is not multipart, or has no file', async () => {
    const json = await t.app.request(`/api/v1/ami/applications/${world.draft}/attachments`, {
      method: 'POST',
      body: '{"file":"x"}',
      headers: { authorization: world.owner.bearer, 'content-type': 'application/json' },
    });
    expect(json.status).toBe(422);
    const none = await t.app.request(`/api/v1/ami/applications/${world.draft}/attachments`, {
      method: 'POST',
      body: multipart({ other: 'x' }),
      headers: { authorization: world.owner.bearer },
    });
    expect(none.status).toBe(422);
    expect((await none.json()).error.fields).toEqual({ file: ATTACHMENT_REFUSALS.missing });
    const malformed = await t.app.request(`/api/v1/ami/applications/${world.draft}/attachments`, {
      method: 'POST',
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF',
      headers: { authorization: world.owner.bearer, 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(malformed.status).toBe(400);
  });

  it('who may add a piece: members while the section is editable', async () => {
    const cases: Array<[string, number, string | null, number]> = [
      ['owner, draft', world.draft, world.owner.bearer, 201],
      ['editor, draft', world.draft, world.editor.bearer, 201],
      ['owner, changes requested on the pieces', world.reopenedPieces, world.owner.bearer, 201],
      ['owner, changes requested on the budget only', world.reopenedBudget, world.owner.bearer, 403],
      ['owner, submitted', world.submitted, world.owner.bearer, 403],
      ['another organisation’s member', world.draft, world.other.bearer, 404],
      ['national instructor, draft (not visible)', world.draft, world.national.bearer, 404],
      ['national instructor, submitted', world.submitted, world.national.bearer, 403],
      ['admin, submitted', world.submitted, world.admin.bearer, 403],
      ['regional instructor out of scope', world.submitted, world.outOfScope.bearer, 404],
      ['anonymous', world.draft, null, 401],
      ['unknown dossier', 999_999, world.owner.bearer, 404],
    ];
    const results = [];
    for (const [who, id, auth] of cases)
      results.push([who, (await apiUpload(id, auth, file(minimalPdf(), 'a.pdf'))).status]);
    expect(results).toEqual(cases.map(([who, , , status]) => [who, status]));
    expect(storedFiles()).toHaveLength(3);
  });

  it(`keeps a dossier at ${MAX_PIECES_PER_DOSSIER} pieces, even under parallel uploads`, async () => {
    const uploads = await Promise.all(
      Array.from({ length: MAX_PIECES_PER_DOSSIER + 4 }, (_, i) =>
        apiUpload(world.draft, world.owner.bearer, file(minimalPdf(), `piece-${i}.pdf`)),
      ),
    );
    const statuses = uploads.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_PIECES_PER_DOSSIER);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    expect(await attachmentRows()).toHaveLength(MAX_PIECES_PER_DOSSIER);
    expect(storedFiles()).toHaveLength(MAX_PIECES_PER_DOSSIER);
  });
});

describe('the pieces page /ami/dossiers/:id/pieces', () => {
  it('uploads without JavaScript: redirect, then the piece is listed with its download link', async () => {
    const res = await pageUpload(world.draft, world.owner.cookie, file(minimalPdf(), 'Statuts signés.pdf'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/ami/dossiers/${world.draft}/pieces?avis=piece-ajoutee`);
    const page = await t.app.request(res.headers.get('location')!, {
      headers: { cookie: world.owner.cookie },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('La pièce est jointe au dossier.');
    const [row] = await attachmentRows();
    expect(html).toContain(`href="/ami/dossiers/${world.draft}/pieces/${row!.id}"`);
    expect(html).toContain('Statuts signés.pdf');
    expect(html).toContain('enctype="multipart/form-data"');
  });

  it('shows a refused file again with its message (422), nothing stored', async () => {
    const res = await pageUpload(world.draft, world.owner.cookie, file(fakeExecutable(), 'statuts.pdf'));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<title>Erreur — ');
    expect(html).toContain('Ce fichier est un programme');
    expect(html).toContain('aria-invalid="true"');
    expect(storedFiles()).toEqual([]);
  });

  it('answers a 50 MB upload with the page and a French message (413), not a reset', async () => {
    const big = new Uint8Array(50 * 1024 * 1024);
    const res = await pageUpload(world.draft, world.owner.cookie, file(big, 'énorme.pdf'));
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain(ATTACHMENT_REFUSALS.tooLarge);
    expect(html).toContain('<title>Erreur — Pièces jointes');
    expect(html).toContain('Pièces jointes du dossier');
    expect(storedFiles()).toEqual([]);
    expect(AMI_UPLOAD_BODY_MAX_BYTES).toBeLessThan(big.length);
  });

  it('removes a piece while editable (row then file); not once submitted', async () => {
    await pageUpload(world.draft, world.owner.cookie, file(minimalPdf(), 'a.pdf'));
    const [row] = await attachmentRows();
    const removed = await t.app.request(`/ami/dossiers/${world.draft}/pieces/${row!.id}/supprimer`, {
      method: 'POST',
      headers: { origin: ORIGIN, cookie: world.editor.cookie },
    });
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/ami/dossiers/${world.draft}/pieces?avis=piece-retiree`);
    expect(await attachmentRows()).toEqual([]);
    expect(storedFiles()).toEqual([]);

    const piece = await (
      await apiUpload(world.reopenedPieces, world.owner.bearer, file(minimalPdf(), 'b.pdf'))
    ).json();
    const other = await t.app.request(
      `/api/v1/ami/applications/${world.reopenedPieces}/attachments/${piece.id}`,
      {
        method: 'DELETE',
        headers: { authorization: world.other.bearer },
      },
    );
    expect(other.status).toBe(404);
    // A foreign id in the path: the piece belongs to another dossier.
    const foreign = await t.app.request(`/api/v1/ami/applications/${world.draft}/attachments/${piece.id}`, {
      method: 'DELETE',
      headers: { authorization: world.owner.bearer },
    });
    expect(foreign.status).toBe(404);
    const ok = await t.app.request(
      `/api/v1/ami/applications/${world.reopenedPieces}/attachments/${piece.id}`,
      {
        method: 'DELETE',
        headers: { authorization: world.owner.bearer },
      },
    );
    expect(ok.status).toBe(204);
  });

  it('shows the pieces read-only to staff and to the applicant once submitted', async () => {
    const staff = await t.app.request(`/ami/dossiers/${world.submitted}/pieces`, {
      headers: { cookie: world.regional.cookie },
    });
    expect(staff.status).toBe(200);
    const html = await staff.text();
    expect(html).not.toContain('enctype="multipart/form-data"');
    expect(html).toContain(`href="/instruction/dossiers/${world.submitted}"`);
    const applicant = await (
      await t.app.request(`/ami/dossiers/${world.submitted}/pieces`, {
        headers: { cookie: world.owner.cookie },
      })
    ).text();
    expect(applicant).toContain('ne sont plus modifiables');
    const refused = await t.app.request(`/ami/dossiers/${world.submitted}/pieces`, {
      method: 'POST',
      body: multipart({ file: file(minimalPdf(), 'a.pdf') }),
      headers: { origin: ORIGIN, cookie: world.owner.cookie },
    });
    expect(refused.status).toBe(403);
    expect(storedFiles()).toEqual([]);
  });
});

describe('GET /ami/dossiers/:id/pieces/:attachmentId (download rights)', () => {
  async function withPiece() {
    const now = t.clock.now().toISOString();
    const key = 'ami/1/0123456789abcdef0123456789abcdef.pdf';
    await t.storage!.put(key, minimalPdf(), { contentType: 'application/pdf' });
    const [row] = await t.db
      .insert(amiAttachments)
      .values({
        applicationId: world.submitted,
        name: 'Budget « 2027 » été "final".pdf',
        contentType: 'application/pdf',
        size: minimalPdf().length,
        storageKey: key,
        createdAt: now,
      })
      .returning();
    return row!.id;
  }

  it('lead organisation members and staff in scope only', async () => {
    const id = await withPiece();
    const url = `/ami/dossiers/${world.submitted}/pieces/${id}`;
    const cases: Array<[string, string | null, number]> = [
      ['owner', world.owner.cookie, 200],
      ['editor', world.editor.cookie, 200],
      ['another organisation’s member', world.other.cookie, 404],
      ['national instructor', world.national.cookie, 200],
      ['regional instructor in scope', world.regional.cookie, 200],
      ['regional instructor out of scope', world.outOfScope.cookie, 404],
      ['admin', world.admin.cookie, 200],
      ['anonymous (to the sign-in page)', null, 303],
    ];
    const results = [];
    for (const [who, cookie] of cases)
      results.push([who, (await t.app.request(url, { headers: cookie ? { cookie } : {} })).status]);
    expect(results).toEqual(cases.map(([who, , status]) => [who, status]));
    const api = `/api/v1/ami/applications/${world.submitted}/attachments/${id}`;
    expect((await t.app.request(api)).status).toBe(401);
    expect((await t.app.request(api, { headers: { authorization: world.outOfScope.bearer } })).status).toBe(
      404,
    );
    expect(
      (
        await t.app.request(`/ami/dossiers/${world.draft}/pieces/${id}`, {
          headers: { cookie: world.owner.cookie },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.app.request(`/ami/dossiers/${world.submitted}/pieces/abc`, {
          headers: { cookie: world.owner.cookie },
        })
      ).status,
    ).toBe(404);
  });

  it('names the file safely: ASCII fallback and the exact name in filename*', async () => {
    const id = await withPiece();
    const res = await t.app.request(`/ami/dossiers/${world.submitted}/pieces/${id}`, {
      headers: { cookie: world.owner.cookie },
    });
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Budget _ 2027 _ ete _final_.pdf"; filename*=UTF-8''${encodeURIComponent('Budget « 2027 » été "final".pdf')}`,
    );
  });

  it('serves a message’s file with the same rights', async () => {
    const now = t.clock.now().toISOString();
    const [message] = await t.db
      .insert(amiMessages)
      .values({
        applicationId: world.submitted,
        authorName: 'X',
        fromStaff: true,
        body: 'Voir pièce.',
        createdAt: now,
      })
      .returning();
    const key = 'ami/1/fedcba9876543210fedcba9876543210.pdf';
    await t.storage!.put(key, minimalPdf(), { contentType: 'application/pdf' });
    const [row] = await t.db
      .insert(amiAttachments)
      .values({
        applicationId: world.submitted,
        messageId: message!.id,
        name: 'a.pdf',
        contentType: 'application/pdf',
        size: 1,
        storageKey: key,
        createdAt: now,
      })
      .returning();
    const url = `/ami/dossiers/${world.submitted}/pieces/${row!.id}`;
    expect((await t.app.request(url, { headers: { cookie: world.owner.cookie } })).status).toBe(200);
    expect((await t.app.request(url, { headers: { cookie: world.other.cookie } })).status).toBe(404);
    // Not a piece: the pieces' removal does not reach it.
    const removal = await t.app.request(
      `/api/v1/ami/applications/${world.submitted}/attachments/${row!.id}`,
      {
        method: 'DELETE',
        headers: { authorization: world.owner.bearer },
      },
    );
    expect(removal.status).toBe(403);
  });
});

describe('deleting a draft', () => {
  it('removes every stored file of the draft, not another dossier’s, and its rows', async () => {
    await apiUpload(world.draft, world.owner.bearer, file(minimalPdf(), 'a.pdf'));
    await apiUpload(world.draft, world.owner.bearer, file(minimalDocx(), 'b.docx'));
    await apiUpload(world.reopenedPieces, world.owner.bearer, file(minimalPdf(), 'c.pdf'));
    expect(storedFiles()).toHaveLength(3);
    const res = await t.app.request(
      `/ami/dossiers/${world.draft}/supprimer`,
      formPost({ version: '1' }, { cookie: world.owner.cookie }),
    );
    expect(res.status).toBe(303);
    expect(storedFiles()).toHaveLength(1);
    expect(
      await t.db.select().from(amiAttachments).where(eq(amiAttachments.applicationId, world.draft)),
    ).toEqual([]);
  });
});

describe('the PDF récépissé', () => {
  it('is a PDF with the reference, the Paris time of the submit, the lead, the members, the amount and the wave', async () => {
    const res = await t.app.request(`/ami/dossiers/${world.submitted}/recepisse.pdf`, {
      headers: { cookie: world.owner.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('filename="recepisse-AMI-2026-0042.pdf"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe('Récépissé de dépôt AMI-2026-0042 — AMI PTCE');
    expect(doc.getPageCount()).toBe(1);
    const text = await pdfText(bytes);
    expect(text).toContain('Référence du dossier : AMI-2026-0042');
    // The test clock is 2026-11-22T10:00Z: 11:00 in Paris (winter time).
    expect(text).toContain('Déposé le : 22 novembre 2026 à 11:00 (heure de Paris)');
    expect(text).toContain('Vague : Vague d’hiver 2026');
    expect(text).toContain('Coopérative « Les Ateliers » d’Île-de-Voiron');
    expect(text).toContain('Projet : Coopération œuvre « Île » — ça démarre');
    expect(text).toContain('Montant demandé : 95 000 €');
    expect(text).toContain('Membres du consortium (3)');
    expect(text).toContain('Membre sme 2');
  });

  it('is the same for staff in scope and over the API', async () => {
    const staff = await t.app.request(`/ami/dossiers/${world.submitted}/recepisse.pdf`, {
      headers: { cookie: world.regional.cookie },
    });
    expect(staff.status).toBe(200);
    const api = await t.app.request(`/api/v1/ami/applications/${world.submitted}/receipt.pdf`, {
      headers: { authorization: world.owner.bearer },
    });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-type')).toBe('application/pdf');
  });

  it('who may read it, and only once submitted', async () => {
    const cases: Array<[string, number, string | null, number]> = [
      ['owner, draft', world.draft, world.owner.bearer, 409],
      ['owner, withdrawn before any submit', world.withdrawnDraft, world.owner.bearer, 409],
      ['staff, withdrawn before any submit (never visible)', world.withdrawnDraft, world.admin.bearer, 404],
      ['another organisation’s member', world.submitted, world.other.bearer, 404],
      ['regional instructor out of scope', world.submitted, world.outOfScope.bearer, 404],
      ['instructor, draft', world.draft, world.national.bearer, 404],
      ['anonymous', world.submitted, null, 401],
      ['admin', world.submitted, world.admin.bearer, 200],
    ];
    const results = [];
    for (const [who, id, auth] of cases)
      results.push([
        who,
        (
          await t.app.request(`/api/v1/ami/applications/${id}/receipt.pdf`, {
            headers: auth ? { authorization: auth } : {},
          })
        ).status,
      ]);
    expect(results).toEqual(cases.map(([who, , , status]) => [who, status]));
    const anonymousPage = await t.app.request(`/ami/dossiers/${world.submitted}/recepisse.pdf`);
    expect(anonymousPage.status).toBe(303);
    expect(anonymousPage.headers.get('location')).toContain('/connexion');
  });

  it('runs over several pages for a large consortium', async () => {
    const { amiMembers } = await import('../../src/db/schema.ts');
    await t.db.insert(amiMembers).values(
      Array.from({ length: 57 }, (_, i) => ({
        applicationId: world.submitted,
        position: 10 + i,
        siret: `${String(10_000_000_000_000 + i)}`,
        name: `Partenaire au nom assez long pour tenir sur plus d’une ligne du récépissé ${i + 1}`,
        kind: 'sme' as const,
        communeCode: '38563',
        role: 'partner' as const,
      })),
    );
    const res = await t.app.request(`/api/v1/ami/applications/${world.submitted}/receipt.pdf`, {
      headers: { authorization: world.owner.bearer },
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThan(1);
    const text = await pdfText(bytes);
    expect(text).toContain('Membres du consortium (60)');
    expect(text).toContain('Document généré le');
  });

  it('answers 503 (never 500) where the runtime has no pdf dependency, after the access checks', async () => {
    const bare = await createTestApp({ template: seeded.template, pdf: null });
    try {
      const api = await bare.app.request(`/api/v1/ami/applications/${world.submitted}/receipt.pdf`, {
        headers: { authorization: world.owner.bearer },
      });
      expect(api.status).toBe(503);
      expect(await api.json()).toEqual({
        error: { code: 'service_unavailable', message: RECEIPT_UNAVAILABLE },
      });
      const page = await bare.app.request(`/ami/dossiers/${world.submitted}/recepisse.pdf`, {
        headers: { cookie: world.owner.cookie },
      });
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('Le récépissé PDF ne peut pas être produit pour le moment');
      // Who may read it and whether it exists are answered first, as with a renderer.
      const foreign = await bare.app.request(`/api/v1/ami/applications/${world.submitted}/receipt.pdf`, {
        headers: { authorization: world.other.bearer },
      });
      expect(foreign.status).toBe(404);
      const draft = await bare.app.request(`/api/v1/ami/applications/${world.draft}/receipt.pdf`, {
        headers: { authorization: world.owner.bearer },
      });
      expect(draft.status).toBe(409);
    } finally {
      bare.close();
    }
  });

  it('answers 503 when the renderer fails (the PDF Worker unreachable), logged by the dependency', async () => {
    const failing = await createTestApp({
      template: seeded.template,
      pdf: servicePdf(
        {
          fetch: async () => {
            throw new Error('Network connection lost.');
          },
        },
        () => {},
      ),
    });
    try {
      const res = await failing.app.request(`/api/v1/ami/applications/${world.submitted}/receipt.pdf`, {
        headers: { authorization: world.owner.bearer },
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'service_unavailable' } });
    } finally {
      failing.close();
    }
  });

  it('draws characters the standard fonts lack without failing (accents dropped, else « ? »)', async () => {
    const { amiApplications } = await import('../../src/db/schema.ts');
    await t.db
      .update(amiApplications)
      .set({ projectName: 'Łódź 東京 Ōsaka\u202fça' })
      .where(eq(amiApplications.id, world.submitted));
    const res = await t.app.request(`/api/v1/ami/applications/${world.submitted}/receipt.pdf`, {
      headers: { authorization: world.owner.bearer },
    });
    expect(res.status).toBe(200);
    expect(await pdfText(new Uint8Array(await res.arrayBuffer()))).toContain('Projet : ?ódz ?? Osaka ça');
  });
});
