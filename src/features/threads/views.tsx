import { THREAD_DECLINE_REASONS } from '../../db/schema.ts';
import { Paragraphs } from '../../lib/directory/views.tsx';
import { Alert, Breadcrumb, Container } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { type FormValues, formText } from '../../lib/form.ts';
import { ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import type { ThreadRow, ThreadSide, ThreadSummary } from './queries.ts';
import { DECLINE_REASON_LABELS, MESSAGE_MAX, STATUS_LABELS } from './schemas.ts';

/** Made once (`toLocaleString` with options builds a formatter per call). */
const DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});
const dateFr = (iso: string) => DATE_TIME.format(new Date(iso));

export function StatusBadge({ status }: { status: ThreadRow['status'] }) {
  const kind = { open: 'info', accepted: 'success', declined: 'warning', concluded: 'success' }[status];
  return <p class={`fr-badge fr-badge--sm fr-badge--${kind}`}>{STATUS_LABELS[status]}</p>;
}

export function ThreadList({ threads }: { threads: ThreadSummary[] }) {
  if (threads.length === 0) return <p>Aucun échange pour l’instant.</p>;
  return (
    <ul class="fr-raw-list">
      {threads.map((t) => (
        <li class="fr-mb-2w">
          <a href={`/echanges/${t.id}`} class="fr-link">
            {t.listingTitle} — {t.ownerName} ↔ {t.responderName}
          </a>{' '}
          <StatusBadge status={t.status} />
          {Number(t.unread) > 0 && (
            <p class="fr-badge fr-badge--sm fr-badge--new">
              {t.unread} non lu{Number(t.unread) > 1 ? 's' : ''}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

export function ThreadsPage({ threads }: { threads: ThreadSummary[] }) {
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: 'Mes échanges' }]} />
      <h1>Mes échanges</h1>
      <ThreadList threads={threads} />
    </Container>
  );
}

export interface ThreadPageProps {
  thread: ThreadRow;
  side: ThreadSide;
  listingTitle: string;
  ownerName: string;
  responderName: string;
  messages: Array<{ id: number; organisationId: number; body: string; createdAt: string }>;
  values?: FormValues;
  errors?: FieldErrors;
  form?: 'message' | 'decline' | 'conclude' | 'accept';
  notice?: string;
}

export function ThreadPage(p: ThreadPageProps) {
  const { thread } = p;
  const errors = p.errors ?? {};
  const values = p.values ?? {};
  const nameOf = (orgId: number) => (orgId === thread.ownerOrganisationId ? p.ownerName : p.responderName);
  const errs = (form: ThreadPageProps['form']) => (p.form === form ? errors : {});
  const val = (form: ThreadPageProps['form'], name: string) =>
    p.form === form ? formText(values, name) : undefined;
  return (
    <Container>
      <Breadcrumb
        items={[
          { label: 'Accueil', href: '/' },
          { label: 'Mes échanges', href: '/echanges' },
          { label: p.listingTitle },
        ]}
      />
      <h1>Échange : {p.listingTitle}</h1>
      <p>
        Entre {p.ownerName} (annonce) et {p.responderName}. <StatusBadge status={thread.status} />
      </p>
      <p>
        <a class="fr-link" href={`/annonces/${thread.listingId}`}>
          Voir l’annonce
        </a>
      </p>
      {p.notice && <Alert type="success" small title={p.notice} />}
      {Object.keys(errors).length > 0 && <ErrorSummary errors={errors} />}
      {thread.status === 'declined' && (
        <p>
          Motif : {thread.declineReason ? DECLINE_REASON_LABELS[thread.declineReason] : '—'}
          {thread.declineNote ? ` — ${thread.declineNote}` : ''}
        </p>
      )}
      {thread.status === 'concluded' && (
        <div>
          <h2>Ce qui a été mutualisé</h2>
          <ul>
            {thread.outcomeEuros !== null && <li>{thread.outcomeEuros} € économisés ou partagés</li>}
            {thread.outcomeFte !== null && <li>{thread.outcomeFte} ETP partagés</li>}
            {thread.outcomeM2 !== null && <li>{thread.outcomeM2} m² partagés</li>}
            {thread.outcomeTonnes !== null && <li>{thread.outcomeTonnes} tonnes réemployées</li>}
            {thread.outcomePeopleTrained !== null && <li>{thread.outcomePeopleTrained} personnes formées</li>}
          </ul>
          {thread.outcomeNote && <Paragraphs text={thread.outcomeNote} />}
        </div>
      )}
      <h2>Messages</h2>
      <ol class="fr-raw-list" id="messages">
        {p.messages.map((m) => (
          <li class="fr-mb-3w" id={`message-${m.id}`}>
            <p class="fr-text--bold fr-mb-1v">
              {nameOf(m.organisationId)} — <time datetime={m.createdAt}>{dateFr(m.createdAt)}</time>
            </p>
            <Paragraphs text={m.body} />
          </li>
        ))}
      </ol>
      <form method="post" action={`/echanges/${thread.id}/messages`}>
        <InputField
          name="message"
          label="Votre message"
          multiline
          required
          maxlength={MESSAGE_MAX}
          value={val('message', 'message')}
          error={errs('message').message}
        />
        <button type="submit" class="fr-btn">
          Envoyer
        </button>
      </form>
      {thread.status === 'open' && p.side === 'owner' && (
        <div class="fr-mt-5w">
          <h2>Donner suite</h2>
          <form method="post" action={`/echanges/${thread.id}/accepter`} class="fr-mb-3w">
            <input type="hidden" name="version" value={String(thread.version)} />
            <button type="submit" class="fr-btn fr-btn--secondary">
              Accepter : une coopération est convenue
            </button>
          </form>
          <form method="post" action={`/echanges/${thread.id}/decliner`}>
            <input type="hidden" name="version" value={String(thread.version)} />
            <SelectField
              name="reason"
              label="Motif du refus"
              required
              value={val('decline', 'reason')}
              error={errs('decline').reason}
              options={THREAD_DECLINE_REASONS.map((r) => [r, DECLINE_REASON_LABELS[r]])}
            />
            <InputField
              name="note"
              label="Précision (facultatif)"
              multiline
              value={val('decline', 'note')}
              error={errs('decline').note}
            />
            <button type="submit" class="fr-btn fr-btn--tertiary">
              Décliner
            </button>
          </form>
        </div>
      )}
      {thread.status === 'accepted' && (
        <form method="post" action={`/echanges/${thread.id}/conclure`} class="fr-mt-5w">
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">
              <h2 class="fr-h4">Marquer la coopération comme réalisée</h2>
              <span class="fr-hint-text">
                Indiquez ce qui a été mutualisé, en chiffres quand ils s’appliquent.
              </span>
            </legend>
            <input type="hidden" name="version" value={String(thread.version)} />
            {(
              [
                ['euros', 'Euros économisés ou partagés'],
                ['fte', 'ETP partagés'],
                ['m2', 'm² partagés'],
                ['tonnes', 'Tonnes réemployées'],
                ['peopleTrained', 'Personnes formées'],
              ] as const
            ).map(([name, label]) => (
              <div class="fr-fieldset__element">
                <InputField
                  name={name}
                  label={label}
                  type="text"
                  value={val('conclude', name)}
                  error={errs('conclude')[name]}
                />
              </div>
            ))}
            <div class="fr-fieldset__element">
              <InputField
                name="note"
                label="Note (facultatif)"
                multiline
                value={val('conclude', 'note')}
                error={errs('conclude').note}
              />
            </div>
          </fieldset>
          <button type="submit" class="fr-btn">
            Marquer comme réalisée
          </button>
        </form>
      )}
    </Container>
  );
}
