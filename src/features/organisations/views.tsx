import type { Child } from 'hono/jsx';
import type { LEGAL_FORMS, ORGANISATION_KINDS } from '../../db/schema.ts';
import { Paragraphs } from '../../lib/directory/views.tsx';
import { Alert, Breadcrumb, ConfirmAction, Container, DemoBadge, PostButton } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { CheckboxesField, ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import { labelOf } from '../../lib/labels.ts';
import type { Commune } from '../geo/queries.ts';
import { departementLabel } from '../geo/territories.ts';
import { CommuneField } from '../geo/views.tsx';
import { THEME_OPTIONS, ThemeTags } from '../themes/views.tsx';
import type { PendingAccessRequest } from './access-requests.ts';
import { KIND_LABELS, LEGAL_FORM_LABELS } from './labels.ts';
import { type MemberRole, memberRemovable, type OrganisationRights } from './permissions.ts';
import type {
  InvitationView,
  Organisation,
  OrganisationMember,
  OrganisationPole,
  PendingInvitation,
} from './queries.ts';
import { DESCRIPTION_MAX, NAME_MAX } from './schemas.ts';

const KIND_OPTIONS = Object.entries(KIND_LABELS) as Array<[(typeof ORGANISATION_KINDS)[number], string]>;
const LEGAL_FORM_OPTIONS = Object.entries(LEGAL_FORM_LABELS) as Array<[(typeof LEGAL_FORMS)[number], string]>;
const ROLE_LABELS: Record<MemberRole, string> = { owner: 'Propriétaire', editor: 'Éditeur·rice' };
const ROLE_OPTIONS = Object.entries(ROLE_LABELS);

/** `73282932000074` → `732 829 320 00074` (SIREN in groups of three, then the establishment number). */
export function formatSiret(siret: string): string {
  return siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
}

/** Made once (`toLocaleDateString` with options builds a formatter per call). */
const LONG_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });
const date = (iso: string) => LONG_DAY.format(new Date(iso));

// ---------------------------------------------------------------------------------------------
// Creation and edit form

/** What the form shows in its fields: the user's input as typed (or the stored record). */
export interface OrganisationFormValues {
  siret: string;
  name: string;
  kind: string;
  legalForm: string;
  nafCode: string;
  themes: string[];
  description: string;
  website: string;
  contactEmail: string;
}

export interface CommunePickerState {
  selected?: Commune | undefined;
  query?: string | undefined;
  candidates: Commune[];
}

export function formValuesOf(organisation: Organisation): OrganisationFormValues {
  return {
    siret: organisation.siret,
    name: organisation.name,
    kind: organisation.kind,
    legalForm: organisation.legalForm,
    nafCode: organisation.nafCode ?? '',
    themes: organisation.themes,
    description: organisation.description,
    website: organisation.website ?? '',
    contactEmail: organisation.contactEmail ?? '',
  };
}

function OrganisationFields({
  values,
  errors,
  commune,
}: {
  values: OrganisationFormValues;
  errors: FieldErrors;
  commune: CommunePickerState;
}) {
  return (
    <>
      <InputField
        name="name"
        label="Nom de l’organisation"
        required
        value={values.name}
        error={errors.name}
        maxlength={NAME_MAX}
      />
      <InputField
        name="siret"
        label="Numéro SIRET"
        hint="14 chiffres, sur l’avis de situation INSEE ou annuaire-entreprises.data.gouv.fr"
        required
        value={values.siret}
        error={errors.siret}
        autocomplete="off"
      />
      <SelectField
        name="kind"
        label="Type d’organisation"
        required
        value={values.kind}
        error={errors.kind}
        options={KIND_OPTIONS}
      />
      <SelectField
        name="legalForm"
        label="Forme juridique"
        required
        value={values.legalForm}
        error={errors.legalForm}
        options={LEGAL_FORM_OPTIONS}
      />
      <InputField
        name="nafCode"
        label="Code NAF (APE)"
        hint="Par exemple 88.99B"
        value={values.nafCode}
        error={errors.nafCode}
      />
      {/* Its text input is `#champ-communeCode`, where the error summary's link lands. */}
      <CommuneField
        name="communeCode"
        label="Commune du siège ou de l’établissement"
        required
        selected={commune.selected}
        query={commune.query}
        candidates={commune.candidates}
        error={errors.communeCode}
      />
      <CheckboxesField
        name="themes"
        label="Thèmes d’activité"
        values={values.themes}
        options={THEME_OPTIONS}
        error={errors.themes}
      />
      <InputField
        name="description"
        label="Présentation"
        hint={`Activité, projets, ce que l’organisation peut mettre en commun (${DESCRIPTION_MAX.toLocaleString('fr-FR')} caractères au plus)`}
        multiline
        value={values.description}
        error={errors.description}
        maxlength={DESCRIPTION_MAX}
      />
      <InputField
        name="website"
        label="Site internet"
        hint="Adresse complète, par exemple https://www.exemple.fr"
        type="url"
        value={values.website}
        error={errors.website}
      />
      <InputField
        name="contactEmail"
        label="Adresse électronique de contact"
        hint="Visible des seules personnes connectées"
        type="email"
        autocomplete="email"
        value={values.contactEmail}
        error={errors.contactEmail}
      />
    </>
  );
}

