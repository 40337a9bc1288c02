import type { Child } from 'hono/jsx';
import { POLE_STATUSES } from '../../db/schema.ts';
import { Paragraphs } from '../../lib/directory/views.tsx';
import {
  Alert,
  Breadcrumb,
  ConfirmAction,
  Container,
  PostButton,
  DemoBadge as SharedDemoBadge,
  TableFrame,
} from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import type { FormValues } from '../../lib/form.ts';
import { CheckboxesField, ErrorSummary, InputField, RadioChoices, SelectField } from '../../lib/forms.tsx';
import { labelOf } from '../../lib/labels.ts';
import type { Commune } from '../geo/queries.ts';
import { departementLabel, REGIONS } from '../geo/territories.ts';
import { CommuneField } from '../geo/views.tsx';
import { ListingCard } from '../listings/card.tsx';
import type { ListingCardView } from '../listings/output.ts';
import { KIND_LABELS } from '../organisations/labels.ts';
import type { OrganisationSummary } from '../organisations/queries.ts';
import { THEME_OPTIONS, ThemeTags } from '../themes/views.tsx';
import { COMPOSITION_CRITERIA, type Composition, CRITERION_LABELS } from './composition.ts';
import { POLE_STATUS_LABELS } from './labels.ts';
import { type MemberActions as Actions, memberActions, type PoleRights } from './membership.ts';
import type { PoleDetail, PoleMember } from './queries.ts';
import type { PoleStatusEvent } from './status.ts';

const STATUS_BADGE: Record<(typeof POLE_STATUSES)[number], string> = {
  emerging: 'fr-badge--new',
  established: 'fr-badge--info',
  laureate: 'fr-badge--success',
};

export function StatusBadge({ status }: { status: (typeof POLE_STATUSES)[number] }) {
  return <p class={`fr-badge fr-badge--sm ${STATUS_BADGE[status]}`}>{POLE_STATUS_LABELS[status]}</p>;
}

/** Marks demonstration content on every page that shows it. */
export function DemoBadge() {
  return <SharedDemoBadge small />;
}

function CompositionBadge({ composition }: { composition: Composition }) {
  return composition.meetsDefinition ? (
    <p class="fr-badge fr-badge--sm fr-badge--success">Composition conforme PTCE</p>
  ) : (
    <p class="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon">Composition à compléter</p>
  );
}

/** A pôle's badges: its status, the composition indicator (in the directory), demonstration data. */
export function PoleBadges({
  pole,
  composition,
}: {
  pole: Pick<PoleDetail, 'status' | 'isDemo'>;
  composition?: Composition;
}) {
  return (
    <ul class="fr-badges-group">
      <li>
        <StatusBadge status={pole.status} />
      </li>
      {composition && (
        <li>
          <CompositionBadge composition={composition} />
        </li>
      )}
      {pole.isDemo && (
        <li>
          <DemoBadge />
        </li>
      )}
    </ul>
  );
}

// ————————————————————————————————————————— pôle page

/** The PTCE-definition indicator: each criterion met or missing (informative, never blocking). */
export function CompositionIndicator({ composition }: { composition: Composition }) {
  return (
    <div
      class={`fr-callout ${composition.meetsDefinition ? 'fr-callout--green-emeraude' : 'fr-callout--orange-terre-battue'}`}
    >
      <h3 class="fr-callout__title">
        {composition.meetsDefinition
          ? 'Composition conforme à la définition des PTCE'
          : 'Composition à compléter au regard de la définition des PTCE'}
      </h3>
      <p class="fr-callout__text fr-text--sm">
        Un PTCE réunit au moins trois personnes morales, dont une entreprise de l’économie sociale et
        solidaire, une entreprise hors ESS et un autre acteur (collectivité, centre de recherche, université,
        organisme de formation). Seuls les membres actifs comptent.
      </p>
      <ul class="fr-raw-list">
        {COMPOSITION_CRITERIA.map((criterion) => (
          <li class="fr-mb-1w" data-critere={criterion}>
            {composition.criteria[criterion] ? (
              <p class="fr-badge fr-badge--sm fr-badge--success">Rempli</p>
            ) : (
              <p class="fr-badge fr-badge--sm fr-badge--error">Manquant</p>
            )}{' '}
            {CRITERION_LABELS[criterion]}
          </li>
        ))}
      </ul>
    </div>
  );
}

