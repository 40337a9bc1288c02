import type { Child } from 'hono/jsx';
import { AMI_CRITERIA, AMI_SECTIONS } from '../../db/schema.ts';
import { directoryHref, type FilterValue } from '../../lib/directory/href.ts';
import type { IgnoredFilter } from '../../lib/directory/query.ts';
import { IgnoredFilters, LiveSearchForm, Paragraphs, RESULTS_ID } from '../../lib/directory/views.tsx';
import { Alert, Breadcrumb, Container, TableFrame } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import type { FormValues } from '../../lib/form.ts';
import { ErrorSummary, InputField, SelectField } from '../../lib/forms.tsx';
import { type Page, Pagination } from '../../lib/pagination.tsx';
import { MESSAGE_MAX_LENGTH } from '../ami/messages.ts';
import type { AmiEventRow, LoadedDossier } from '../ami/queries.ts';
import { isOverdue } from '../ami/reminders.ts';
import { DossierSummary, DossierTimeline, parisDateTime } from '../ami/summary.tsx';
import { euros } from '../ami/transitions.ts';
import { type AmiTransition, SECTION_LABELS, STATUS_LABELS } from '../ami/workflow.ts';
import { DEPARTEMENTS, departementLabel, REGIONS } from '../geo/territories.ts';
import type { Dashboard } from './dashboard.ts';
import { CRITERION_LABELS, STAGE_LABELS } from './labels.ts';
import type { QueueRow } from './queue.ts';
import { QUEUE_STATUSES, type QueueFilters, type QueueSort } from './schemas.ts';
import type { BulkOutcome, ScoreGrid, scoreSummary } from './tools.ts';

export const QUEUE_PATH = '/instruction';

const parisDate = (iso: string | null) =>
  iso
    ? new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso))
    : '—';
const score = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : n.toLocaleString('fr-FR', { maximumFractionDigits: 2 });
const amount = (n: number | null | undefined) => (n === null || n === undefined ? '—' : euros(n));

const STATUS_BADGE: Record<string, string> = {
  submitted: 'new',
  under_review: 'info',
  changes_requested: 'warning',
  eligible: 'info',
  selected: 'success',
  rejected: 'error',
  ineligible: 'error',
  withdrawn: '',
  draft: '',
};