export function CreateOrganisationPage({
  values,
  errors,
  commune,
  existing,
}: {
  values: OrganisationFormValues;
  errors: FieldErrors;
  commune: CommunePickerState;
  /** The organisation already registered with the typed SIRET: offer to ask its owners for access. */
  existing?: { id: number; name: string } | undefined;
}) {
  return (
    <Container narrow>
      <Breadcrumb
        items={[{ label: 'Organisations', href: '/organisations' }, { label: 'Inscrire une organisation' }]}
      />
      <h1>Inscrire une organisation</h1>
      <p>
        Vous en deviendrez propriétaire : vous pourrez la modifier et inviter d’autres personnes à la gérer.
      </p>
      <ErrorSummary errors={errors} />
      {existing && (
        <Alert type="info" title={`« ${existing.name} » est déjà inscrite`}>
          <p>
            Si vous faites partie de cette organisation, demandez à ses propriétaires de vous donner accès à
            sa fiche : ils recevront votre demande par courriel et l’accepteront ou la refuseront.
          </p>
          <form method="post" action={`/organisations/${existing.id}/acces`}>
            <button type="submit" class="fr-btn fr-btn--secondary fr-icon-mail-line fr-btn--icon-left">
              Demander l’accès à « {existing.name} »
            </button>
          </form>
          <p class="fr-mt-1w">
            <a href={`/organisations/${existing.id}`}>Voir la fiche de {existing.name}</a>
          </p>
        </Alert>
      )}
      <form method="post" action="/organisations" novalidate>
        <OrganisationFields values={values} errors={errors} commune={commune} />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              Inscrire l’organisation
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href="/organisations">
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Container>
  );
}

/** Breadcrumb of a page under an organisation's page. */
function OrganisationCrumbs({
  organisation,
  current,
}: {
  organisation: { id: number; name: string };
  current: string;
}) {
  return (
    <Breadcrumb
      items={[
        { label: 'Organisations', href: '/organisations' },
        { label: organisation.name, href: `/organisations/${organisation.id}` },
        { label: current },
      ]}
    />
  );
}

export function EditOrganisationPage({
  organisation,
  values,
  errors,
  commune,
  version,
  conflict,
}: {
  organisation: Pick<Organisation, 'id' | 'name'>;
  values: OrganisationFormValues;
  errors: FieldErrors;
  commune: CommunePickerState;
  version: number;
  conflict?: string | undefined;
}) {
  return (
    <Container narrow>
      <OrganisationCrumbs organisation={organisation} current="Modifier" />
      <h1>Modifier « {organisation.name} »</h1>
      {conflict && (
        <Alert type="warning" title="Modification concurrente">
          <p>
            {conflict} Le formulaire ci-dessous montre la version actuelle : reportez-y vos modifications,
            puis enregistrez.
          </p>
        </Alert>
      )}
      <ErrorSummary errors={errors} />
      <form method="post" action={`/organisations/${organisation.id}/modifier`} novalidate>
        <input type="hidden" name="version" value={String(version)} />
        <OrganisationFields values={values} errors={errors} commune={commune} />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              Enregistrer
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={`/organisations/${organisation.id}`}>
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Container>
  );
}

// ---------------------------------------------------------------------------------------------
// Organisation page

export interface OrganisationPageProps {
  organisation: Organisation;
  members: OrganisationMember[];
  poles: OrganisationPole[];
  invitations: PendingInvitation[];
  rights: OrganisationRights;
  /** Pending access requests (owners only). */
  accessRequests: PendingAccessRequest[];
  notice?: string | undefined;
  invitation?: { values: { email: string; role: string }; errors: FieldErrors } | undefined;
  memberError?: string | undefined;
  /** Partner suggestions, for the organisation's members (rendered by the matching feature). */
  matches?: Child;
}

function Detail({ label, children }: { label: string; children?: Child }) {
  return (
    <>
      <dt class="fr-text--bold fr-mb-0">{label}</dt>
      <dd class="fr-ml-0 fr-mb-2w">{children}</dd>
    </>
  );
}

