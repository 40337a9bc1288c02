import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod';
import type { AppContext, AppEnv, SessionUser } from '../../lib/context.ts';
import { Container } from '../../lib/dsfr.tsx';
import {
  AppError,
  BadRequest,
  Conflict,
  type FieldErrors,
  PayloadTooLarge,
  ServiceUnavailable,
  ValidationError,
} from '../../lib/errors.ts';
import { type FormRenderer, validForm } from '../../lib/form.ts';
import { MALFORMED_FORM } from '../../lib/forms.tsx';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { fieldErrors } from '../../lib/validation.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { visibleDossier } from './access.ts';
import { ATTACHMENT_REFUSALS, attachmentDisposition, MAX_ATTACHMENT_BYTES } from './attachment-files.ts';
import { PiecesSection } from './attachment-views.tsx';
import {
  type AttachmentDeps,
  type AttachmentRow,
  addPiece,
  attachmentForDownload,
  deletePiece,
  listPieces,
  type Upload,
} from './attachments.ts';
import {
  type DossierMessage,
  listDossierMessages,
  type MessageDeps,
  messageInput,
  messageSide,
  postMessage,
} from './messages.ts';
import { DossierMessages } from './messages-panel.tsx';
import { loadDossier } from './queries.ts';
import { receiptDocument, receiptFileName } from './receipt.ts';

/**
 * The AMI's files and messages: the section « pièces jointes » (page, upload, removal), downloads of
 * any file of a dossier, messages between applicant and staff (pages and API), and the PDF
 * récépissé. See docs/decisions/021-ami-files.md.
 */

/** An upload body: one file of 10 Mo plus the multipart envelope and a message's text. */
export const AMI_UPLOAD_BODY_MAX_BYTES = MAX_ATTACHMENT_BYTES + 64 * 1024;

const UPLOAD_PATH =
  /^\/(?:ami\/dossiers\/[^/]+\/(?:pieces|messages)|instruction\/dossiers\/[^/]+\/messages|api\/v1\/ami\/applications\/[^/]+\/(?:attachments|messages))\/?$/;

/** The routes that take a file apply their own body limit (app.ts skips the global 1 Mio one for them). */
export const isAmiUpload = (method: string, path: string) => method === 'POST' && UPLOAD_PATH.test(path);

const PRIVATE_FILE_HEADERS = {
  'Cache-Control': 'private, no-store',
  'X-Content-Type-Options': 'nosniff',
};

const attachmentDeps = (c: AppContext): AttachmentDeps => {
  const deps = c.get('deps');
  return { db: c.get('db'), storage: deps.storage, clock: deps.clock };
};
const messageDeps = (c: AppContext): MessageDeps => ({ ...serviceDeps(c), storage: c.get('deps').storage });

/** The form's file (the body is parsed once: validForm's parse is cached); absent when none was chosen. */
async function readUpload(c: AppContext): Promise<Upload | undefined> {
  const value = (await c.req.parseBody({ all: true })).file;
  const file = Array.isArray(value) ? value[0] : value;
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) return undefined;
  return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
}

/** A multipart body of the API (400 when it is not one). */
async function apiMultipart(
  c: AppContext,
  what: string,
): Promise<Record<string, string | File | (string | File)[]>> {
  if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? ''))
    throw new ValidationError({ file: `Envoyez ${what} en multipart/form-data, dans le champ « file ».` });
  try {
    return await c.req.parseBody({ all: true });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new BadRequest(MALFORMED_FORM);
  }
}

const fileOf = async (value: unknown): Promise<Upload | undefined> => {
  const file = Array.isArray(value) ? value[0] : value;
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) return undefined;
  return { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
};

/** The JSON of a dossier's file in the API (`{id, name, type, size}`). */
export const attachmentJson = (row: Pick<AttachmentRow, 'id' | 'name' | 'contentType' | 'size'>) => ({
  id: row.id,
  name: row.name,
  type: row.contentType,
  size: row.size,
});

/** The JSON of a message in the API. */
export const messageJson = (m: DossierMessage) => ({
  id: m.id,
  authorName: m.authorName,
  fromStaff: m.fromStaff,
  body: m.body,
  createdAt: m.createdAt,
  attachments: m.attachments.map(attachmentJson),
});

/** The dossier page a viewer returns to: the staff's for staff, the applicant's otherwise. */
const dossierHref = (id: number, staff: boolean) =>
  staff ? `/instruction/dossiers/${id}` : `/ami/dossiers/${id}`;

function BackLink({ href }: { href: string }) {
  return (
    <p>
      <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={href}>
        Retour au dossier
      </a>
    </p>
  );
}

// ————————————————————————————————————————— pieces page