const NOTICES: Record<string, string> = {
  cree: 'Le pôle est créé. Vous en êtes l’organisation coordinatrice.',
  modifie: 'Les modifications sont enregistrées.',
  invite:
    'L’invitation est envoyée : l’organisation apparaîtra parmi les membres dès qu’elle l’aura acceptée.',
  ajoute: 'L’organisation est membre du pôle.',
  demande: 'Votre demande est envoyée à l’organisation coordinatrice.',
  accepte: 'L’adhésion est acceptée.',
  retire: 'L’organisation ne fait plus partie du pôle.',
  role: 'La coordination du pôle est modifiée.',
  statut: 'Le statut du pôle est modifié ; le changement figure dans son historique.',
};

export interface InviteState {
  query?: string;
  candidates: OrganisationSummary[];
  error?: string;
}

export interface PolePageProps {
  pole: PoleDetail;
  rights: PoleRights;
  signedIn: boolean;
  /** The organisations the viewer acts for. */
  viewerOrganisations: OrganisationSummary[];
  notice?: string | undefined;
  invite?: InviteState | undefined;
  /** Field messages of a membership form (join, role) that came back invalid. */
  memberErrors?: FieldErrors | undefined;
  /** Its members' newest published listings (see `poleListingIds`), and whether there are more. */
  listings: { items: ListingCardView[]; more: boolean };
  now: Date;
  /** The status history, oldest first. */
  history?: PoleStatusEvent[];
  /** The status change form sent back with errors. */
  statusForm?: StatusFormState | undefined;
}

export interface StatusFormState {
  values: FormValues;
  errors: FieldErrors;
}