export function OrganisationPage(props: OrganisationPageProps) {
  const { organisation: o } = props;
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Organisations', href: '/organisations' }, { label: o.name }]} />
      {props.notice && <Alert type="success" small title={props.notice} />}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-8">
          <ul class="fr-badges-group">
            <li>
              <p class="fr-badge fr-badge--info fr-badge--no-icon">{labelOf(KIND_LABELS, o.kind)}</p>
            </li>
            {o.isDemo && (
              <li>
                <DemoBadge />
              </li>
            )}
          </ul>
          <h1>{o.name}</h1>
          <ThemeTags themes={o.themes} />
          {o.description ? <Paragraphs text={o.description} /> : <p>Aucune présentation pour le moment.</p>}
          {props.poles.length > 0 && (
            <>
              <h2 class="fr-h4">Pôles</h2>
              <ul>
                {props.poles.map((pole) => (
                  <li>
                    <a href={`/poles/${pole.slug}`}>{pole.name}</a>
                    {pole.role === 'coordinator' && ' (coordinatrice du pôle)'}
                  </li>
                ))}
              </ul>
            </>
          )}
          {props.matches}
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-card fr-card--no-arrow">
            <div class="fr-card__body">
              <div class="fr-card__content">
                <h2 class="fr-card__title">Fiche</h2>
                <dl class="fr-card__desc">
                  <Detail label="Commune">
                    {o.commune.name} — {departementLabel(o.departement)}
                  </Detail>
                  <Detail label="SIRET">{formatSiret(o.siret)}</Detail>
                  <Detail label="Forme juridique">{labelOf(LEGAL_FORM_LABELS, o.legalForm)}</Detail>
                  {o.nafCode && <Detail label="Code NAF">{o.nafCode}</Detail>}
                  {o.website && (
                    <Detail label="Site internet">
                      <a
                        href={o.website}
                        target="_blank"
                        rel="noopener noreferrer"
                        title={`${o.website} — nouvelle fenêtre`}
                      >
                        {o.website}
                      </a>
                    </Detail>
                  )}
                  <Detail label="Contact">
                    {props.rights.canSeeContact ? (
                      o.contactEmail ? (
                        <a href={`mailto:${o.contactEmail}`}>{o.contactEmail}</a>
                      ) : (
                        'Non renseigné'
                      )
                    ) : (
                      <a href={`/connexion?retour=${encodeURIComponent(`/organisations/${o.id}`)}`}>
                        Connectez-vous pour voir le contact
                      </a>
                    )}
                  </Detail>
                </dl>
              </div>
            </div>
          </div>
          {(props.rights.canEdit || props.rights.canManage) && (
            <ul class="fr-btns-group fr-mt-3w">
              {props.rights.canEdit && (
                <li>
                  <a
                    class="fr-btn fr-icon-edit-line fr-btn--icon-left"
                    href={`/organisations/${o.id}/modifier`}
                  >
                    Modifier
                  </a>
                </li>
              )}
              {props.rights.canManage && (
                <li>
                  <a
                    class="fr-btn fr-btn--secondary fr-icon-delete-line fr-btn--icon-left"
                    href={`/organisations/${o.id}/supprimer`}
                  >
                    Supprimer l’organisation
                  </a>
                </li>
              )}
            </ul>
          )}
        </div>
      </div>
      {props.rights.canSeeMembers && <MembersSection {...props} />}
    </Container>
  );
}

/** Role change and removal of one member, as `memberRemovable` allows (never the last owner). */
function MemberButtons({
  organisationId,
  member,
  members,
}: {
  organisationId: number;
  member: OrganisationMember;
  members: OrganisationMember[];
}) {
  const allowed = memberRemovable(members, member.userId);
  if (!allowed.changeRole && !allowed.remove) return <span class="fr-hint-text">Seul·e propriétaire</span>;
  return (
    <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
      {allowed.changeRole && (
        <li>
          <PostButton
            action={`/organisations/${organisationId}/membres/${member.userId}/role`}
            fields={{ role: member.role === 'owner' ? 'editor' : 'owner' }}
            label={member.role === 'owner' ? 'Passer éditeur·rice' : 'Nommer propriétaire'}
            hidden={`: ${member.name}`}
            icon="fr-icon-user-setting-line"
            secondary
          />
        </li>
      )}
      {allowed.remove && (
        <li>
          <a
            class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-close-line fr-btn--icon-left"
            href={`/organisations/${organisationId}/membres/${member.userId}/supprimer`}
          >
            Retirer<span class="fr-sr-only"> {member.name}</span>
          </a>
        </li>
      )}
    </ul>
  );
}

/** The confirmation step of an organisation page action (delete, remove a member, cancel an invitation). */
export function ConfirmOrganisationActionPage({
  organisation,
  title,
  explanation,
  action,
  label,
}: {
  organisation: { id: number; name: string };
  title: string;
  explanation: string;
  action: string;
  label: string;
}) {
  return (
    <Container narrow>
      <OrganisationCrumbs organisation={organisation} current={title} />
      <ConfirmAction
        title={title}
        action={action}
        label={label}
        cancelHref={`/organisations/${organisation.id}`}
      >
        {explanation}
      </ConfirmAction>
    </Container>
  );
}