async function piecesPage(
  c: AppContext,
  { errors, status }: { errors: FieldErrors; status: 200 | 409 | 413 | 422 },
) {
  const viewer = requireUser(c);
  const id = idParam(c, 'id');
  const { access, rights } = await visibleDossier(c.get('db'), id, viewer);
  const pieces = await listPieces(c.get('db'), id);
  const name = access.application.projectName || access.application.reference || `dossier n° ${id}`;
  return renderPage(
    c,
    { title: `${status === 413 ? 'Erreur — ' : ''}Pièces jointes — ${name}`, status },
    <Container>
      <BackLink href={dossierHref(id, rights.staff && !rights.applicant)} />
      <h1>Pièces jointes du dossier « {name} »</h1>
      <PiecesSection
        applicationId={id}
        pieces={pieces}
        editable={rights.editableSections.includes('pieces')}
        applicant={rights.applicant}
        errors={errors}
        notice={status === 200 ? c.req.query('avis') : undefined}
      />
    </Container>,
  );
}

const renderPiecesPage: FormRenderer = (c, { errors, status }) => piecesPage(c, { errors, status });

// ————————————————————————————————————————— messages page

/** The messages of a dossier on their own page (where the form comes back with its errors without JS). */
async function messagesPage(
  c: AppContext,
  staffRoute: boolean,
  { errors, body, status }: { errors: FieldErrors; body?: string | undefined; status: 200 | 409 | 413 | 422 },
) {
  const viewer = requireUser(c);
  const id = idParam(c, 'id');
  const db = c.get('db');
  const { access, rights } = await visibleDossier(db, id, viewer);
  const side = messageSide(rights, access.application);
  const name = access.application.projectName || access.application.reference || `dossier n° ${id}`;
  return renderPage(
    c,
    { title: `${status === 413 ? 'Erreur — ' : ''}Messages — ${name}`, status },
    <Container>
      <BackLink href={dossierHref(id, staffRoute)} />
      <h1>Messages du dossier « {name} »</h1>
      <DossierMessages
        applicationId={id}
        messages={await listDossierMessages(db, id)}
        side={side}
        errors={errors}
        body={body}
      />
    </Container>,
  );
}

const messageForm = (staffRoute: boolean) =>
  validForm(messageInput, (c, { values, errors, status }) =>
    messagesPage(c, staffRoute, {
      errors,
      body: typeof values.body === 'string' ? values.body : undefined,
      status,
    }),
  );

const messageBodyLimit = (staffRoute: boolean) =>
  bodyLimit({
    maxSize: AMI_UPLOAD_BODY_MAX_BYTES,
    onError: (c) =>
      messagesPage(c as AppContext, staffRoute, {
        errors: { file: ATTACHMENT_REFUSALS.tooLarge },
        status: 413,
      }),
  });

/**
 * Posts the message of a page form, then back to the dossier page of the route's side. Both routes
 * post the same way: who writes (applicant or staff) follows from the viewer's rights, not the route.
 */
async function postFromPage(c: AppContext, staffRoute: boolean, body: string) {
  const viewer = requireVerifiedUser(c);
  const id = idParam(c, 'id');
  await postMessage(messageDeps(c), id, viewer, { body, file: await readUpload(c) });
  return c.redirect(`${dossierHref(id, staffRoute)}#messages`, 303);
}

// ————————————————————————————————————————— receipt

/** When the runtime has no `pdf` dependency (a Worker deployed without its PDF service binding). */
export const RECEIPT_UNAVAILABLE =
  'Le récépissé PDF ne peut pas être produit pour le moment : réessayez dans quelques minutes.';

async function receipt(c: AppContext, viewer: SessionUser) {
  const id = idParam(c, 'id');
  const db = c.get('db');
  const { access } = await visibleDossier(db, id, viewer);
  const application = access.application;
  if (!application.reference || !application.submittedAt)
    throw new Conflict('Le récépissé est disponible une fois le dossier déposé.');
  const { pdf: renderer, clock } = c.get('deps');
  if (!renderer) throw new ServiceUnavailable(RECEIPT_UNAVAILABLE);
  const pdf = await renderer.render(receiptDocument(await loadDossier(db, application), clock.now()));
  return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
    ...PRIVATE_FILE_HEADERS,
    'Content-Type': 'application/pdf',
    'Content-Disposition': attachmentDisposition(receiptFileName(application.reference)),
    'Content-Length': String(pdf.length),
  });
}

async function download(c: AppContext, viewer: SessionUser | null) {
  const { row, body } = await attachmentForDownload(
    attachmentDeps(c),
    idParam(c, 'id'),
    idParam(c, 'attachmentId'),
    viewer,
  );
  return c.body(body as Uint8Array<ArrayBuffer>, 200, {
    ...PRIVATE_FILE_HEADERS,
    'Content-Type': row.contentType,
    'Content-Disposition': attachmentDisposition(row.name),
    'Content-Length': String(body.length),
  });
}

/** AMI attachments, messages and récépissé. */
export const amiFileRoutes = new Hono<AppEnv>();

