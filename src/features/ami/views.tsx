import type { Child } from 'hono/jsx';
import { ORGANISATION_KINDS } from '../../db/schema.ts';
import { Alert, Breadcrumb, Container, TableFrame } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { type FormValues, formText } from '../../lib/form.ts';
import { ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import type { CommunePicker } from '../geo/form.ts';
import type { Commune } from '../geo/queries.ts';
import { CommuneField } from '../geo/views.tsx';
import { KIND_LABELS, LEGAL_FORM_LABELS } from '../organisations/labels.ts';
import type { OrganisationSummary } from '../organisations/queries.ts';
import { OrganisationCandidates } from '../poles/views.tsx';
import type { AmiWaveRow } from './dossier.ts';
import type { DossierMessage } from './messages.ts';
import { DossierMessages } from './messages-panel.tsx';
import type { AmiEventRow, LoadedDossier } from './queries.ts';
import type { MyDossier } from './service.ts';
import {
  DossierSummary,
  DossierTimeline,
  MEMBER_ROLE_LABELS,
  parisDateTime,
  STAGE_LABELS,
} from './summary.tsx';
import { euros } from './transitions.ts';
import {
  type AmiSection,
  type AmiStatus,
  type AmiTransition,
  SECTION_LABELS,
  STATUS_LABELS,
} from './workflow.ts';

/** The sections edited on their own page here (« pièces » has its own page, feature « files »). */
export const FORM_SECTIONS = ['porteur', 'membres', 'territoire', 'projet', 'emplois', 'budget'] as const;
export type FormSection = (typeof FORM_SECTIONS)[number];

const parisDay = (isoDay: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDay}T00:00:00Z`),
  );
export const parisTime = (at: Date) =>
  new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(
    at,
  );
const parisDate = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(iso));

const list = (values: FormValues, key: string): string[] => {
  const v = values[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

const STATUS_BADGE: Record<AmiStatus, string> = {
  draft: 'fr-badge--new',
  submitted: 'fr-badge--info',
  under_review: 'fr-badge--info',
  changes_requested: 'fr-badge--warning',
  ineligible: 'fr-badge--error',
  eligible: 'fr-badge--success',
  selected: 'fr-badge--success',
  rejected: 'fr-badge--error',
  withdrawn: '',
};

export function StatusBadge({ status }: { status: AmiStatus }) {
  return <p class={`fr-badge fr-badge--sm ${STATUS_BADGE[status]}`}>{STATUS_LABELS[status]}</p>;
}

// ————————————————————————————————————————— the public page

export function AmiLandingPage({
  wave,
  next,
  signedIn,
}: {
  wave: AmiWaveRow | null;
  next: AmiWaveRow | null;
  signedIn: boolean;
}) {
  const start = signedIn
    ? '/ami/dossiers/nouveau'
    : `/connexion?retour=${encodeURIComponent('/ami/dossiers/nouveau')}`;
  return (
    <Container narrow>
      <Breadcrumb items={[{ label: 'AMI PTCE' }]} />
      <h1>L’appel à manifestation d’intérêt permanent « PTCE »</h1>
      <p class="fr-text--lead">
        L’État soutient les pôles territoriaux de coopération économique par un appel à manifestation
        d’intérêt permanent, piloté par la Direction générale du Trésor : les dossiers sont reçus toute
        l’année et instruits au fil de l’eau, puis présentés à des comités organisés par vagues dotées d’une
        enveloppe.
      </p>
      <section aria-labelledby="vague" class="fr-mb-4w">
        <h2 id="vague">Calendrier</h2>
        {wave ? (
          <div class="fr-callout">
            <h3 class="fr-callout__title">Vague ouverte : {wave.name}</h3>
            <dl class="fr-callout__text">
              <dt>Dépôt des dossiers</dt>
              <dd>
                du <time datetime={wave.opensOn}>{parisDay(wave.opensOn)}</time> au{' '}
                <time datetime={wave.closesOn}>{parisDay(wave.closesOn)}</time> inclus (heure de Paris)
              </dd>
              <dt>Enveloppe de la vague</dt>
              <dd>{euros(wave.envelope)}</dd>
              <dt>Montant maximal par dossier</dt>
              <dd>{euros(wave.ceiling)}</dd>
            </dl>
          </div>
        ) : (
          <Alert type="info" title="Aucune vague n’est ouverte actuellement">
            <p>
              Vous pouvez préparer votre dossier dès maintenant : son dépôt sera possible à l’ouverture de la
              prochaine vague
              {next ? (
                <>
                  {' '}
                  (« {next.name} », du <time datetime={next.opensOn}>{parisDay(next.opensOn)}</time> au{' '}
                  <time datetime={next.closesOn}>{parisDay(next.closesOn)}</time>)
                </>
              ) : null}
              .
            </p>
          </Alert>
        )}
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a class="fr-btn" href={start}>
              {wave ? 'Déposer un dossier' : 'Préparer un dossier'}
            </a>
          </li>
          {signedIn && (
            <li>
              <a class="fr-btn fr-btn--secondary" href="/ami/dossiers">
                Mes dossiers
              </a>
            </li>
          )}
          <li>
            <a class="fr-btn fr-btn--tertiary" href="/ami/laureats">
              Voir les lauréats
            </a>
          </li>
        </ul>
      </section>
      <h2>Qui peut candidater ?</h2>
      <p>Un consortium qui répond à la définition légale d’un PTCE (loi du 31 juillet 2014, article 9) :</p>
      <ul>
        <li>une personne morale de droit privé regroupant au moins trois personnes morales ;</li>
        <li>
          dont au moins une entreprise de l’économie sociale et solidaire, une entreprise hors ESS et un autre
          acteur : collectivité territoriale, centre de recherche, université ou organisme de formation ;
        </li>
        <li>portant un projet innovant de coopération et de mutualisation sur un territoire défini ;</li>
        <li>n’ayant pas déjà été financé par un précédent appel de l’État.</li>
      </ul>
      <p>
        Le montant demandé ne peut dépasser le plafond par dossier de la vague. Le dossier se remplit en
        ligne, section par section (porteur, membres, territoire, projet, emplois, budget, pièces jointes),
        par les propriétaires et éditeurs de l’organisation porteuse ; chaque section est enregistrée à part.
      </p>
      <h2>Comment s’y préparer ?</h2>
      <p>
        Présentez dès maintenant votre pôle et ses membres sur la plateforme : la page du pôle indique si sa
        composition répond à la définition d’un PTCE, et ses membres pourront être importés dans le dossier.
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn fr-btn--secondary" href="/poles/nouveau">
            Déclarer un pôle
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href="/poles">
            Voir les pôles
          </a>
        </li>
      </ul>
    </Container>
  );
}

// ————————————————————————————————————————— my dossiers, a new dossier

export function MyDossiersPage({ dossiers, notice }: { dossiers: MyDossier[]; notice?: string | undefined }) {
  return (
    <Container>
      <Breadcrumb items={[{ label: 'AMI PTCE', href: '/ami' }, { label: 'Mes dossiers' }]} />
      {notice && <Alert type="success" small title={notice} />}
      <h1>Mes dossiers AMI</h1>
      <p>Les dossiers des organisations dont vous êtes propriétaire ou éditeur·rice.</p>
      <p>
        <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/ami/dossiers/nouveau">
          Nouveau dossier
        </a>
      </p>
      {dossiers.length === 0 ? (
        <p>Aucun dossier pour l’instant.</p>
      ) : (
        <TableFrame>
          <table>
            <caption>Mes dossiers ({dossiers.length})</caption>
            <thead>
              <tr>
                <th scope="col">Projet</th>
                <th scope="col">Porteur</th>
                <th scope="col">Référence</th>
                <th scope="col">État</th>
                <th scope="col">Dernière modification</th>
                <th scope="col">À compléter avant le</th>
              </tr>
            </thead>
            <tbody>
              {dossiers.map((d) => (
                <tr>
                  <td>
                    <a href={`/ami/dossiers/${d.id}`}>{d.projectName || `Dossier n° ${d.id} (sans nom)`}</a>
                  </td>
                  <td>{d.leadName}</td>
                  <td>{d.reference ?? '—'}</td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>
                    <time datetime={d.updatedAt}>{parisDateTime(d.updatedAt)}</time>
                  </td>
                  <td>
                    {d.status === 'changes_requested' && d.changesDueAt ? (
                      <time datetime={d.changesDueAt}>{parisDate(d.changesDueAt)}</time>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Container>
  );
}

export function NewDossierPage({
  organisations,
  values,
  errors,
}: {
  organisations: Array<{ id: number; name: string; siret: string }>;
  values: FormValues;
  errors: FieldErrors;
}) {
  return (
    <Container narrow>
      <Breadcrumb
        items={[
          { label: 'AMI PTCE', href: '/ami' },
          { label: 'Mes dossiers', href: '/ami/dossiers' },
          { label: 'Nouveau dossier' },
        ]}
      />
      <h1>Nouveau dossier</h1>
      <ErrorSummary errors={errors} />
      {organisations.length === 0 ? (
        <>
          <p>
            Le dossier est porté par une organisation dont vous êtes propriétaire ou éditeur·rice :
            inscrivez-la d’abord (ou demandez l’accès à sa fiche).
          </p>
          <p>
            <a class="fr-btn" href="/organisations/nouvelle">
              Inscrire une organisation
            </a>
          </p>
        </>
      ) : (
        <form method="post" action="/ami/dossiers">
          <SelectField
            name="leadOrganisationId"
            label="Organisation porteuse"
            hint="La personne morale qui dépose le dossier au nom du consortium ; sa région détermine l’équipe d’instruction."
            required
            value={formText(values, 'leadOrganisationId')}
            error={errors.leadOrganisationId}
            options={organisations.map((o) => [String(o.id), `${o.name} (SIRET ${o.siret})`])}
          />
          <button type="submit" class="fr-btn">
            Créer le brouillon
          </button>
        </form>
      )}
    </Container>
  );
}

// ————————————————————————————————————————— the dossier

function SectionNav({
  id,
  current,
  missing,
}: {
  id: number;
  current?: AmiSection;
  missing: Record<AmiSection, FieldErrors>;
}) {
  return (
    <nav class="fr-sidemenu" aria-labelledby="sections-titre">
      <div class="fr-sidemenu__inner">
        <p class="fr-sidemenu__title" id="sections-titre">
          Sections du dossier
        </p>
        <ul class="fr-sidemenu__list">
          <li class={`fr-sidemenu__item${current ? '' : ' fr-sidemenu__item--active'}`}>
            <a
              class="fr-sidemenu__link"
              href={`/ami/dossiers/${id}`}
              aria-current={current ? undefined : 'page'}
            >
              Vue d’ensemble
            </a>
          </li>
          {(Object.keys(SECTION_LABELS) as AmiSection[]).map((s) => {
            const done = Object.keys(missing[s]).length === 0;
            return (
              <li class={`fr-sidemenu__item${current === s ? ' fr-sidemenu__item--active' : ''}`}>
                <a
                  class="fr-sidemenu__link"
                  href={`/ami/dossiers/${id}/${s}`}
                  aria-current={current === s ? 'page' : undefined}
                >
                  {SECTION_LABELS[s]} — {done ? 'complet' : 'à compléter'}
                </a>
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}

/** The banner of a dossier under « compléments demandés »: reopened sections, due date, reason. */
function ChangesBanner({ dossier, reason }: { dossier: LoadedDossier; reason: string | null }) {
  const a = dossier.application;
  if (a.status !== 'changes_requested') return null;
  return (
    <Alert type="warning" title="L’équipe d’instruction demande des compléments">
      <p>
        Sections rouvertes :{' '}
        {a.reopenedSections.map((s, i) => (
          <>
            {i > 0 && ', '}
            <a href={`/ami/dossiers/${a.id}/${s}`}>{SECTION_LABELS[s]}</a>
          </>
        ))}
        .
        {a.changesDueAt && (
          <>
            {' '}
            À renvoyer avant le <time datetime={a.changesDueAt}>{parisDateTime(a.changesDueAt)}</time>.
          </>
        )}
      </p>
      {reason && <p>Motif : {reason}</p>}
    </Alert>
  );
}

function DossierHeader({ dossier, title }: { dossier: LoadedDossier; title?: string }) {
  const a = dossier.application;
  const name = a.projectName || `Dossier n° ${a.id}`;
  return (
    <Breadcrumb
      items={[
        { label: 'AMI PTCE', href: '/ami' },
        { label: 'Mes dossiers', href: '/ami/dossiers' },
        ...(title ? [{ label: name, href: `/ami/dossiers/${a.id}` }, { label: title }] : [{ label: name }]),
      ]}
    />
  );
}

export interface DossierPageProps {
  dossier: LoadedDossier;
  events: readonly AmiEventRow[];
  missing: Record<AmiSection, FieldErrors>;
  /** Applicant actions now possible (from `availableTransitions`). */
  actions: readonly AmiTransition[];
  editable: readonly AmiSection[];
  applicant: boolean;
  canDelete: boolean;
  changesReason: string | null;
  notice?: string | undefined;
  /** The dossier's messages, once submitted (who reads them: `messageSide`). */
  messages?: { list: DossierMessage[]; side: 'applicant' | 'staff' | null } | undefined;
}

const ACTION_PATHS: Partial<Record<AmiTransition['action'], string>> = {
  submit: 'deposer',
  resubmit: 'deposer',
  withdraw: 'retirer',
};

export function DossierPage(p: DossierPageProps) {
  const a = p.dossier.application;
  return (
    <Container>
      <DossierHeader dossier={p.dossier} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">{p.applicant && <SectionNav id={a.id} missing={p.missing} />}</div>
        <div class="fr-col-12 fr-col-md-8">
          {p.notice && <Alert type="success" small title={p.notice} />}
          <h1>{a.projectName || `Dossier n° ${a.id} (sans nom)`}</h1>
          <ul class="fr-badges-group">
            <li>
              <StatusBadge status={a.status} />
            </li>
          </ul>
          <dl>
            <dt>Référence</dt>
            <dd>{a.reference ?? 'attribuée au dépôt'}</dd>
            <dt>Organisation porteuse</dt>
            <dd>{p.dossier.lead.name}</dd>
            <dt>Dernière modification</dt>
            <dd>
              <time datetime={a.updatedAt}>{parisDateTime(a.updatedAt)}</time>
            </dd>
            {a.submittedAt && (
              <>
                <dt>Déposé le</dt>
                <dd>
                  <time datetime={a.submittedAt}>{parisDateTime(a.submittedAt)}</time> —{' '}
                  <a href={`/ami/dossiers/${a.id}/recepisse`}>récépissé</a>
                </dd>
              </>
            )}
          </dl>
          <ChangesBanner dossier={p.dossier} reason={p.changesReason} />
          {p.applicant && (
            <section aria-labelledby="completude">
              <h2 id="completude">Sections</h2>
              <ul class="fr-raw-list">
                {(Object.keys(SECTION_LABELS) as AmiSection[]).map((s) => {
                  const missing = Object.values(p.missing[s]);
                  return (
                    <li class="fr-mb-2w">
                      <p class="fr-mb-0">
                        <a href={`/ami/dossiers/${a.id}/${s}`}>{SECTION_LABELS[s]}</a>{' '}
                        {missing.length === 0 ? (
                          <span class="fr-badge fr-badge--sm fr-badge--success">complet</span>
                        ) : (
                          <span class="fr-badge fr-badge--sm fr-badge--warning">à compléter</span>
                        )}
                        {p.editable.includes(s) && <span class="fr-hint-text">modifiable</span>}
                      </p>
                      {missing.length > 0 && (
                        <ul>
                          {missing.map((m) => (
                            <li>{m}</li>
                          ))}
                        </ul>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
          {(p.actions.length > 0 || p.canDelete) && (
            <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-2w">
              {p.actions.map((t) => {
                const path = ACTION_PATHS[t.action];
                return path ? (
                  <li>
                    <a
                      class={`fr-btn${t.action === 'withdraw' ? ' fr-btn--secondary' : ''}`}
                      href={`/ami/dossiers/${a.id}/${path}`}
                    >
                      {t.label}
                    </a>
                  </li>
                ) : null;
              })}
              {p.canDelete && (
                <li>
                  <a
                    class="fr-btn fr-btn--secondary fr-icon-delete-line fr-btn--icon-left"
                    href={`/ami/dossiers/${a.id}/supprimer`}
                  >
                    Supprimer le brouillon
                  </a>
                </li>
              )}
            </ul>
          )}
          <h2 class="fr-mt-4w">Contenu du dossier</h2>
          <DossierSummary dossier={p.dossier} level={3} />
          <DossierTimeline events={p.events} />
          {p.messages && (
            <DossierMessages applicationId={a.id} messages={p.messages.list} side={p.messages.side} />
          )}
        </div>
      </div>
    </Container>
  );
}

// ————————————————————————————————————————— section pages

export interface SectionPageProps {
  dossier: LoadedDossier;
  section: FormSection;
  missing: Record<AmiSection, FieldErrors>;
  values: FormValues;
  errors: FieldErrors;
  version: number;
  notice?: string | undefined;
  conflict?: string | undefined;
}

/** The autosave status: the version to send next and a live message (swapped by htmx with a morph). */
export function AutosaveStatus({
  version,
  message,
  error,
}: {
  version: number;
  message?: string | undefined;
  error?: boolean;
}) {
  return (
    <>
      <input type="hidden" name="version" value={String(version)} />
      <p id="autosave-message" role="status" class={error ? 'fr-error-text' : 'fr-hint-text'}>
        {message ?? ''}
      </p>
    </>
  );
}

function SectionForm({ p, autosave, children }: { p: SectionPageProps; autosave: boolean; children: Child }) {
  const id = p.dossier.application.id;
  const action = `/ami/dossiers/${id}/${p.section}`;
  const index = FORM_SECTIONS.indexOf(p.section);
  const next = index < FORM_SECTIONS.length - 1;
  return (
    <form method="post" action={action} class="ami-section-form" data-autosave={autosave ? '' : undefined}>
      <div
        hx-post={autosave ? `${action}?autosave=1` : undefined}
        hx-trigger={autosave ? 'change' : undefined}
        hx-target={autosave ? '#autosave' : undefined}
        hx-swap={autosave ? 'innerMorph' : undefined}
        hx-sync={autosave ? 'this:queue last' : undefined}
      >
        {children}
      </div>
      <div id="autosave" class="fr-my-2w">
        <AutosaveStatus version={p.version} />
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" class="fr-btn" name="action" value="save">
            Enregistrer
          </button>
        </li>
        {next && (
          <li>
            <button type="submit" class="fr-btn fr-btn--secondary" name="action" value="next">
              Enregistrer et passer à « {SECTION_LABELS[FORM_SECTIONS[index + 1]!]} »
            </button>
          </li>
        )}
      </ul>
    </form>
  );
}

export function SectionPage(p: SectionPageProps & { children: Child; autosave?: boolean; intro?: Child }) {
  const a = p.dossier.application;
  const missing = Object.values(p.missing[p.section]);
  return (
    <Container>
      <DossierHeader dossier={p.dossier} title={SECTION_LABELS[p.section]} />
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <SectionNav id={a.id} current={p.section} missing={p.missing} />
        </div>
        <div class="fr-col-12 fr-col-md-8">
          {p.notice && <Alert type="success" small title={p.notice} />}
          {p.conflict && (
            <Alert type="error" title="Enregistrement refusé : le dossier a changé">
              <p>{p.conflict}</p>
            </Alert>
          )}
          <h1>
            {SECTION_LABELS[p.section]}
            <span class="fr-hint-text">{a.projectName || `Dossier n° ${a.id}`}</span>
          </h1>
          <ErrorSummary errors={p.conflict ? {} : p.errors} />
          {missing.length === 0 ? (
            <p class="fr-badge fr-badge--success fr-mb-2w">Section complète</p>
          ) : (
            <div class="fr-mb-2w">
              <p class="fr-badge fr-badge--warning fr-mb-1w">À compléter</p>
              <ul>
                {missing.map((m) => (
                  <li>{m}</li>
                ))}
              </ul>
            </div>
          )}
          {p.intro}
          <SectionForm p={p} autosave={p.autosave ?? true}>
            {p.children}
          </SectionForm>
        </div>
      </div>
    </Container>
  );
}

export function PorteurFields({
  values,
  errors,
  organisations,
}: {
  values: FormValues;
  errors: FieldErrors;
  organisations: Array<{ id: number; name: string; siret: string; kind: string; legalForm: string }>;
}) {
  const chosen = organisations.find((o) => String(o.id) === formText(values, 'leadOrganisationId'));
  return (
    <>
      <SelectField
        name="leadOrganisationId"
        label="Organisation porteuse"
        hint="Une organisation dont vous êtes propriétaire ou éditeur·rice."
        required
        value={formText(values, 'leadOrganisationId')}
        error={errors.leadOrganisationId}
        options={organisations.map((o) => [String(o.id), o.name])}
      />
      {chosen && (
        <dl>
          <dt>SIRET</dt>
          <dd>{chosen.siret}</dd>
          <dt>Forme juridique</dt>
          <dd>{LEGAL_FORM_LABELS[chosen.legalForm as keyof typeof LEGAL_FORM_LABELS] ?? chosen.legalForm}</dd>
          <dt>Statut ESS</dt>
          <dd>
            {chosen.kind === 'ess'
              ? 'Structure de l’économie sociale et solidaire'
              : KIND_LABELS[chosen.kind as keyof typeof KIND_LABELS]}
          </dd>
        </dl>
      )}
      <p class="fr-hint-text">
        Ces informations viennent de la fiche de l’organisation :{' '}
        <a href={chosen ? `/organisations/${chosen.id}/modifier` : '/organisations'}>modifiez-la</a> au
        besoin.
      </p>
    </>
  );
}

/** The project's free-text fields, in the form's order. */
const PROJET_TEXTS = [
  ['strategy', 'Stratégie de coopération et de mutualisation'],
  ['activities', 'Activités'],
  ['governance', 'Gouvernance'],
  ['innovation', 'Caractère innovant'],
] as const;

export function ProjetFields({ values, errors }: { values: FormValues; errors: FieldErrors }) {
  return (
    <>
      <InputField
        name="projectName"
        label="Nom du projet"
        maxlength={200}
        value={formText(values, 'projectName')}
        error={errors.projectName}
      />
      <SelectField
        name="stage"
        label="Stade du projet"
        value={formText(values, 'stage')}
        error={errors.stage}
        options={Object.entries(STAGE_LABELS)}
      />
      {PROJET_TEXTS.map(([name, label]) => (
        <InputField name={name} label={label} multiline value={formText(values, name)} error={errors[name]} />
      ))}
    </>
  );
}

export function EmploisFields({ values, errors }: { values: FormValues; errors: FieldErrors }) {
  return (
    <>
      <InputField
        name="jobsCurrent"
        label="Emplois actuels (nombre)"
        type="text"
        value={formText(values, 'jobsCurrent')}
        error={errors.jobsCurrent}
        hint="En personnes, toutes structures membres confondues."
      />
      <InputField
        name="jobsPlanned"
        label="Emplois prévus à 3 ans (nombre)"
        type="text"
        value={formText(values, 'jobsPlanned')}
        error={errors.jobsPlanned}
      />
    </>
  );
}

function YesNo({
  name,
  legend,
  value,
  error,
}: {
  name: string;
  legend: string;
  value: string;
  error?: string | undefined;
}) {
  const id = `champ-${name}`;
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={id}
      aria-labelledby={`${id}-legende${error ? ` ${id}-erreur` : ''}`}
    >
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${id}-legende`}>
        {legend}
      </legend>
      {(['oui', 'non'] as const).map((v) => (
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <div class="fr-radio-group">
            <input type="radio" id={`${id}-${v}`} name={name} value={v} checked={value === v} />
            <label class="fr-label" for={`${id}-${v}`}>
              {v === 'oui' ? 'Oui' : 'Non'}
            </label>
          </div>
        </div>
      ))}
      {error && (
        <div class="fr-messages-group" id={`${id}-erreur`}>
          <p class="fr-message fr-message--error">{error}</p>
        </div>
      )}
    </fieldset>
  );
}