function MembersSection(props: OrganisationPageProps) {
  const { organisation: o, members, invitations } = props;
  const canManage = props.rights.canManage;
  const invitation = props.invitation ?? { values: { email: '', role: 'editor' }, errors: {} };
  return (
    <section class="fr-mt-6w" id="membres" aria-labelledby="membres-titre">
      <h2 id="membres-titre">Personnes qui gèrent l’organisation</h2>
      {props.memberError && <Alert type="error" small title={props.memberError} />}
      <div class="fr-table">
        <table>
          <caption class="fr-sr-only">Membres de {o.name}</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">Adresse électronique</th>
              <th scope="col">Rôle</th>
              {canManage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr>
                <td>{member.name}</td>
                <td>{member.email}</td>
                <td>{ROLE_LABELS[member.role]}</td>
                {canManage && (
                  <td>
                    <MemberButtons organisationId={o.id} member={member} members={members} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage && (
        <>
          {invitations.length > 0 && (
            <>
              <h3 class="fr-h5">Invitations en attente</h3>
              <ul>
                {invitations.map((pending) => (
                  <li class="fr-mb-1w">
                    {pending.email} — {ROLE_LABELS[pending.role]}, valable jusqu’au {date(pending.expiresAt)}{' '}
                    <a
                      class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-close-line fr-btn--icon-left"
                      href={`/organisations/${o.id}/invitations/${pending.id}/annuler`}
                    >
                      Annuler l’invitation<span class="fr-sr-only"> : {pending.email}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
          {props.accessRequests.length > 0 && (
            <section id="acces" aria-labelledby="acces-titre">
              <h3 class="fr-h5" id="acces-titre">
                Demandes d’accès
              </h3>
              <ul class="fr-raw-list">
                {props.accessRequests.map((request) => (
                  <li class="fr-mb-2w">
                    <p class="fr-mb-1w">
                      {request.name} ({request.email}) demande à gérer la fiche, le {date(request.createdAt)}.
                    </p>
                    <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
                      <li>
                        <PostButton
                          action={`/organisations/${o.id}/acces/${request.id}/accepter`}
                          label="Accepter"
                          hidden={`la demande de ${request.name}`}
                          icon="fr-icon-check-line"
                        />
                      </li>
                      <li>
                        <PostButton
                          action={`/organisations/${o.id}/acces/${request.id}/refuser`}
                          label="Refuser"
                          hidden={`la demande de ${request.name}`}
                          icon="fr-icon-close-line"
                          secondary
                        />
                      </li>
                    </ul>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <h3 class="fr-h5">Inviter une personne</h3>
          <p>Elle recevra un lien valable 7 jours, à ouvrir avec un compte à cette adresse.</p>
          <ErrorSummary errors={invitation.errors} />
          <form method="post" action={`/organisations/${o.id}/invitations`} novalidate>
            <div class="fr-grid-row fr-grid-row--gutters">
              <div class="fr-col-12 fr-col-md-6">
                <InputField
                  name="email"
                  label="Adresse électronique"
                  type="email"
                  required
                  value={invitation.values.email}
                  error={invitation.errors.email}
                />
              </div>
              <div class="fr-col-12 fr-col-md-4">
                <SelectField
                  name="role"
                  label="Rôle"
                  required
                  value={invitation.values.role}
                  error={invitation.errors.role}
                  options={ROLE_OPTIONS}
                />
              </div>
            </div>
            <button type="submit" class="fr-btn fr-icon-mail-line fr-btn--icon-left">
              Envoyer l’invitation
            </button>
          </form>
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Invitation

export function InvitationPage({
  token,
  invitation,
  problem,
}: {
  token: string;
  invitation: InvitationView;
  problem?: string | undefined;
}) {
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'Invitation' }]} />
      <h1>Rejoindre « {invitation.organisationName} »</h1>
      <p>
        {invitation.invitedByName ? `${invitation.invitedByName} vous invite` : 'Vous êtes invité·e'} à gérer
        la fiche de l’organisation « {invitation.organisationName} » sur ptce-hub, avec le rôle «{' '}
        {ROLE_LABELS[invitation.role]} ».
      </p>
      <p>
        Invitation envoyée à {invitation.email}, valable jusqu’au {date(invitation.expiresAt)}.
      </p>
      {problem ? (
        <Alert type="error" title="Vous ne pouvez pas accepter cette invitation">
          {problem}
        </Alert>
      ) : (
        <form method="post" action={`/invitations/organisation/${encodeURIComponent(token)}`}>
          <button type="submit" class="fr-btn">
            Accepter l’invitation
          </button>
        </form>
      )}
    </Container>
  );
}
