import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import * as z from 'zod';
import { EMAIL_FREQUENCIES, listings, organisations } from '../../db/schema.ts';
import type { AppContext, AppEnv } from '../../lib/context.ts';
import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import { NotFound } from '../../lib/errors.ts';
import { type FormFailure, validForm } from '../../lib/form.ts';
import { SelectField } from '../../lib/forms.tsx';
import { idParam } from '../../lib/params.ts';
import { renderPage } from '../../lib/render.tsx';
import { validBody } from '../../lib/validation.ts';
import { requireUser, requireVerifiedUser } from '../auth/session.ts';
import { serviceDeps } from '../notifications/deps.ts';
import { FREQUENCY_LABELS, getNotificationSettings, setMessageFrequency } from '../notifications/settings.ts';
import { applyUnsubscribe, findUnsubscribe } from '../notifications/unsubscribe.ts';
import { ListingResponsePage } from './listing-panel.tsx';
import { notifyNewMessage } from './notify.ts';
import {
  changeStatus,
  listThreads,
  markRead,
  openThread,
  postMessage,
  type StatusChange,
  threadForViewer,
  threadJson,
  threadMessagesOf,
} from './queries.ts';
import {
  acceptForm,
  concludeForm,
  declineForm,
  messageBody,
  responseBody,
  responseForm,
  statusBody,
} from './schemas.ts';
import { ThreadPage, type ThreadPageProps, ThreadsPage } from './views.tsx';

/** Answers to listings: threads between two organisations, messages, status. */
export const threadRoutes = new Hono<AppEnv>();

async function orgName(c: AppContext, id: number) {
  const [row] = await c
    .get('db')
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, id));
  return row?.name ?? '';
}

async function renderThread(
  c: AppContext,
  extra: Partial<ThreadPageProps> & { status?: 422 | 409 | 200 } = {},
) {
  const viewer = requireUser(c);
  const db = c.get('db');
  const { thread, side } = await threadForViewer(db, idParam(c), viewer);
  const messages = await threadMessagesOf(db, thread.id);
  const [listing] = await db
    .select({ title: listings.title })
    .from(listings)
    .where(eq(listings.id, thread.listingId));
  const last = messages.at(-1);
  if (last && extra.status === undefined) await markRead(db, thread.id, viewer.id, last.id);
  return renderPage(
    c,
    { title: `Échange : ${listing?.title ?? ''}`, status: extra.status ?? 200 },
    <ThreadPage
      thread={thread}
      side={side}
      listingTitle={listing?.title ?? ''}
      ownerName={await orgName(c, thread.ownerOrganisationId)}
      responderName={await orgName(c, thread.responderOrganisationId)}
      messages={messages}
      {...extra}
    />,
  );
}

const formRenderer =
  (form: ThreadPageProps['form']) =>
  (c: AppContext, { values, errors, status }: FormFailure) =>
    renderThread(c, { values, errors, status: status as 422 | 409, form });

// ————————————————————————————————————————— pages

threadRoutes.get('/echanges', async (c) => {
  const viewer = c.get('viewer');
  if (!viewer) return c.redirect(`/connexion?retour=${encodeURIComponent('/echanges')}`, 303);
  const threads = await listThreads(c.get('db'), viewer.id);
  return renderPage(c, { title: 'Mes échanges' }, <ThreadsPage threads={threads} />);
});

threadRoutes.get('/echanges/:id', async (c) => {
  if (!c.get('viewer')) return c.redirect(`/connexion?retour=${encodeURIComponent(c.req.path)}`, 303);
  return renderThread(c, { notice: c.req.query('ok') ? 'C’est enregistré.' : undefined });
});

threadRoutes.post('/annonces/:id/reponses', validForm(responseForm, ListingResponsePage), async (c) => {
  const viewer = requireVerifiedUser(c);
  const input = c.req.valid('form');
  const deps = serviceDeps(c);
  const { thread, message } = await openThread(
    deps.db,
    viewer,
    { listingId: idParam(c), organisationId: input.organisationId, message: input.message },
    deps.clock.now(),
  );
  await notifyNewMessage(deps, thread, message);
  return c.redirect(`/echanges/${thread.id}`, 303);
});

threadRoutes.post('/echanges/:id/messages', validForm(messageBody, formRenderer('message')), async (c) => {
  const viewer = requireVerifiedUser(c);
  const deps = serviceDeps(c);
  const { access, message } = await postMessage(
    deps.db,
    viewer,
    idParam(c),
    c.req.valid('form').message,
    deps.clock.now(),
  );
  await notifyNewMessage(deps, access.thread, message);
  return c.redirect(`/echanges/${access.thread.id}#message-${message.id}`, 303);
});

async function statusFromPage(c: AppContext, change: StatusChange) {
  const viewer = requireVerifiedUser(c);
  const db = c.get('db');
  const access = await threadForViewer(db, idParam(c), viewer);
  await changeStatus(db, access, change, c.get('deps').clock.now());
  return c.redirect(`/echanges/${access.thread.id}?ok=1`, 303);
}

threadRoutes.post('/echanges/:id/accepter', validForm(acceptForm, formRenderer('accept')), (c) =>
  statusFromPage(c, { status: 'accepted', version: c.req.valid('form').version }),
);
threadRoutes.post('/echanges/:id/decliner', validForm(declineForm, formRenderer('decline')), (c) => {
  const f = c.req.valid('form');
  return statusFromPage(c, { status: 'declined', version: f.version, reason: f.reason, note: f.note });
});
threadRoutes.post('/echanges/:id/conclure', validForm(concludeForm, formRenderer('conclude')), (c) => {
  const { version, note, ...outcome } = c.req.valid('form');
  return statusFromPage(c, { status: 'concluded', version, note, outcome });
});