amiFileRoutes.get('/ami/dossiers/:id/pieces', (c) => piecesPage(c, { errors: {}, status: 200 }));

amiFileRoutes.post(
  '/ami/dossiers/:id/pieces',
  bodyLimit({
    maxSize: AMI_UPLOAD_BODY_MAX_BYTES,
    onError: (c) =>
      piecesPage(c as AppContext, { errors: { file: ATTACHMENT_REFUSALS.tooLarge }, status: 413 }),
  }),
  validForm(z.object({}), renderPiecesPage, { fields: ['file'] }),
  async (c) => {
    const viewer = requireVerifiedUser(c);
    const id = idParam(c, 'id');
    await addPiece(attachmentDeps(c), id, viewer, await readUpload(c));
    return c.redirect(`/ami/dossiers/${id}/pieces?avis=piece-ajoutee`, 303);
  },
);

amiFileRoutes.post('/ami/dossiers/:id/pieces/:attachmentId/supprimer', async (c) => {
  const viewer = requireVerifiedUser(c);
  const id = idParam(c, 'id');
  await deletePiece(attachmentDeps(c), id, idParam(c, 'attachmentId'), viewer);
  return c.redirect(`/ami/dossiers/${id}/pieces?avis=piece-retiree`, 303);
});

amiFileRoutes.get('/ami/dossiers/:id/pieces/:attachmentId', (c) => download(c, requireUser(c)));

amiFileRoutes.get('/ami/dossiers/:id/messages', (c) => messagesPage(c, false, { errors: {}, status: 200 }));
amiFileRoutes.get('/instruction/dossiers/:id/messages', (c) =>
  messagesPage(c, true, { errors: {}, status: 200 }),
);
amiFileRoutes.post('/ami/dossiers/:id/messages', messageBodyLimit(false), messageForm(false), (c) =>
  postFromPage(c, false, c.req.valid('form').body),
);
amiFileRoutes.post('/instruction/dossiers/:id/messages', messageBodyLimit(true), messageForm(true), (c) =>
  postFromPage(c, true, c.req.valid('form').body),
);

amiFileRoutes.get('/ami/dossiers/:id/recepisse.pdf', (c) => receipt(c, requireUser(c)));

// ————————————————————————————————————————— API

/** The API's upload limit: the error envelope (`payload_too_large`) with the French message. */
const apiBodyLimit = bodyLimit({
  maxSize: AMI_UPLOAD_BODY_MAX_BYTES,
  onError: () => {
    throw new PayloadTooLarge(ATTACHMENT_REFUSALS.tooLarge);
  },
});

amiFileRoutes.post('/api/v1/ami/applications/:id/attachments', apiBodyLimit, async (c) => {
  const viewer = requireVerifiedUser(c);
  const form = await apiMultipart(c, 'la pièce');
  const row = await addPiece(attachmentDeps(c), idParam(c, 'id'), viewer, await fileOf(form.file));
  return c.json(attachmentJson(row), 201);
});

amiFileRoutes.get('/api/v1/ami/applications/:id/attachments/:attachmentId', (c) =>
  download(c, requireUser(c)),
);

amiFileRoutes.delete('/api/v1/ami/applications/:id/attachments/:attachmentId', async (c) => {
  const viewer = requireVerifiedUser(c);
  await deletePiece(attachmentDeps(c), idParam(c, 'id'), idParam(c, 'attachmentId'), viewer);
  return c.body(null, 204);
});

amiFileRoutes.get('/api/v1/ami/applications/:id/messages', async (c) => {
  const viewer = requireUser(c);
  const id = idParam(c, 'id');
  await visibleDossier(c.get('db'), id, viewer);
  const items = await listDossierMessages(c.get('db'), id);
  return c.json({ items: items.map(messageJson) });
});

amiFileRoutes.post('/api/v1/ami/applications/:id/messages', apiBodyLimit, async (c) => {
  const viewer = requireVerifiedUser(c);
  const type = c.req.header('content-type') ?? '';
  let raw: unknown;
  let file: Upload | undefined;
  if (/^multipart\/form-data\b/i.test(type)) {
    const form = await apiMultipart(c, 'le fichier');
    raw = { body: Array.isArray(form.body) ? form.body[0] : form.body };
    file = await fileOf(form.file);
  } else if (/^application\/json\b/i.test(type)) {
    raw = await c.req.json().catch(() => {
      throw new BadRequest('Le corps de la requête n’est pas un JSON valide.');
    });
  } else throw new ValidationError({ body: 'Envoyez { "body": … } en JSON, ou un formulaire multipart.' });
  const parsed = messageInput.strict().safeParse(raw);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const message = await postMessage(messageDeps(c), idParam(c, 'id'), viewer, {
    body: parsed.data.body,
    file,
  });
  return c.json(messageJson(message), 201);
});

amiFileRoutes.get('/api/v1/ami/applications/:id/receipt.pdf', (c) => receipt(c, requireUser(c)));