export function BudgetFields({
  values,
  errors,
  ceiling,
}: {
  values: FormValues;
  errors: FieldErrors;
  ceiling: number | null;
}) {
  const funders = list(values, 'funder');
  const amounts = list(values, 'amount');
  const rows = Math.max(funders.length, amounts.length);
  const lines = Array.from({ length: rows }, (_, i) => ({
    funder: funders[i] ?? '',
    amount: amounts[i] ?? '',
  }));
  return (
    <>
      <InputField
        name="budgetTotal"
        label="Budget total (euros)"
        value={formText(values, 'budgetTotal')}
        error={errors.budgetTotal}
      />
      <InputField
        name="amountRequested"
        label="Montant demandé (euros)"
        hint={ceiling ? `Au plus ${euros(ceiling)} dans la vague ouverte.` : undefined}
        value={formText(values, 'amountRequested')}
        error={errors.amountRequested}
      />
      <fieldset
        class={`fr-fieldset${errors.cofunding ? ' fr-fieldset--error' : ''}`}
        id="champ-cofunding"
        aria-labelledby="cofunding-legende"
      >
        <legend class="fr-fieldset__legend" id="cofunding-legende">
          Cofinancements
          <span class="fr-hint-text">Une ligne par financeur ; videz une ligne pour la retirer.</span>
        </legend>
        {lines.map((line, i) => (
          <div class="fr-fieldset__element">
            <div class="fr-grid-row fr-grid-row--gutters">
              <div class="fr-col-12 fr-col-md-6">
                <div class="fr-input-group">
                  <label class="fr-label" for={`funder-${i}`}>
                    Financeur {i + 1}
                  </label>
                  <input
                    class="fr-input"
                    id={`funder-${i}`}
                    name="funder"
                    value={line.funder}
                    maxlength={200}
                  />
                </div>
              </div>
              <div class="fr-col-8 fr-col-md-4">
                <div class="fr-input-group">
                  <label class="fr-label" for={`amount-${i}`}>
                    Montant {i + 1} (euros)
                  </label>
                  <input class="fr-input" id={`amount-${i}`} name="amount" value={line.amount} />
                </div>
              </div>
              <div class="fr-col-4 fr-col-md-2">
                <button
                  type="submit"
                  class="fr-btn fr-btn--tertiary fr-btn--sm fr-mt-4w"
                  name="action"
                  value={`remove-line-${i}`}
                >
                  Retirer<span class="fr-sr-only"> le cofinancement {i + 1}</span>
                </button>
              </div>
            </div>
          </div>
        ))}
        {errors.cofunding && (
          <div class="fr-messages-group" id="champ-cofunding-erreur">
            <p class="fr-message fr-message--error">{errors.cofunding}</p>
          </div>
        )}
        <div class="fr-fieldset__element">
          <button
            type="submit"
            class="fr-btn fr-btn--secondary fr-btn--sm fr-icon-add-line fr-btn--icon-left"
            name="action"
            value="add-line"
          >
            Ajouter une ligne de cofinancement
          </button>
        </div>
      </fieldset>
      <InputField
        name="selfFinancingShare"
        label="Part d’autofinancement à 3 ans (%)"
        value={formText(values, 'selfFinancingShare')}
        error={errors.selfFinancingShare}
      />
      <InputField
        name="stateAidReceived"
        label="Aide de l’État déjà reçue (euros, 0 si aucune)"
        value={formText(values, 'stateAidReceived')}
        error={errors.stateAidReceived}
      />
      <YesNo
        name="previouslyFunded"
        legend="Le projet a-t-il déjà été financé par un précédent appel de l’État pour les PTCE ?"
        value={formText(values, 'previouslyFunded')}
        error={errors.previouslyFunded}
      />
    </>
  );
}