export function StatusBadge({ status }: { status: keyof typeof STATUS_LABELS }) {
  const kind = STATUS_BADGE[status];
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--no-icon${kind ? ` fr-badge--${kind}` : ''}`}>
      {STATUS_LABELS[status]}
    </span>
  );
}

/** The queue's filters in URL order (every link of the queue is built from them). */
export function queueFilterValues(f: Partial<QueueFilters>): Record<string, FilterValue> {
  return {
    q: f.q,
    status: f.status,
    waveId: f.waveId,
    region: f.region,
    departement: f.departement,
    assignee: f.assignee,
    mine: f.mine,
    stage: f.stage,
    amountMin: f.amountMin,
    amountMax: f.amountMax,
    overdue: f.overdue,
    sort: f.sort,
    order: f.order,
  };
}

export interface QueueViewModel {
  filters: Partial<QueueFilters>;
  ignored: IgnoredFilter[];
  results: Page<QueueRow>;
  waves: Array<{ id: number; name: string }>;
  staff: Array<{ id: number; name: string }>;
  /** The regional instructor's régions (null: national). */
  regions: string[] | null;
  /** Their départements (null: all). */
  departements?: string[] | null;
  now: Date;
}

const SORT_LABELS: Record<QueueSort, string> = {
  reference: 'Référence',
  submitted: 'Déposé le',
  amount: 'Montant demandé',
  score: 'Note moyenne',
  status: 'Statut',
};

function SortHeader({ column, filters }: { column: QueueSort; filters: Partial<QueueFilters> }) {
  const current = (filters.sort ?? 'submitted') === column;
  const order = filters.order ?? (filters.sort ? 'asc' : 'desc');
  const next = current && order === 'asc' ? 'desc' : 'asc';
  const href = directoryHref(QUEUE_PATH, { ...queueFilterValues(filters), sort: column, order: next });
  return (
    <th scope="col" aria-sort={current ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={href}>
        {SORT_LABELS[column]}
        <span class="fr-sr-only">
          {current
            ? ` (trié ${order === 'asc' ? 'par ordre croissant' : 'par ordre décroissant'} ; trier ${next === 'asc' ? 'par ordre croissant' : 'par ordre décroissant'})`
            : ' (trier par ordre croissant)'}
        </span>
        {current ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
      </a>
    </th>
  );
}

function activeFilters(f: Partial<QueueFilters>): number {
  const keys: Array<keyof QueueFilters> = [
    'q',
    'status',
    'waveId',
    'region',
    'departement',
    'assignee',
    'mine',
    'stage',
    'amountMin',
    'amountMax',
    'overdue',
  ];
  return keys.filter((k) => f[k] !== undefined && f[k] !== '').length;
}

function QueueFilterFields({ m }: { m: QueueViewModel }) {
  const f = m.filters;
  const regionCodes = m.regions ?? Object.keys(REGIONS);
  const departements = m.departements ?? Object.keys(DEPARTEMENTS);
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <div class="fr-input-group">
          <label class="fr-label" for="champ-q">
            Mots-clés
            <span class="fr-hint-text">Nom du projet ou du porteur</span>
          </label>
          <input class="fr-input" type="search" id="champ-q" name="q" value={f.q ?? ''} maxlength={200} />
        </div>
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <SelectField
          name="status"
          label="Statut"
          value={f.status}
          options={QUEUE_STATUSES.map((s): [string, string] => [s, STATUS_LABELS[s]])}
          placeholder="Tous les statuts"
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <SelectField
          name="waveId"
          label="Vague"
          value={f.waveId === undefined ? '' : String(f.waveId)}
          options={m.waves.map((w): [string, string] => [String(w.id), w.name])}
          placeholder="Toutes les vagues"
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <SelectField
          name="region"
          label="Région"
          value={f.region}
          options={regionCodes.map((r): [string, string] => [r, REGIONS[r] ?? r])}
          placeholder="Toutes les régions"
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <SelectField
          name="departement"
          label="Département"
          value={f.departement}
          options={departements.map((d): [string, string] => [d, departementLabel(d)])}
          placeholder="Tous les départements"
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <SelectField
          name="assignee"
          label="Instructeur ou instructrice"
          value={f.assignee === undefined ? '' : String(f.assignee)}
          options={[
            ['none', 'Non attribués'],
            ...m.staff.map((s): [string, string] => [String(s.id), s.name]),
          ]}
          placeholder="Tous"
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <SelectField
          name="stage"
          label="Stade du projet"
          value={f.stage}
          options={Object.entries(STAGE_LABELS) as Array<[string, string]>}
          placeholder="Tous les stades"
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <InputField
          name="amountMin"
          type="number"
          label="Montant demandé minimum (€)"
          value={f.amountMin === undefined ? '' : String(f.amountMin)}
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <InputField
          name="amountMax"
          type="number"
          label="Montant demandé maximum (€)"
          value={f.amountMax === undefined ? '' : String(f.amountMax)}
        />
      </div>
      <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
        <fieldset class="fr-fieldset" id="champ-options">
          <legend class="fr-fieldset__legend fr-fieldset__legend--regular">Options</legend>
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input type="checkbox" id="champ-mine" name="mine" value="1" checked={f.mine === '1'} />
              <label class="fr-label" for="champ-mine">
                Assignés à moi
              </label>
            </div>
          </div>
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input
                type="checkbox"
                id="champ-overdue"
                name="overdue"
                value="1"
                checked={f.overdue === '1'}
              />
              <label class="fr-label" for="champ-overdue">
                Compléments en retard
              </label>
            </div>
          </div>
        </fieldset>
      </div>
      {f.sort && <input type="hidden" name="sort" value={f.sort} />}
      {f.order && <input type="hidden" name="order" value={f.order} />}
    </div>
  );
}

const resultsStatus = (page: Page<unknown>) =>
  page.total === 0
    ? 'Aucun dossier trouvé'
    : page.total === 1
      ? '1 dossier trouvé'
      : `${page.total.toLocaleString('fr-FR')} dossiers trouvés`;

/** The results area (the fragment the live search swaps): count, bulk form around the table, pages. */
export function QueueResults({ m }: { m: QueueViewModel }) {
  const { results, filters, now } = m;
  const query = directoryHref('', queueFilterValues(filters)).replace(/^\?/, '');
  const exportHref = `/instruction/export.csv${query ? `?${query}` : ''}`;
  return (
    <>
      <h2 class="fr-h4 fr-mb-1w">Dossiers</h2>
      <IgnoredFilters ignored={m.ignored} />
      <p class="app-results-count" id={`${RESULTS_ID}-statut`} role="status">
        {resultsStatus(results)}
      </p>
      <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--icon-left">
        <li>
          <a class="fr-btn fr-btn--secondary fr-icon-download-line" href={exportHref}>
            Exporter en CSV
          </a>
        </li>
        <li>
          <a
            class="fr-btn fr-btn--tertiary fr-icon-download-line"
            href={`${exportHref}${query ? '&' : '?'}notes=1`}
          >
            Exporter avec les notes internes
          </a>
        </li>
      </ul>
      {results.items.length > 0 && (
        <form method="post" action="/instruction/actions-groupees" id="actions-groupees">
          <input type="hidden" name="filters" value={query} />
          <TableFrame modifiers="fr-table--no-caption fr-table--sm">
            <table>
              <caption>Dossiers de l’AMI PTCE</caption>
              <thead>
                <tr>
                  <th scope="col" class="fr-cell--fixed">
                    <span class="fr-sr-only">Sélection</span>
                  </th>
                  <SortHeader column="reference" filters={filters} />
                  <th scope="col">Projet et porteur</th>
                  <SortHeader column="status" filters={filters} />
                  <th scope="col">Territoire</th>
                  <th scope="col">Vague</th>
                  <SortHeader column="amount" filters={filters} />
                  <SortHeader column="score" filters={filters} />
                  <th scope="col">Instruction</th>
                  <SortHeader column="submitted" filters={filters} />
                </tr>
              </thead>
              <tbody>
                {results.items.map((row) => {
                  const overdue = isOverdue(row, now);
                  return (
                    <tr>
                      <td class="fr-cell--fixed">
                        <div class="fr-checkbox-group fr-checkbox-group--sm">
                          <input type="checkbox" id={`choix-${row.id}`} name="ids" value={String(row.id)} />
                          <label class="fr-label" for={`choix-${row.id}`}>
                            Sélectionner le dossier {row.reference ?? row.id}
                          </label>
                        </div>
                      </td>
                      <td>
                        <a href={`/instruction/dossiers/${row.id}`}>{row.reference ?? `Dossier ${row.id}`}</a>
                      </td>
                      <td>
                        {row.projectName || 'Sans titre'}
                        <br />
                        <span class="fr-text--sm">{row.leadName}</span>
                      </td>
                      <td>
                        <StatusBadge status={row.status} />
                        {overdue && (
                          <p class="fr-badge fr-badge--sm fr-badge--error fr-mt-1v fr-mb-0">
                            En retard depuis le {parisDate(row.changesDueAt)}
                          </p>
                        )}
                      </td>
                      <td>
                        {REGIONS[row.region] ?? row.region}
                        <br />
                        <span class="fr-text--sm">{departementLabel(row.departement)}</span>
                      </td>
                      <td>{row.waveName ?? '—'}</td>
                      <td>{amount(row.amountRequested)}</td>
                      <td>
                        {score(row.scoreAverage)}
                        {row.scoreCount > 0 && (
                          <span class="fr-text--sm">
                            {' '}
                            ({row.scoreCount} grille{row.scoreCount > 1 ? 's' : ''}, écart{' '}
                            {score(row.scoreSpread)})
                          </span>
                        )}
                      </td>
                      <td>{row.assigneeName ?? 'Non attribué'}</td>
                      <td>{parisDate(row.submittedAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableFrame>
          <BulkFields m={m} />
        </form>
      )}
      <Pagination
        page={results.page}
        perPage={results.perPage}
        total={results.total}
        hrefFor={(p) => directoryHref(QUEUE_PATH, queueFilterValues(filters), p)}
      />
    </>
  );
}

function BulkFields({ m }: { m: QueueViewModel }) {
  return (
    <fieldset class="fr-fieldset" aria-labelledby="actions-groupees-legende">
      <legend class="fr-fieldset__legend" id="actions-groupees-legende">
        Actions groupées sur la sélection
      </legend>
      <div class="fr-fieldset__element">
        <div class="fr-checkbox-group">
          <input type="checkbox" id="champ-all" name="all" value="1" />
          <label class="fr-label" for="champ-all">
            Appliquer à tout le filtre ({m.results.total.toLocaleString('fr-FR')} dossier
            {m.results.total > 1 ? 's' : ''}) plutôt qu’aux dossiers cochés
          </label>
        </div>
      </div>
      <div class="fr-fieldset__element">
        <SelectField
          name="action"
          label="Action"
          required
          options={[
            ['take', 'Prendre en instruction (dossiers déposés)'],
            ['assign', 'Attribuer à…'],
            ['message', 'Envoyer un message aux porteurs'],
          ]}
        />
      </div>
      <div class="fr-fieldset__element">
        <SelectField
          name="assigneeId"
          label="Attribuer à"
          hint="Pour l’action « Attribuer à… »"
          options={m.staff.map((s): [string, string] => [String(s.id), s.name])}
          placeholder="Personne (retirer l’attribution)"
        />
      </div>
      <div class="fr-fieldset__element">
        <InputField
          name="body"
          label="Message aux porteurs"
          hint="Pour l’action « Envoyer un message » : le même message à chaque dossier, envoyé par courriel aux membres de l’organisation porteuse."
          multiline
          maxlength={MESSAGE_MAX_LENGTH}
        />
      </div>
      <div class="fr-fieldset__element">
        <button type="submit" class="fr-btn">
          Appliquer l’action
        </button>
      </div>
    </fieldset>
  );
}

export function QueuePage({ m, results }: { m: QueueViewModel; results: Child }) {
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Instruction' }]} />
      <h1>Instruction des dossiers AMI</h1>
      <p>
        {m.regions
          ? `Dossiers de vos régions : ${m.regions.map((r) => REGIONS[r] ?? r).join(', ')}.`
          : 'Dossiers de toutes les régions.'}{' '}
        <a href="/instruction/tableau-de-bord">Tableau de bord</a>
      </p>
      {/* The filters above the table (a wide table needs the whole width): folded on a phone, always
          open from 48em (app.css `.app-filters`), as in the directories. */}
      <details class="app-filters fr-mb-4w" id="filtres">
        <summary class="fr-btn fr-btn--secondary fr-icon-filter-line fr-btn--icon-left">
          Filtres
          {activeFilters(m.filters) > 0
            ? ` (${activeFilters(m.filters)} actif${activeFilters(m.filters) > 1 ? 's' : ''})`
            : ''}
        </summary>
        <LiveSearchForm action={QUEUE_PATH} label="Filtrer les dossiers">
          <QueueFilterFields m={m} />
        </LiveSearchForm>
      </details>
      <p id={`${RESULTS_ID}-chargement`} class="htmx-indicator app-loading" aria-hidden="true">
        Recherche en cours…
      </p>
      <div id={RESULTS_ID} class="app-busy">
        {results}
      </div>
    </Container>
  );
}

// ————————————————————————————————————————— bulk result

export function BulkResultPage({
  action,
  outcomes,
  backHref,
  errors,
}: {
  action?: string;
  outcomes: BulkOutcome[];
  backHref: string;
  errors?: FieldErrors;
}) {
  const ok = outcomes.filter((o) => o.ok).length;
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Instruction', href: backHref }, { label: 'Actions groupées' }]} />
      <h1>Actions groupées</h1>
      {errors && <ErrorSummary errors={errors} />}
      {!errors && (
        <Alert type={ok === outcomes.length ? 'success' : 'warning'} small>
          {`${ok} dossier${ok > 1 ? 's' : ''} traité${ok > 1 ? 's' : ''} sur ${outcomes.length}${action ? ` (${action})` : ''}.`}
        </Alert>
      )}
      {outcomes.length > 0 && (
        <TableFrame modifiers="fr-table--no-caption" scroll="Résultat par dossier">
          <table>
            <caption>Résultat par dossier</caption>
            <thead>
              <tr>
                <th scope="col">Dossier</th>
                <th scope="col">Résultat</th>
                <th scope="col">Détail</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((o) => (
                <tr>
                  <td>
                    {o.reference ? (
                      <a href={`/instruction/dossiers/${o.id}`}>
                        {o.reference} {o.projectName && `— ${o.projectName}`}
                      </a>
                    ) : (
                      `Dossier n° ${o.id}`
                    )}
                  </td>
                  <td>
                    <span class={`fr-badge fr-badge--sm ${o.ok ? 'fr-badge--success' : 'fr-badge--error'}`}>
                      {o.ok ? 'Fait' : 'Refusé'}
                    </span>
                  </td>
                  <td>{o.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={backHref}>
          Retour à la file des dossiers
        </a>
      </p>
    </Container>
  );
}

// ————————————————————————————————————————— staff dossier page

/** Which form of the page came back with errors (its values and messages). */
export interface FailedForm {
  form: string;
  values: FormValues;
  errors: FieldErrors;
}

export interface StaffDossierModel {
  dossier: LoadedDossier;
  events: AmiEventRow[];
  transitions: AmiTransition[];
  canInstruct: boolean;
  conflict: boolean;
  viewerId: number;
  isAdmin: boolean;
  assignee: { id: number; name: string } | null;
  candidates: Array<{ id: number; name: string }>;
  notes: Array<{ id: number; authorName: string; body: string; createdAt: string }>;
  grids: ScoreGrid[];
  summary: ReturnType<typeof scoreSummary>;
  waves: Array<{ id: number; name: string }>;
  defaultDueOn: string;
  failed?: FailedForm | undefined;
  notice?: string | undefined;
  /** The messages panel (wt/files' `DossierMessages`), when it exists. */
  messages?: Child;
}

const val = (failed: FailedForm | undefined, form: string, name: string, fallback = '') => {
  if (failed?.form !== form) return fallback;
  const v = failed.values[name];
  return typeof v === 'string' ? v : fallback;
};
const err = (failed: FailedForm | undefined, form: string, name: string) =>
  failed?.form === form ? failed.errors[name] : undefined;

/* Tables without links scroll on a phone: their container takes the focus (tabindex, a named
   region) so keyboard users can scroll them (RGAA; axe scrollable-region-focusable). */

function TransitionForm({ m, t }: { m: StaffDossierModel; t: AmiTransition }) {
  const a = m.dossier.application;
  const f = m.failed;
  const form = `transition-${t.action}`;
  const prefix = `t-${t.action}`;
  const ticked = f?.form === form && Array.isArray(f.values.sections) ? f.values.sections : [];
  const sectionsError = err(f, form, 'sections');
  return (
    <form method="post" action={`/instruction/dossiers/${a.id}/transition`} class="fr-mb-4w" id={form}>
      <h3 class="fr-h6">{t.label}</h3>
      {f?.form === form && <ErrorSummary errors={f.errors} />}
      <input type="hidden" name="to" value={t.to} />
      <input type="hidden" name="version" value={String(a.version)} />
      {t.sections && (
        <>
          <fieldset
            class={`fr-fieldset${sectionsError ? ' fr-fieldset--error' : ''}`}
            id={`${prefix}-sections`}
            aria-labelledby={`${prefix}-sections-legende`}
          >
            <legend
              class="fr-fieldset__legend fr-fieldset__legend--regular"
              id={`${prefix}-sections-legende`}
            >
              Sections à compléter (obligatoire)
            </legend>
            {AMI_SECTIONS.map((s) => (
              <div class="fr-fieldset__element fr-fieldset__element--inline">
                <div class="fr-checkbox-group">
                  <input
                    type="checkbox"
                    id={`${prefix}-section-${s}`}
                    name="sections"
                    value={s}
                    checked={ticked.includes(s)}
                  />
                  <label class="fr-label" for={`${prefix}-section-${s}`}>
                    {SECTION_LABELS[s]}
                  </label>
                </div>
              </div>
            ))}
            {sectionsError && (
              <div class="fr-messages-group" id={`${prefix}-sections-erreur`} aria-live="assertive">
                <p class="fr-message fr-message--error">{sectionsError}</p>
              </div>
            )}
          </fieldset>
          <InputField
            id={`${prefix}-dueOn`}
            name="dueOn"
            type="date"
            label="Date limite de réponse"
            hint="Par défaut dans 15 jours."
            value={val(f, form, 'dueOn', m.defaultDueOn)}
            error={err(f, form, 'dueAt') ?? err(f, form, 'dueOn')}
          />
        </>
      )}
      {t.grant && (
        <>
          <div class={`fr-select-group${err(f, form, 'waveId') ? ' fr-select-group--error' : ''}`}>
            <label class="fr-label" for={`${prefix}-waveId`}>
              Vague (obligatoire)
            </label>
            <select class="fr-select" id={`${prefix}-waveId`} name="waveId" required>
              {m.waves.map((w) => (
                <option
                  value={String(w.id)}
                  selected={val(f, form, 'waveId', String(a.waveId ?? '')) === String(w.id)}
                >
                  {w.name}
                </option>
              ))}
            </select>
            {err(f, form, 'waveId') && (
              <p class="fr-error-text" id={`${prefix}-waveId-erreur`}>
                {err(f, form, 'waveId')}
              </p>
            )}
          </div>
          <InputField
            id={`${prefix}-amountGranted`}
            name="amountGranted"
            type="number"
            label="Montant accordé (€)"
            required
            min="1"
            value={val(f, form, 'amountGranted', a.amountRequested ? String(a.amountRequested) : '')}
            error={err(f, form, 'amountGranted')}
          />
        </>
      )}
      {t.reason !== 'none' && (
        <InputField
          id={`${prefix}-reason`}
          name="reason"
          label={t.reason === 'required' ? 'Motif' : 'Motif (facultatif)'}
          hint={
            t.visibility === 'public' ? 'Il sera communiqué au porteur.' : 'Visible de l’équipe seulement.'
          }
          multiline
          rows={4}
          required={t.reason === 'required'}
          value={val(f, form, 'reason')}
          error={err(f, form, 'reason')}
        />
      )}
      {err(f, form, 'version') && <p class="fr-error-text">{err(f, form, 'version')}</p>}
      <button type="submit" class="fr-btn">
        {t.label}
      </button>
    </form>
  );
}

function ScoreForm({ m }: { m: StaffDossierModel }) {
  const a = m.dossier.application;
  const mine = m.grids.find((g) => g.reviewerId === m.viewerId);
  const f = m.failed;
  return (
    <form method="post" action={`/instruction/dossiers/${a.id}/evaluation`} id="evaluation-form">
      {f?.form === 'score' && <ErrorSummary errors={f.errors} />}
      <fieldset class="fr-fieldset" aria-labelledby="grille-legende">
        <legend class="fr-fieldset__legend" id="grille-legende">
          Ma grille (0 à 5 par critère)
        </legend>
        {AMI_CRITERIA.map((k) => (
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <InputField
              id={`champ-${k}`}
              name={k}
              type="number"
              label={CRITERION_LABELS[k]}
              min="0"
              max="5"
              required
              value={val(f, 'score', k, mine ? String(mine[k]) : '')}
              error={err(f, 'score', k)}
            />
          </div>
        ))}
      </fieldset>
      <button type="submit" class="fr-btn fr-btn--secondary">
        {mine ? 'Mettre à jour ma grille' : 'Enregistrer ma grille'}
      </button>
    </form>
  );
}

function ScoresTable({ m }: { m: StaffDossierModel }) {
  if (m.grids.length === 0) return <p>Aucune grille pour l’instant.</p>;
  return (
    <TableFrame modifiers="fr-table--sm" scroll="Grilles d’évaluation">
      <table>
        <caption>Grilles d’évaluation</caption>
        <thead>
          <tr>
            <th scope="col">Évaluateur</th>
            {AMI_CRITERIA.map((k) => (
              <th scope="col">{CRITERION_LABELS[k]}</th>
            ))}
            <th scope="col">Moyenne</th>
          </tr>
        </thead>
        <tbody>
          {m.grids.map((g) => (
            <tr>
              <th scope="row">{g.reviewerName ?? 'Compte supprimé'}</th>
              {AMI_CRITERIA.map((k) => (
                <td>{g[k]}</td>
              ))}
              <td>{score(g.total)}</td>
            </tr>
          ))}
        </tbody>
        {m.summary && (
          <tfoot>
            <tr>
              <th scope="row">Moyenne des {m.summary.count} grilles</th>
              {AMI_CRITERIA.map((k) => (
                <td>{score(m.summary?.byCriterion[k])}</td>
              ))}
              <td>{score(m.summary.average)}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </TableFrame>
  );
}

export function StaffDossierPage({ m }: { m: StaffDossierModel }) {
  const { dossier } = m;
  const a = dossier.application;
  const f = m.failed;
  const title = a.reference ?? `Dossier ${a.id}`;
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Instruction', href: QUEUE_PATH }, { label: title }]} />
      {m.notice && (
        <Alert type="success" small>
          {m.notice}
        </Alert>
      )}
      <h1>
        {title} — {a.projectName || 'Sans titre'}
      </h1>
      <p>
        <StatusBadge status={a.status} /> Porteur : {dossier.lead.name} · {REGIONS[a.region] ?? a.region} ·{' '}
        {departementLabel(a.departement)} · Version {a.version}
        {a.status === 'changes_requested' && a.changesDueAt && (
          <> · Compléments attendus avant le {parisDateTime(a.changesDueAt)}</>
        )}
      </p>
      {m.conflict && (
        <Alert type="warning" title="Conflit d’intérêts déclaré">
          Vous êtes en conflit d’intérêts sur ce dossier (déclaré, ou membre de l’organisation porteuse) :
          vous ne pouvez ni l’évaluer, ni l’attribuer, ni décider.
        </Alert>
      )}
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-lg-5">
          <section aria-labelledby="decisions" class="fr-mb-6w">
            <h2 id="decisions" class="fr-h4">
              Décisions
            </h2>
            {m.canInstruct && m.transitions.length > 0 ? (
              m.transitions.map((t) => <TransitionForm m={m} t={t} />)
            ) : (
              <p>Aucune décision possible pour vous dans l’état « {STATUS_LABELS[a.status]} ».</p>
            )}
            {a.status === 'eligible' && !m.isAdmin && (
              <p class="fr-text--sm">
                La sélection dans une vague et le rejet reviennent à un administrateur.
              </p>
            )}
          </section>
          <section aria-labelledby="attribution" class="fr-mb-6w">
            <h2 id="attribution" class="fr-h4">
              Attribution
            </h2>
            <p>Instruit par : {m.assignee?.name ?? 'personne pour l’instant'}.</p>
            {m.canInstruct && (
              <form method="post" action={`/instruction/dossiers/${a.id}/attribution`} id="attribution-form">
                <div
                  class={`fr-select-group${err(f, 'assign', 'assigneeId') ? ' fr-select-group--error' : ''}`}
                >
                  <label class="fr-label" for="champ-assigneeId">
                    Attribuer à
                  </label>
                  <select class="fr-select" id="champ-assigneeId" name="assigneeId">
                    <option value="" selected={!m.assignee}>
                      Personne
                    </option>
                    {m.candidates.map((s) => (
                      <option value={String(s.id)} selected={m.assignee?.id === s.id}>
                        {s.name}
                        {s.id === m.viewerId ? ' (moi)' : ''}
                      </option>
                    ))}
                  </select>
                  {err(f, 'assign', 'assigneeId') && (
                    <p class="fr-error-text" id="champ-assigneeId-erreur">
                      {err(f, 'assign', 'assigneeId')}
                    </p>
                  )}
                </div>
                <button type="submit" class="fr-btn fr-btn--secondary">
                  Attribuer
                </button>
              </form>
            )}
          </section>
          <section aria-labelledby="evaluation" class="fr-mb-6w">
            <h2 id="evaluation" class="fr-h4">
              Évaluation
            </h2>
            {m.summary && (
              <p>
                Note moyenne : <strong>{score(m.summary.average)} / 5</strong> sur {m.summary.count} grille
                {m.summary.count > 1 ? 's' : ''} (écart entre évaluateurs : {score(m.summary.spread)}).
              </p>
            )}
            <ScoresTable m={m} />
            {m.canInstruct && <ScoreForm m={m} />}
          </section>
          <section aria-labelledby="notes" class="fr-mb-6w">
            <h2 id="notes" class="fr-h4">
              Notes internes
            </h2>
            <p class="fr-text--sm">Visibles de l’équipe d’instruction seulement, jamais du porteur.</p>
            {m.notes.length === 0 ? (
              <p>Aucune note.</p>
            ) : (
              <ul class="fr-raw-list">
                {m.notes.map((n) => (
                  <li class="fr-mb-2w">
                    <p class="fr-mb-0 fr-text--sm">
                      {n.authorName}, le <time datetime={n.createdAt}>{parisDateTime(n.createdAt)}</time> :
                    </p>
                    <Paragraphs text={n.body} />
                  </li>
                ))}
              </ul>
            )}
            <form method="post" action={`/instruction/dossiers/${a.id}/notes`} id="notes-form">
              <InputField
                id="champ-note-body"
                name="body"
                label="Ajouter une note"
                multiline
                rows={4}
                required
                value={val(f, 'note', 'body')}
                error={err(f, 'note', 'body')}
              />
              <button type="submit" class="fr-btn fr-btn--secondary">
                Ajouter la note
              </button>
            </form>
          </section>
          {!m.conflict && (
            <section aria-labelledby="conflit" class="fr-mb-6w">
              <h2 id="conflit" class="fr-h4">
                Conflit d’intérêts
              </h2>
              <form method="post" action={`/instruction/dossiers/${a.id}/conflit`} id="conflit-form">
                <p class="fr-text--sm">
                  Après cette déclaration, vous ne pourrez plus évaluer, attribuer ni décider ce dossier, et
                  votre grille d’évaluation, si vous en avez enregistré une, sera retirée. La déclaration ne
                  peut pas être annulée.
                </p>
                <InputField
                  id="champ-conflict-note"
                  name="note"
                  label="Précision (facultatif)"
                  multiline
                  rows={4}
                  value={val(f, 'conflict', 'note')}
                  error={err(f, 'conflict', 'note')}
                />
                <div
                  class={`fr-checkbox-group${err(f, 'conflict', 'confirm') ? ' fr-checkbox-group--error' : ''}`}
                >
                  <input type="checkbox" id="champ-confirm" name="confirm" value="1" />
                  <label class="fr-label" for="champ-confirm">
                    Je déclare un conflit d’intérêts sur ce dossier
                  </label>
                  {err(f, 'conflict', 'confirm') && (
                    <p class="fr-error-text" id="champ-confirm-erreur">
                      {err(f, 'conflict', 'confirm')}
                    </p>
                  )}
                </div>
                <button type="submit" class="fr-btn fr-btn--tertiary fr-mt-2w">
                  Déclarer un conflit d’intérêts
                </button>
              </form>
            </section>
          )}
        </div>
        <div class="fr-col-12 fr-col-lg-7">
          {/* The messages panel: wt/files' `DossierMessages` (src/features/ami/messages-panel.tsx). */}
          {m.messages}
          <DossierTimeline events={m.events} />
          <h2 class="fr-h4 fr-mt-4w">Le dossier</h2>
          <DossierSummary dossier={dossier} level={3} />
        </div>
      </div>
    </Container>
  );
}

// ————————————————————————————————————————— dashboard

export function DashboardPage({ d, regions }: { d: Dashboard; regions: string[] | null }) {
  const total = d.byStatus.reduce((s, r) => s + r.n, 0);
  const Table = ({
    caption,
    head,
    rows,
  }: {
    caption: string;
    head: string[];
    rows: Array<Array<string | number | Child>>;
  }) => (
    <TableFrame modifiers="fr-table--sm" scroll={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>{r.map((cell, i) => (i === 0 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
  return (
    <Container>
      <Breadcrumb items={[{ label: 'Instruction', href: QUEUE_PATH }, { label: 'Tableau de bord' }]} />
      <h1>Tableau de bord de l’AMI</h1>
      <p>
        {regions ? `Vos régions : ${regions.map((r) => REGIONS[r] ?? r).join(', ')}.` : 'Toutes les régions.'}{' '}
        {total} dossier{total > 1 ? 's' : ''} déposé{total > 1 ? 's' : ''}.
      </p>
      <p>
        Délai médian entre le dépôt et la décision :{' '}
        <strong>
          {d.medianDaysToDecision === null
            ? 'aucune décision pour l’instant'
            : `${d.medianDaysToDecision.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} jours`}
        </strong>
        {d.decidedCount > 0 &&
          ` (sur ${d.decidedCount} dossier${d.decidedCount > 1 ? 's' : ''} décidé${d.decidedCount > 1 ? 's' : ''})`}
        .
      </p>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <Table
            caption="Dossiers par statut"
            head={['Statut', 'Dossiers']}
            rows={d.byStatus.map((r) => [
              STATUS_LABELS[r.status],
              <a href={directoryHref(QUEUE_PATH, { status: r.status })}>{r.n}</a>,
            ])}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Table
            caption="Dossiers par région"
            head={['Région', 'Dossiers']}
            rows={d.byRegion.map((r) => [
              REGIONS[r.region] ?? r.region,
              <a href={directoryHref(QUEUE_PATH, { region: r.region })}>{r.n}</a>,
            ])}
          />
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <Table
            caption="Dossiers par vague"
            head={['Vague', 'Dossiers']}
            rows={d.byWave.map((r) => [r.name ?? 'Sans vague', r.n])}
          />
        </div>
      </div>
      <Table
        caption="Budget consommé par vague"
        head={['Vague', 'Enveloppe', 'Accordé', 'Consommé', 'Lauréats']}
        rows={d.budgets.map((b) => [
          b.name,
          euros(b.envelope),
          euros(b.granted),
          b.envelope > 0 ? `${Math.round((b.granted / b.envelope) * 100)} %` : '—',
          b.selected,
        ])}
      />
      <h2 class="fr-h4">Compléments en retard</h2>
      {d.overdue.length === 0 ? (
        <p>Aucun dossier en retard.</p>
      ) : (
        <ul>
          {d.overdue.map((o) => (
            <li>
              <a href={`/instruction/dossiers/${o.id}`}>
                {o.reference ?? `Dossier ${o.id}`} — {o.projectName || 'Sans titre'}
              </a>{' '}
              ({o.leadName}), attendus avant le {parisDateTime(o.changesDueAt)}
            </li>
          ))}
        </ul>
      )}
    </Container>
  );
}
