import { Breadcrumb, Container, PostButton } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { formText } from '../../lib/form.ts';
import { ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import { Pagination } from '../../lib/pagination.tsx';
import { REPORT_REASON_LABELS, type ReportGroup, type ReportReason } from './queries.ts';

const REASON_OPTIONS = Object.entries(REPORT_REASON_LABELS) as Array<[string, string]>;
const ACTION_LABELS: Record<string, string> = {
  unpublish: 'Dépubliée',
  dismiss: 'Signalement rejeté',
  republish: 'Republiée',
};

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

export function ReportForm({
  listingId,
  values = {},
  errors = {},
}: {
  listingId: number;
  values?: Record<string, string | string[]>;
  errors?: FieldErrors;
}) {
  const v = (name: string) => formText(values, name);
  return (
    <form method="post" action={`/annonces/${listingId}/signaler`}>
      <SelectField
        name="reason"
        label="Motif du signalement"
        required
        value={v('reason')}
        options={REASON_OPTIONS}
        error={errors.reason}
      />
      <InputField
        name="note"
        label="Précisions"
        hint="Facultatif, 1 000 caractères au plus."
        multiline
        maxlength={1000}
        value={v('note')}
        error={errors.note}
      />
      <button type="submit" class="fr-btn fr-btn--secondary fr-icon-flag-line fr-btn--icon-left">
        Signaler l’annonce
      </button>
    </form>
  );
}

export function UnpublishForm({
  listingId,
  values = {},
  errors = {},
}: {
  listingId: number;
  values?: Record<string, string | string[]>;
  errors?: FieldErrors;
}) {
  return (
    <form method="post" action={`/annonces/${listingId}/depublier`}>
      <InputField
        name="reason"
        label="Motif de la dépublication"
        hint="Envoyé aux responsables de l’organisation (1 000 caractères au plus)."
        required
        multiline
        maxlength={1000}
        value={typeof values.reason === 'string' ? values.reason : ''}
        error={errors.reason}
      />
      <button type="submit" class="fr-btn fr-icon-eye-off-line fr-btn--icon-left">
        Dépublier l’annonce
      </button>
    </form>
  );
}

export function ReportPage({
  listing,
  values,
  errors = {},
  done,
}: {
  listing: { id: number; title: string };
  values?: Record<string, string | string[]>;
  errors?: FieldErrors;
  done?: boolean;
}) {
  return (
    <Container narrow>
      <Breadcrumb
        items={[
          { label: 'Annonces', href: '/annonces' },
          { label: listing.title, href: `/annonces/${listing.id}` },
          { label: 'Signaler' },
        ]}
      />
      <h1>Signaler l’annonce « {listing.title} »</h1>
      {done ? (
        <div class="fr-alert fr-alert--success fr-mb-4w">
          <p>Merci : votre signalement a été transmis à l’équipe de modération.</p>
        </div>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <ReportForm listingId={listing.id} values={values} errors={errors} />
        </>
      )}
      <p class="fr-mt-4w">
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={`/annonces/${listing.id}`}>
          Retour à l’annonce
        </a>
      </p>
    </Container>
  );
}

export function UnpublishPage({
  listing,
  values,
  errors = {},
}: {
  listing: { id: number; title: string };
  values?: Record<string, string | string[]>;
  errors?: FieldErrors;
}) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Modération', href: '/moderation' }, { label: 'Dépublier' }]} />
      <h1>Dépublier l’annonce « {listing.title} »</h1>
      <ErrorSummary errors={errors} />
      <UnpublishForm listingId={listing.id} values={values} errors={errors} />
    </Container>
  );
}

export function ModerationPage({
  groups,
  total,
  page,
  perPage,
}: {
  groups: ReportGroup[];
  total: number;
  page: number;
  perPage: number;
}) {
  return (
    <Container>
      <h1>Modération des annonces</h1>
      <p>
        {total === 0
          ? 'Aucun signalement en attente.'
          : `${total} annonce${total > 1 ? 's' : ''} signalée${total > 1 ? 's' : ''}, la plus anciennement signalée d’abord.`}
      </p>
      {groups.map((group) => (
        <section class="fr-mb-6w" aria-labelledby={`annonce-${group.listing.id}`}>
          <h2 id={`annonce-${group.listing.id}`} class="fr-h4">
            <a href={`/annonces/${group.listing.id}`}>{group.listing.title}</a>
          </h2>
          <p class="fr-text--sm">
            {group.listing.organisationName} — statut : {group.listing.status}
          </p>
          <h3 class="fr-h6">Signalements ouverts</h3>
          <ul>
            {group.reports.map((report) => (
              <li class="fr-mb-2w">
                <p class="fr-mb-1w">
                  <strong>{REPORT_REASON_LABELS[report.reason as ReportReason]}</strong> —{' '}
                  {dateTime(report.createdAt)}
                  {report.reporter ? ` — par ${report.reporter}` : ''}
                </p>
                {report.note && <p class="fr-mb-1w">{report.note}</p>}
                <PostButton
                  action={`/moderation/signalements/${report.id}/rejeter`}
                  label="Rejeter"
                  hidden={`le signalement du ${dateTime(report.createdAt)}`}
                  icon="fr-icon-close-line"
                  secondary
                />
              </li>
            ))}
          </ul>
          {group.listing.status !== 'unpublished' && <UnpublishForm listingId={group.listing.id} />}
          {group.history.length > 0 && (
            <>
              <h3 class="fr-h6 fr-mt-2w">Historique de modération</h3>
              <ul>
                {group.history.map((h) => (
                  <li>
                    {dateTime(h.createdAt)} — {ACTION_LABELS[h.action] ?? h.action}
                    {h.actor ? ` par ${h.actor}` : ''}
                    {h.reason ? ` : ${h.reason}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ))}
      <Pagination page={page} perPage={perPage} total={total} hrefFor={(p) => `/moderation?page=${p}`} />
    </Container>
  );
}