export function TerritoireFields({
  values,
  errors,
  communes,
  picker,
}: {
  values: FormValues;
  errors: FieldErrors;
  communes: Array<{ code: string; name: string }>;
  picker: CommunePicker;
}) {
  const codes = list(values, 'communeCodes');
  const names = new Map(communes.map((c) => [c.code, c.name]));
  return (
    <>
      <fieldset class="fr-fieldset" id="champ-territory" aria-labelledby="communes-legende">
        <legend class="fr-fieldset__legend" id="communes-legende">
          Communes couvertes ({codes.length})
        </legend>
        {codes.length === 0 ? (
          <p class="fr-fieldset__element">Aucune commune pour l’instant.</p>
        ) : (
          <ul class="fr-fieldset__element">
            {codes.map((code) => (
              <li>
                <input type="hidden" name="communeCodes" value={code} />
                {names.get(code) ?? code} ({code}){' '}
                <button
                  type="submit"
                  class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm"
                  name="action"
                  value={`remove-commune-${code}`}
                >
                  Retirer<span class="fr-sr-only"> {names.get(code) ?? code}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <div class="fr-fieldset__element">
          <CommuneField
            name="addCommune"
            label="Ajouter une commune"
            selected={picker.selected}
            query={picker.query}
            candidates={picker.candidates}
            error={errors.addCommune}
          />
          <button
            type="submit"
            class="fr-btn fr-btn--secondary fr-btn--sm fr-icon-add-line fr-btn--icon-left"
            name="action"
            value="add-commune"
          >
            Ajouter la commune
          </button>
        </div>
      </fieldset>
      <InputField
        name="departements"
        label="Départements couverts"
        hint="Codes séparés par des virgules, par exemple : 38, 73, 2A"
        value={formText(values, 'departements')}
        error={errors.departements ?? errors.territory}
      />
      <div class="fr-fieldset__element">
        <div class="fr-checkbox-group">
          <input
            type="checkbox"
            id="champ-qpv"
            name="qpv"
            value="1"
            checked={formText(values, 'qpv') !== ''}
          />
          <label class="fr-label" for="champ-qpv">
            Le territoire comprend un ou plusieurs quartiers prioritaires de la politique de la ville (QPV)
          </label>
        </div>
        <div class="fr-checkbox-group">
          <input
            type="checkbox"
            id="champ-rural"
            name="rural"
            value="1"
            checked={formText(values, 'rural') !== ''}
          />
          <label class="fr-label" for="champ-rural">
            Territoire rural
          </label>
        </div>
      </div>
    </>
  );
}

export function MembresFields({
  dossier,
  values,
  errors,
  directory,
  poleImport,
  picker,
}: {
  dossier: LoadedDossier;
  values: FormValues;
  errors: FieldErrors;
  directory: OrganisationSummary[];
  poleImport: { poleName: string; count: number } | null;
  picker: CommunePicker;
}) {
  const members = dossier.members;
  return (
    <>
      {members.length === 0 ? (
        <p>Aucun membre pour l’instant : ajoutez au moins trois organisations.</p>
      ) : (
        // The id sits outside `.fr-table`: DSFR styles that element inline, which a boosted swap would copy (CSP).
        <div id="champ-members">
          <TableFrame>
            <table>
              <caption>Membres du consortium ({members.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">SIRET</th>
                  <th scope="col">Type</th>
                  <th scope="col">Commune</th>
                  <th scope="col">Rôle</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr>
                    <td>{m.name}</td>
                    <td>{m.siret}</td>
                    <td>{KIND_LABELS[m.kind]}</td>
                    <td>{m.communeName ?? m.communeCode}</td>
                    <td>{MEMBER_ROLE_LABELS[m.role]}</td>
                    <td>
                      <button
                        type="submit"
                        class="fr-btn fr-btn--tertiary fr-btn--sm"
                        name="action"
                        value={`remove-${m.siret}`}
                      >
                        Retirer<span class="fr-sr-only"> {m.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </div>
      )}
      {errors.members && <p class="fr-error-text">{errors.members}</p>}
      {poleImport && (
        <div class="fr-callout fr-mb-3w">
          <p class="fr-callout__text">
            L’organisation porteuse coordonne le pôle « {poleImport.poleName} » ({poleImport.count}{' '}
            {poleImport.count > 1 ? 'membres actifs' : 'membre actif'}).
          </p>
          <button type="submit" class="fr-btn fr-btn--secondary" name="action" value="import-pole">
            Importer les membres du pôle
          </button>
        </div>
      )}
      <h2 class="fr-h4">Ajouter un membre</h2>
      <fieldset class="fr-fieldset" aria-labelledby="annuaire-legende">
        <legend class="fr-fieldset__legend" id="annuaire-legende">
          Depuis l’annuaire
        </legend>
        <div class="fr-fieldset__element">
          <div class="fr-input-group">
            <label class="fr-label" for="champ-directoryQuery">
              Organisation inscrite sur la plateforme
              <span class="fr-hint-text">Nom, SIRET ou numéro de l’organisation</span>
            </label>
            <input
              class="fr-input"
              type="search"
              id="champ-directoryQuery"
              name="directoryQuery"
              value={formText(values, 'directoryQuery')}
              autocomplete="off"
              aria-controls="organisation-options"
              hx-get="/ami/organisations-candidates"
              hx-trigger="input changed delay:300ms, search"
              hx-target="#organisation-options"
              hx-swap="innerMorph"
              hx-sync="this:replace"
            />
          </div>
          <button
            type="submit"
            class="fr-btn fr-btn--tertiary fr-btn--sm fr-icon-search-line fr-btn--icon-left"
            name="action"
            value="search"
          >
            Rechercher dans l’annuaire
          </button>
          <div id="organisation-options">
            <OrganisationCandidates
              candidates={directory}
              query={formText(values, 'directoryQuery').trim() || undefined}
            />
          </div>
        </div>
      </fieldset>
      <fieldset class="fr-fieldset" aria-labelledby="saisie-legende">
        <legend class="fr-fieldset__legend" id="saisie-legende">
          Ou en saisissant ses informations
        </legend>
        <div class="fr-fieldset__element">
          <InputField name="siret" label="SIRET" value={formText(values, 'siret')} error={errors.siret} />
          <InputField
            name="name"
            label="Nom"
            maxlength={200}
            value={formText(values, 'name')}
            error={errors.name}
          />
          <SelectField
            name="kind"
            label="Type de structure"
            value={formText(values, 'kind')}
            error={errors.kind}
            options={ORGANISATION_KINDS.map((k) => [k, KIND_LABELS[k]])}
          />
          <CommuneField
            name="communeCode"
            label="Commune"
            selected={picker.selected}
            query={picker.query}
            candidates={picker.candidates}
            error={errors.communeCode}
          />
        </div>
      </fieldset>
      <SelectField
        name="role"
        label="Rôle dans le consortium"
        value={formText(values, 'role')}
        error={errors.role}
        options={Object.entries(MEMBER_ROLE_LABELS)}
      />
      <button
        type="submit"
        class="fr-btn fr-btn--secondary fr-icon-add-line fr-btn--icon-left fr-mb-2w"
        name="action"
        value="add"
      >
        Ajouter ce membre
      </button>
    </>
  );
}

// ————————————————————————————————————————— confirmations, receipt

export function ConfirmPage({
  dossier,
  title,
  action,
  label,
  explanation,
  version,
  reason,
  errors = {},
  destructive,
}: {
  dossier: LoadedDossier;
  title: string;
  action: string;
  label: string;
  explanation: Child;
  version: number;
  reason?: { label: string; value: string };
  errors?: FieldErrors;
  destructive?: boolean;
}) {
  const a = dossier.application;
  return (
    <Container narrow>
      <DossierHeader dossier={dossier} title={title} />
      <h1>{title}</h1>
      {Object.keys(errors).length > 0 && (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">
            {Object.keys(errors).length === 1
              ? 'Un point bloque'
              : `${Object.keys(errors).length} points bloquent`}
          </h2>
          <ul>
            {Object.entries(errors).map(([field, message]) => {
              const section = sectionOfField(field);
              return (
                <li>
                  {section ? (
                    <>
                      <a href={`/ami/dossiers/${a.id}/${section}`}>{SECTION_LABELS[section]}</a> : {message}
                    </>
                  ) : (
                    message
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {explanation}
      <form method="post" action={action}>
        <input type="hidden" name="version" value={String(version)} />
        {reason && (
          <InputField
            name="reason"
            label={reason.label}
            multiline
            maxlength={2000}
            value={reason.value}
            error={errors.reason}
          />
        )}
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <button
              type="submit"
              class={`fr-btn${destructive ? ' fr-icon-delete-line fr-btn--icon-left' : ''}`}
            >
              {label}
            </button>
          </li>
          <li>
            <a
              class="fr-btn fr-btn--secondary fr-icon-arrow-go-back-line fr-btn--icon-left"
              href={`/ami/dossiers/${a.id}`}
            >
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Container>
  );
}

let fieldSections: Record<string, AmiSection> | undefined;
/** The section of a submit error's field (`members` → membres…), for its link. */
export function sectionOfField(field: string): AmiSection | undefined {
  fieldSections ??= {
    leadOrganisationId: 'porteur',
    members: 'membres',
    territory: 'territoire',
    projectName: 'projet',
    stage: 'projet',
    strategy: 'projet',
    activities: 'projet',
    governance: 'projet',
    innovation: 'projet',
    jobsCurrent: 'emplois',
    jobsPlanned: 'emplois',
    budgetTotal: 'budget',
    amountRequested: 'budget',
    cofunding: 'budget',
    selfFinancingShare: 'budget',
    stateAidReceived: 'budget',
    previouslyFunded: 'budget',
    attachments: 'pieces',
  };
  return fieldSections[field.split('.')[0]!];
}

export function ReceiptPage({ dossier, notice }: { dossier: LoadedDossier; notice?: string | undefined }) {
  const a = dossier.application;
  return (
    <Container narrow>
      <DossierHeader dossier={dossier} title="Récépissé" />
      {notice && <Alert type="success" small title={notice} />}
      <h1>Récépissé de dépôt</h1>
      <div class="fr-callout">
        <dl class="fr-callout__text">
          <dt>Référence</dt>
          <dd>
            <strong>{a.reference}</strong>
          </dd>
          <dt>Déposé le</dt>
          <dd>
            {a.submittedAt ? <time datetime={a.submittedAt}>{parisDateTime(a.submittedAt)}</time> : '—'}{' '}
            (heure de Paris)
          </dd>
          <dt>Organisation porteuse</dt>
          <dd>
            {dossier.lead.name} (SIRET {dossier.lead.siret})
          </dd>
          {dossier.wave && (
            <>
              <dt>Vague</dt>
              <dd>{dossier.wave.name}</dd>
            </>
          )}
        </dl>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <a
            class="fr-btn fr-icon-download-line fr-btn--icon-left"
            href={`/ami/dossiers/${a.id}/recepisse.pdf`}
            download
          >
            Télécharger le récépissé (PDF)
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href={`/ami/dossiers/${a.id}`}>
            Suivre le dossier
          </a>
        </li>
      </ul>
      <p>Un accusé de réception a été envoyé par courriel aux membres de l’organisation porteuse.</p>
      <h2>Résumé du dossier</h2>
      <DossierSummary dossier={dossier} level={3} />
    </Container>
  );
}

export type { Commune };