/** The public page of a pôle, with the membership actions the viewer is allowed. */
export function PolePage({
  pole,
  rights,
  signedIn,
  viewerOrganisations,
  notice,
  invite,
  memberErrors,
  listings,
  now,
  history = [],
  statusForm,
}: PolePageProps) {
  const mine = new Set(viewerOrganisations.map((o) => o.id));
  const active = pole.members.filter((m) => m.status === 'active');
  const pending = pole.members.filter(
    (m) => m.status !== 'active' && (rights.canManageMembers || mine.has(m.organisationId)),
  );
  const memberIds = new Set(pole.members.map((m) => m.organisationId));
  const canJoin = viewerOrganisations.filter((o) => !memberIds.has(o.id));
  const noticeText = notice ? NOTICES[notice] : undefined;
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Pôles', href: '/poles' }, { label: pole.name }]} />
      {noticeText && (
        <Alert type="success" small>
          {noticeText}
        </Alert>
      )}
      <PoleBadges pole={pole} />
      <h1>{pole.name}</h1>
      {rights.canEdit && (
        <p>
          <a
            class="fr-btn fr-btn--secondary fr-icon-edit-line fr-btn--icon-left"
            href={`/poles/${pole.slug}/modifier`}
          >
            Modifier le pôle
          </a>
        </p>
      )}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-8">
          {pole.description ? <Paragraphs text={pole.description} /> : <p>Pas encore de description.</p>}
          <ThemeTags themes={pole.themes} />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <h2 class="fr-h5">Territoire</h2>
          <dl>
            <dt class="fr-text--bold">Siège</dt>
            <dd class="fr-mb-1w">
              {pole.communeName} — {departementLabel(pole.departement)}
              {REGIONS[pole.region] ? `, ${REGIONS[pole.region]}` : ''}
            </dd>
            {pole.departements.length > 0 && (
              <>
                <dt class="fr-text--bold">Départements couverts</dt>
                <dd>
                  <ul>
                    {pole.departements.map((code) => (
                      <li>{departementLabel(code)}</li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
        </div>
      </div>

      <h2 class="fr-mt-4w">Composition</h2>
      <CompositionIndicator composition={pole.composition} />

      <h2 class="fr-mt-4w" id="membres">
        Membres ({active.length})
      </h2>
      {memberErrors && <ErrorSummary errors={memberErrors} />}
      <MembersTable pole={pole} members={active} rights={rights} mine={mine} />

      {pending.length > 0 && (
        <>
          <h2 class="fr-mt-4w fr-h4" id="en-attente">
            Invitations et demandes en cours
          </h2>
          <PendingList pole={pole} members={pending} rights={rights} mine={mine} />
        </>
      )}

      {rights.canManageMembers && <InviteForm pole={pole} state={invite} />}

      {!rights.canManageMembers && canJoin.length > 0 && <JoinForm pole={pole} organisations={canJoin} />}

      {!signedIn && (
        <p class="fr-mt-4w">
          <a href={`/connexion?retour=${encodeURIComponent(`/poles/${pole.slug}`)}`}>Connectez-vous</a> pour
          demander l’adhésion d’une de vos organisations à ce pôle.
        </p>
      )}
      {signedIn && viewerOrganisations.length === 0 && (
        <p class="fr-mt-4w">
          Pour rejoindre ce pôle, <a href="/organisations/nouvelle">inscrivez d’abord votre organisation</a>.
        </p>
      )}

      <PoleListings pole={pole} listings={listings} now={now} />

      <StatusSection pole={pole} history={history} canChange={rights.canSetStatus} form={statusForm} />
    </Container>
  );
}

/** « Annonces des membres »: the newest first, as cards, with a link to all of them in the search. */
function PoleListings({
  pole,
  listings,
  now,
}: {
  pole: Pick<PoleDetail, 'slug'>;
  listings: PolePageProps['listings'];
  now: Date;
}) {
  const all = `/annonces?pole=${encodeURIComponent(pole.slug)}&sort=recent`;
  return (
    <section class="fr-mt-6w" aria-labelledby="annonces-du-pole">
      <h2 id="annonces-du-pole">Annonces des membres</h2>
      {listings.items.length === 0 ? (
        <p>Aucune annonce publiée par les membres de ce pôle pour l’instant.</p>
      ) : (
        <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list" id="annonces-membres">
          {listings.items.map((listing) => (
            <ListingCard listing={listing} now={now} />
          ))}
        </ul>
      )}
      {listings.more && (
        <p class="fr-mt-2w">
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={all}>
            Voir toutes les annonces des membres
          </a>
        </p>
      )}
    </section>
  );
}

function OrganisationLink({ member }: { member: PoleMember }) {
  return <a href={`/organisations/${member.organisationId}`}>{member.name}</a>;
}

function MembersTable({
  pole,
  members,
  rights,
  mine,
}: {
  pole: PoleDetail;
  members: PoleMember[];
  rights: PoleRights;
  mine: Set<number>;
}) {
  if (members.length === 0) return <p>Aucun membre actif.</p>;
  const actionsOf = (m: PoleMember) => memberActions(m, rights, mine.has(m.organisationId), pole.members);
  const withActions = members.some((m) => {
    const a = actionsOf(m);
    return a.remove || a.promote || a.demote;
  });
  return (
    <TableFrame modifiers="fr-table--no-caption">
      <table>
        <caption>Organisations membres du pôle {pole.name}</caption>
        <thead>
          <tr>
            <th scope="col">Organisation</th>
            <th scope="col">Type</th>
            <th scope="col">Commune</th>
            <th scope="col">Rôle</th>
            {withActions && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr>
              <td>
                <OrganisationLink member={member} />
                {member.isDemo && !pole.isDemo && (
                  <>
                    {' '}
                    <DemoBadge />
                  </>
                )}
              </td>
              <td>{labelOf(KIND_LABELS, member.kind)}</td>
              <td>{member.communeName}</td>
              <td>{member.role === 'coordinator' ? 'Coordination' : 'Membre'}</td>
              {withActions && (
                <td>
                  <MemberButtons pole={pole} member={member} actions={actionsOf(member)} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

/** How each removal reads: the button, the confirmation page's title and its explanation. */
export const REMOVAL_TEXTS: Record<
  NonNullable<Actions['removeKind']>,
  { button: string; confirm: string }
> = {
  decline: { button: 'Décliner', confirm: 'Décliner l’invitation' },
  refuse: { button: 'Refuser', confirm: 'Refuser la demande d’adhésion' },
  cancel_invitation: { button: 'Annuler l’invitation', confirm: 'Annuler l’invitation' },
  withdraw_request: { button: 'Retirer la demande', confirm: 'Retirer la demande d’adhésion' },
  leave: { button: 'Quitter le pôle', confirm: 'Quitter le pôle' },
  remove: { button: 'Retirer', confirm: 'Retirer l’organisation du pôle' },
};

/**
 * The buttons the viewer may use on one member (from `memberActions`). Removals lead to a
 * confirmation page (works without JavaScript) before the POST.
 */
function MemberButtons({
  pole,
  member,
  actions,
}: {
  pole: PoleDetail;
  member: PoleMember;
  actions: Actions;
}) {
  const base = `/poles/${pole.slug}/membres/${member.organisationId}`;
  const buttons: Child[] = [];
  if (actions.accept)
    buttons.push(
      <PostButton
        action={`${base}/accepter`}
        label={member.status === 'invited' ? 'Accepter l’invitation' : 'Accepter la demande'}
        title={`Accepter : ${member.name}`}
        icon="fr-icon-check-line"
      />,
    );
  if (actions.promote)
    buttons.push(
      <PostButton
        action={`${base}/role`}
        fields={{ role: 'coordinator' }}
        label="Associer à la coordination"
        title={`${member.name} devient coordinatrice du pôle`}
        icon="fr-icon-team-line"
        secondary
      />,
    );
  if (actions.demote)
    buttons.push(
      <PostButton
        action={`${base}/role`}
        fields={{ role: 'member' }}
        label="Retirer de la coordination"
        title={`${member.name} n’est plus coordinatrice du pôle`}
        icon="fr-icon-user-line"
        secondary
      />,
    );
  if (actions.removeKind)
    buttons.push(
      <a
        class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-close-line fr-btn--icon-left"
        href={`${base}/retirer`}
        title={`${REMOVAL_TEXTS[actions.removeKind].confirm} : ${member.name}`}
      >
        {REMOVAL_TEXTS[actions.removeKind].button}
      </a>,
    );
  if (buttons.length === 0) return null;
  return (
    <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
      {buttons.map((button) => (
        <li>{button}</li>
      ))}
    </ul>
  );
}

function PendingList({
  pole,
  members,
  rights,
  mine,
}: {
  pole: PoleDetail;
  members: PoleMember[];
  rights: PoleRights;
  mine: Set<number>;
}) {
  return (
    <ul class="fr-raw-list">
      {members.map((member) => {
        const ours = mine.has(member.organisationId);
        const what =
          member.status === 'invited'
            ? ours
              ? 'vous invite à rejoindre le pôle'
              : 'invitée par la coordination'
            : 'demande à rejoindre le pôle';
        return (
          <li class="fr-mb-2w" data-organisation={member.organisationId}>
            <p class="fr-mb-1w">
              <OrganisationLink member={member} /> ({labelOf(KIND_LABELS, member.kind)}, {member.communeName})
              : {member.status === 'invited' && ours ? `la coordination ${what}` : what}.
            </p>
            <MemberButtons
              pole={pole}
              member={member}
              actions={memberActions(member, rights, ours, pole.members)}
            />
          </li>
        );
      })}
    </ul>
  );
}

/** The confirmation step before a member leaves, is removed, or a pending membership is withdrawn. */
export function ConfirmRemovalPage({
  pole,
  member,
  kind,
}: {
  pole: PoleDetail;
  member: PoleMember;
  kind: NonNullable<Actions['removeKind']>;
}) {
  const texts = REMOVAL_TEXTS[kind];
  return (
    <Container narrow>
      <Breadcrumb
        items={[
          { label: 'Pôles', href: '/poles' },
          { label: pole.name, href: `/poles/${pole.slug}` },
          { label: texts.confirm },
        ]}
      />
      <ConfirmAction
        title={`${texts.confirm} — ${member.name}`}
        action={`/poles/${pole.slug}/membres/${member.organisationId}/retirer`}
        label={texts.button}
        cancelHref={`/poles/${pole.slug}#membres`}
      >
        {`Organisation concernée : « ${member.name} », pôle « ${pole.name} ». Cette action prend effet immédiatement ; l’organisation pourra à nouveau être invitée ou demander l’adhésion.`}
      </ConfirmAction>
    </Container>
  );
}

/**
 * Options to choose the organisation to invite (server-rendered when ambiguous, htmx while typing).
 * The status message stays in place across htmx updates (the search field morphs this fragment), so
 * screen readers announce a short count, not the whole list of radio buttons.
 */
export function OrganisationCandidates({
  candidates,
  query,
}: {
  candidates: OrganisationSummary[];
  query?: string | undefined;
}) {
  return (
    <RadioChoices
      name="organisationId"
      idPrefix="organisation"
      query={query}
      noun={['organisation proposée', 'organisations proposées']}
      pickLabel="choisissez l’organisation"
      nothing="Aucune organisation ne correspond"
      choices={candidates.map((org) => ({
        value: String(org.id),
        label: org.name,
        hint: `${labelOf(KIND_LABELS, org.kind)} · ${org.communeName} · SIRET ${org.siret} · n° ${org.id}`,
        checked: candidates.length === 1,
      }))}
    />
  );
}

function InviteForm({ pole, state }: { pole: PoleDetail; state?: InviteState | undefined }) {
  return (
    <section class="fr-mt-4w" aria-labelledby="inviter-titre">
      <h2 id="inviter-titre" class="fr-h4">
        Inviter une organisation
      </h2>
      {state?.error && <ErrorSummary errors={{ organisationQuery: state.error }} />}
      <form method="post" action={`/poles/${pole.slug}/membres`}>
        <div class={`fr-input-group${state?.error ? ' fr-input-group--error' : ''}`}>
          <label class="fr-label" for="champ-organisationQuery">
            Organisation
            <span class="fr-hint-text">Nom, SIRET ou numéro de l’organisation sur la plateforme</span>
          </label>
          <input
            class={`fr-input${state?.error ? ' fr-input--error' : ''}`}
            type="search"
            id="champ-organisationQuery"
            name="organisationQuery"
            value={state?.query ?? ''}
            autocomplete="off"
            aria-describedby={state?.error ? 'champ-organisationQuery-erreur' : undefined}
            aria-invalid={state?.error ? 'true' : undefined}
            aria-controls="organisation-options"
            hx-get={`/poles/${pole.slug}/organisations-candidates`}
            hx-trigger="input changed delay:300ms, search"
            hx-target="#organisation-options"
            hx-swap="innerMorph"
            hx-sync="this:replace"
          />
          {state?.error && (
            <p class="fr-error-text" id="champ-organisationQuery-erreur">
              {state.error}
            </p>
          )}
          <div id="organisation-options">
            <OrganisationCandidates candidates={state?.candidates ?? []} />
          </div>
        </div>
        <button type="submit" class="fr-btn fr-icon-mail-line fr-btn--icon-left">
          Inviter
        </button>
      </form>
    </section>
  );
}

function JoinForm({ pole, organisations }: { pole: PoleDetail; organisations: OrganisationSummary[] }) {
  return (
    <section class="fr-mt-4w" aria-labelledby="rejoindre-titre">
      <h2 id="rejoindre-titre" class="fr-h4">
        Rejoindre ce pôle
      </h2>
      <form method="post" action={`/poles/${pole.slug}/rejoindre`}>
        <SelectField
          name="organisationId"
          label="Organisation qui demande à rejoindre le pôle"
          required
          value={organisations.length === 1 ? String(organisations[0]!.id) : undefined}
          options={organisations.map((o): [string, string] => [String(o.id), o.name])}
        />
        <button type="submit" class="fr-btn">
          Demander l’adhésion
        </button>
      </form>
    </section>
  );
}

// ————————————————————————————————————————— create / edit form

export interface PoleFormValues {
  name?: string | undefined;
  slug?: string | undefined;
  description?: string | undefined;
  departements?: string | undefined;
  themes?: string[] | undefined;
  status?: string | undefined;
  organisationId?: string | undefined;
  version?: number | undefined;
  commune?: Commune | undefined;
  communeQuery?: string | undefined;
  communeCandidates?: Commune[];
}

export interface PoleFormProps {
  mode: 'create' | 'edit';
  values: PoleFormValues;
  errors: FieldErrors;
  /** Create: the organisations the user may choose as coordinator. */
  organisations?: OrganisationSummary[];
  pole?: { name: string; slug: string };
  /** Shown above the form (e.g. a concurrent modification). */
  alert?: Child;
}

/** Creating or editing a pôle. */
export function PoleFormPage({ mode, values, errors, organisations, pole, alert }: PoleFormProps) {
  const title = mode === 'create' ? 'Déclarer un pôle' : `Modifier le pôle ${pole?.name ?? ''}`;
  const action = mode === 'create' ? '/poles' : `/poles/${pole?.slug}/modifier`;
  return (
    <Container narrow>
      <Breadcrumb
        items={[
          { label: 'Pôles', href: '/poles' },
          ...(mode === 'edit' && pole ? [{ label: pole.name, href: `/poles/${pole.slug}` }] : []),
          { label: mode === 'create' ? 'Déclarer un pôle' : 'Modifier' },
        ]}
      />
      <h1>{title}</h1>
      {alert}
      <ErrorSummary errors={errors} />
      <form method="post" action={action} novalidate>
        {mode === 'create' && organisations && (
          <SelectField
            name="organisationId"
            label="Organisation coordinatrice"
            hint="Une organisation dont vous êtes propriétaire ou éditeur·rice ; elle pourra inviter les membres."
            required
            error={errors.organisationId}
            value={
              values.organisationId ?? (organisations.length === 1 ? String(organisations[0]!.id) : undefined)
            }
            options={organisations.map((o): [string, string] => [
              String(o.id),
              `${o.name} (${o.communeName})`,
            ])}
          />
        )}
        <InputField
          name="name"
          label="Nom du pôle"
          required
          maxlength={200}
          value={values.name}
          error={errors.name}
        />
        <InputField
          name="slug"
          label="Identifiant dans l’adresse de la page"
          hint={`Lettres minuscules sans accents, chiffres et tirets. ${mode === 'create' ? 'Laissez vide pour le déduire du nom.' : ''}`}
          value={values.slug}
          error={errors.slug}
          maxlength={80}
        />
        <InputField
          name="description"
          label="Description"
          hint="Le projet de coopération, les activités mutualisées, le territoire (5 000 caractères au plus)."
          multiline
          maxlength={5000}
          value={values.description}
          error={errors.description}
        />
        <CommuneField
          name="commune"
          label="Commune du siège"
          required
          selected={values.commune}
          query={values.communeQuery}
          candidates={values.communeCandidates ?? []}
          error={errors.commune}
        />
        <InputField
          name="departements"
          label="Départements couverts"
          hint="Codes séparés par des virgules, ex. « 38, 73 ». Laissez vide si le pôle couvre seulement le département de son siège."
          value={values.departements}
          error={errors.departements}
        />
        <CheckboxesField
          name="themes"
          label="Thématiques"
          values={values.themes ?? []}
          error={errors.themes}
          options={THEME_OPTIONS}
        />
        {mode === 'edit' && <input type="hidden" name="version" value={String(values.version ?? '')} />}
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              {mode === 'create' ? 'Créer le pôle' : 'Enregistrer'}
            </button>
          </li>
          <li>
            <a
              class="fr-btn fr-btn--secondary"
              href={mode === 'edit' && pole ? `/poles/${pole.slug}` : '/poles'}
            >
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Container>
  );
}

/** Shown instead of the creation form to a user who acts for no organisation yet. */
export function NoOrganisationPage() {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Pôles', href: '/poles' }, { label: 'Déclarer un pôle' }]} />
      <h1>Déclarer un pôle</h1>
      <Alert type="info" title="Inscrivez d’abord votre organisation">
        <p>
          Un pôle est coordonné par une organisation (association, coopérative, entreprise, collectivité…).
          Vous n’êtes encore propriétaire ou éditeur·rice d’aucune organisation sur la plateforme.
        </p>
      </Alert>
      <a class="fr-btn" href="/organisations/nouvelle">
        Inscrire mon organisation
      </a>
    </Container>
  );
}

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

/**
 * « Statut et historique »: every status change with its date and reason (who made it: staff only,
 * via `actorName` left null for others), and for staff the reasoned change form (`laureate` is not
 * offered: it comes with the selection of an AMI dossier).
 */
function StatusSection({
  pole,
  history,
  canChange,
  form,
}: {
  pole: Pick<PoleDetail, 'slug' | 'status' | 'version' | 'name'>;
  history: PoleStatusEvent[];
  canChange: boolean;
  form?: StatusFormState | undefined;
}) {
  const errors = form?.errors ?? {};
  const value = (name: string) =>
    typeof form?.values[name] === 'string' ? (form.values[name] as string) : '';
  const choices = POLE_STATUSES.filter((s) => s !== 'laureate' && s !== pole.status).map(
    (s): [string, string] => [s, POLE_STATUS_LABELS[s]],
  );
  return (
    <section class="fr-mt-6w" aria-labelledby="statut">
      <h2 id="statut">Statut et historique</h2>
      <div class="fr-mb-2w">
        Statut actuel : <StatusBadge status={pole.status} />
      </div>
      {history.length === 0 ? (
        <p>Aucun changement de statut enregistré.</p>
      ) : (
        <ol class="app-history">
          {history.map((e) => (
            <li>
              <p class="fr-mb-0">
                <strong>{dateTime(e.at)}</strong> : {POLE_STATUS_LABELS[e.fromStatus]} →{' '}
                {POLE_STATUS_LABELS[e.toStatus]}
                {canChange && e.actorName ? ` (par ${e.actorName})` : ''}
              </p>
              <p class="fr-text--sm">Motif : {e.reason}</p>
            </li>
          ))}
        </ol>
      )}
      {canChange && choices.length > 0 && (
        <form method="post" action={`/poles/${pole.slug}/statut#statut`} class="fr-mt-3w">
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">Changer le statut (équipe d’instruction)</legend>
            <div class="fr-fieldset__element">
              <ErrorSummary errors={errors} />
              <input type="hidden" name="version" value={String(pole.version)} />
              <SelectField
                name="status"
                label="Nouveau statut"
                hint="« Lauréat » est donné par la sélection d’un dossier de l’AMI."
                required
                value={value('status')}
                options={choices}
                error={errors.status}
              />
              <InputField
                name="reason"
                label="Motif"
                hint="Enregistré dans l’historique du pôle, visible de tous (1 000 caractères au plus)."
                required
                multiline
                maxlength={1000}
                value={value('reason')}
                error={errors.reason ?? errors.version}
              />
              <button type="submit" class="fr-btn fr-btn--secondary">
                Changer le statut
              </button>
            </div>
          </fieldset>
        </form>
      )}
    </section>
  );
}