// ————————————————————————————————————————— API

threadRoutes.post('/api/v1/listings/:id/responses', validBody('json', responseBody), async (c) => {
  const viewer = requireVerifiedUser(c);
  const deps = serviceDeps(c);
  const input = c.req.valid('json');
  const { thread, message, created } = await openThread(
    deps.db,
    viewer,
    { listingId: idParam(c), ...input },
    deps.clock.now(),
  );
  await notifyNewMessage(deps, thread, message);
  return c.json({ thread: threadJson(thread) }, created ? 201 : 200);
});

threadRoutes.get('/api/v1/threads', async (c) => {
  const viewer = requireUser(c);
  const rows = await listThreads(c.get('db'), viewer.id);
  return c.json({ items: rows.map((r) => ({ ...r, unread: Number(r.unread) })) });
});

threadRoutes.get('/api/v1/threads/:id', async (c) => {
  const viewer = requireUser(c);
  const db = c.get('db');
  const { thread } = await threadForViewer(db, idParam(c), viewer);
  const messages = await threadMessagesOf(db, thread.id);
  return c.json({ thread: threadJson(thread, { messages }) });
});

threadRoutes.post('/api/v1/threads/:id/messages', validBody('json', messageBody), async (c) => {
  const viewer = requireVerifiedUser(c);
  const deps = serviceDeps(c);
  const { access, message } = await postMessage(
    deps.db,
    viewer,
    idParam(c),
    c.req.valid('json').message,
    deps.clock.now(),
  );
  await notifyNewMessage(deps, access.thread, message);
  return c.json({ message }, 201);
});

threadRoutes.post('/api/v1/threads/:id/status', validBody('json', statusBody), async (c) => {
  const viewer = requireVerifiedUser(c);
  const db = c.get('db');
  const access = await threadForViewer(db, idParam(c), viewer);
  const updated = await changeStatus(db, access, c.req.valid('json'), c.get('deps').clock.now());
  return c.json({ thread: threadJson(updated) });
});

// ————————————————————————————————————————— notification settings and one-click unsubscribe

const settingsForm = z.object({ messages: z.enum(EMAIL_FREQUENCIES, 'Choisissez une fréquence.') });

function SettingsPage({ value, error, saved }: { value: string; error?: string; saved?: boolean }) {
  return (
    <Container narrow>
      <Breadcrumb
        items={[
          { label: 'Accueil', href: '/' },
          { label: 'Mon espace', href: '/mon-espace' },
          { label: 'Notifications' },
        ]}
      />
      <h1>Notifications</h1>
      {saved && <Alert type="success" small title="Vos préférences sont enregistrées." />}
      <form method="post" action="/mon-espace/notifications">
        <SelectField
          name="messages"
          label="Courriels des nouveaux messages de vos échanges"
          required
          value={value}
          error={error}
          options={EMAIL_FREQUENCIES.map((f) => [f, FREQUENCY_LABELS[f]])}
        />
        <button type="submit" class="fr-btn">
          Enregistrer
        </button>
      </form>
    </Container>
  );
}

threadRoutes.get('/mon-espace/notifications', async (c) => {
  const viewer = c.get('viewer');
  if (!viewer) return c.redirect(`/connexion?retour=${encodeURIComponent(c.req.path)}`, 303);
  const settings = await getNotificationSettings(c.get('db'), viewer.id);
  return renderPage(
    c,
    { title: 'Notifications' },
    <SettingsPage value={settings.messages} saved={!!c.req.query('ok')} />,
  );
});

threadRoutes.post(
  '/mon-espace/notifications',
  validForm(settingsForm, (c, { values, errors, status }) =>
    renderPage(
      c,
      { title: 'Notifications', status },
      <SettingsPage value={String(values.messages ?? '')} error={errors.messages} />,
    ),
  ),
  async (c) => {
    const viewer = requireUser(c);
    await setMessageFrequency(
      c.get('db'),
      viewer.id,
      c.req.valid('form').messages,
      c.get('deps').clock.now(),
    );
    return c.redirect('/mon-espace/notifications?ok=1', 303);
  },
);

threadRoutes.get('/desabonnement/:token', async (c) => {
  const target = await findUnsubscribe(c.get('db'), c.req.param('token'));
  if (!target) throw new NotFound('Ce lien de désabonnement est inconnu.');
  return renderPage(
    c,
    { title: 'Se désabonner' },
    <Container narrow>
      <h1>Se désabonner</h1>
      <p>Vous ne recevrez plus {target.label}.</p>
      <form method="post" action={c.req.path}>
        <button type="submit" class="fr-btn">
          Confirmer le désabonnement
        </button>
      </form>
    </Container>,
  );
});

/** The confirmation button, and the RFC 8058 one-click POST of mail clients (body `List-Unsubscribe=One-Click`). */
threadRoutes.post('/desabonnement/:token', async (c) => {
  const target = await applyUnsubscribe(c.get('db'), c.req.param('token'), c.get('deps').clock.now());
  if (!target) throw new NotFound('Ce lien de désabonnement est inconnu.');
  return renderPage(
    c,
    { title: 'Désabonnement enregistré' },
    <Container narrow>
      <h1>Désabonnement enregistré</h1>
      <p>Vous ne recevrez plus {target.label}.</p>
      <p>
        <a class="fr-link" href="/mon-espace/notifications">
          Régler vos notifications
        </a>
      </p>
    </Container>,
  );
});
