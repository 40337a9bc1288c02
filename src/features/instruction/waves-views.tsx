import { Alert, Breadcrumb, Container, TableFrame } from '../../lib/dsfr.tsx';
import type { FieldErrors } from '../../lib/errors.ts';
import { type FormValues, formText } from '../../lib/form.ts';
import { ErrorSummary, InputField } from '../../lib/forms.tsx';
import { euros } from '../ami/transitions.ts';
import { type AmiStatus, STATUS_LABELS } from '../ami/workflow.ts';
import { REGIONS } from '../geo/territories.ts';
import type { WaitingEntry, WaveSummary } from './waves.ts';

const frenchDay = (d: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

const CRUMB = { label: 'Instruction', href: '/instruction' };
const WAVES_CRUMB = { label: 'Vagues', href: '/instruction/vagues' };

export const WAVE_MESSAGES: Record<string, string> = {
  cree: 'Vague créée.',
  modifie: 'Vague modifiée.',
  retenu: 'Dossier retenu : le porteur est informé par courriel.',
  rejete: 'Dossier non retenu : le porteur est informé par courriel, avec le motif.',
};

function Table({ caption, head, children }: { caption: string; head: string[]; children: unknown }) {
  return (
    <TableFrame scroll>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableFrame>
  );
}

export function WavesPage({
  waves,
  canManage,
  message,
}: {
  waves: WaveSummary[];
  canManage: boolean;
  message?: string | undefined;
}) {
  return (
    <Container>
      <Breadcrumb items={[CRUMB, { label: 'Vagues' }]} />
      <h1>Vagues de l’AMI</h1>
      {message && (
        <Alert type="success" small>
          {message}
        </Alert>
      )}
      {canManage && (
        <p>
          <a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="/instruction/vagues/nouvelle">
            Créer une vague
          </a>
        </p>
      )}
      {waves.length === 0 ? (
        <p>Aucune vague pour le moment.</p>
      ) : (
        <Table
          caption={`Vagues (${waves.length})`}
          head={['Vague', 'Dates', 'Enveloppe', 'Accordé', 'Restant', 'Lauréats', 'Dossiers']}
        >
          {waves.map((w) => (
            <tr>
              <td>
                <a href={`/instruction/vagues/${w.id}`}>{w.name}</a>
                {w.open && (
                  <>
                    {' '}
                    <span class="fr-badge fr-badge--sm fr-badge--success">Ouverte</span>
                  </>
                )}
              </td>
              <td>
                du {frenchDay(w.opensOn)} au {frenchDay(w.closesOn)}
              </td>
              <td>{euros(w.envelope)}</td>
              <td>{euros(w.granted)}</td>
              <td>{euros(w.remaining)}</td>
              <td>{w.selectedCount}</td>
              <td>{w.dossierCount}</td>
            </tr>
          ))}
        </Table>
      )}
    </Container>
  );
}

export function WaveFormPage({
  wave,
  values = {},
  errors = {},
}: {
  /** Editing this wave (else creating). */
  wave?: { id: number; name: string } | undefined;
  values?: FormValues;
  errors?: FieldErrors;
}) {
  const title = wave ? `Modifier la vague « ${wave.name} »` : 'Créer une vague';
  return (
    <Container narrow>
      <Breadcrumb
        items={[
          CRUMB,
          WAVES_CRUMB,
          ...(wave ? [{ label: wave.name, href: `/instruction/vagues/${wave.id}` }] : []),
          { label: wave ? 'Modifier' : 'Nouvelle vague' },
        ]}
      />
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <form method="post" action={wave ? `/instruction/vagues/${wave.id}/modifier` : '/instruction/vagues'}>
        <InputField
          name="name"
          label="Nom de la vague"
          required
          maxlength={120}
          value={formText(values, 'name')}
          error={errors.name}
        />
        <InputField
          name="opensAt"
          type="date"
          label="Date d’ouverture"
          hint="Premier jour de dépôt (heure de Paris). Les vagues ne se chevauchent pas."
          required
          value={formText(values, 'opensAt')}
          error={errors.opensAt}
        />
        <InputField
          name="closesAt"
          type="date"
          label="Date de clôture"
          hint="Dernier jour de dépôt, inclus."
          required
          value={formText(values, 'closesAt')}
          error={errors.closesAt}
        />
        <InputField
          name="envelope"
          label="Enveloppe de la vague, en euros"
          hint="Par exemple : 1 500 000"
          required
          value={formText(values, 'envelope')}
          error={errors.envelope}
        />
        <InputField
          name="ceiling"
          label="Plafond par dossier, en euros"
          hint="Par exemple : 100 000"
          required
          value={formText(values, 'ceiling')}
          error={errors.ceiling}
        />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              {wave ? 'Enregistrer' : 'Créer la vague'}
            </button>
          </li>
          <li>
            <a
              class="fr-btn fr-btn--secondary"
              href={wave ? `/instruction/vagues/${wave.id}` : '/instruction/vagues'}
            >
              Annuler
            </a>
          </li>
        </ul>
      </form>
    </Container>
  );
}

/** A decision form that failed: re-shown on its row with its values and messages. */
export interface DecisionFailure {
  applicationId: number;
  action: 'select' | 'reject';
  values: FormValues;
  errors: FieldErrors;
}

function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  return error ? (
    <p class="fr-error-text" id={id}>
      {error}
    </p>
  ) : null;
}

function DecisionForms({
  wave,
  entry,
  failure,
}: {
  wave: WaveSummary;
  entry: WaitingEntry;
  failure?: DecisionFailure | undefined;
}) {
  const mine = failure?.applicationId === entry.id ? failure : undefined;
  const selectErrors = mine?.action === 'select' ? mine.errors : {};
  const rejectErrors = mine?.action === 'reject' ? mine.errors : {};
  const amountError = selectErrors.amountGranted ?? selectErrors.version ?? selectErrors.to;
  const reasonError = rejectErrors.reason ?? rejectErrors.version ?? rejectErrors.to;
  const defaultAmount = Math.min(
    entry.amountRequested ?? wave.ceiling,
    wave.ceiling,
    Math.max(wave.remaining, 0),
  );
  const label = entry.reference ?? entry.projectName;
  if (entry.conflict) return <p class="fr-text--sm">Conflit d’intérêts : vous ne pouvez pas décider.</p>;
  return (
    <>
      <form
        method="post"
        action={`/instruction/vagues/${wave.id}/dossiers/${entry.id}/retenir`}
        class="fr-mb-2w"
      >
        <input type="hidden" name="version" value={String(entry.version)} />
        <div class={`fr-input-group${amountError ? ' fr-input-group--error' : ''}`}>
          <label class="fr-label" for={`montant-${entry.id}`}>
            Montant accordé, en euros
            <span class="fr-sr-only"> au dossier {label}</span>
          </label>
          <input
            class={`fr-input${amountError ? ' fr-input--error' : ''}`}
            id={`montant-${entry.id}`}
            name="amountGranted"
            inputmode="numeric"
            required
            value={mine?.action === 'select' ? formText(mine.values, 'amountGranted') : String(defaultAmount)}
            aria-invalid={amountError ? 'true' : undefined}
            aria-describedby={amountError ? `montant-${entry.id}-erreur` : undefined}
          />
          <FieldError id={`montant-${entry.id}-erreur`} error={amountError} />
        </div>
        <button type="submit" class="fr-btn fr-btn--sm fr-icon-award-line fr-btn--icon-left">
          Retenir<span class="fr-sr-only"> le dossier {label}</span>
        </button>
      </form>
      <form method="post" action={`/instruction/vagues/${wave.id}/dossiers/${entry.id}/rejeter`}>
        <input type="hidden" name="version" value={String(entry.version)} />
        <div class={`fr-input-group${reasonError ? ' fr-input-group--error' : ''}`}>
          <label class="fr-label" for={`motif-${entry.id}`}>
            Motif du refus
            <span class="fr-sr-only"> du dossier {label}</span>
            <span class="fr-hint-text">Envoyé au porteur.</span>
          </label>
          <input
            class={`fr-input${reasonError ? ' fr-input--error' : ''}`}
            id={`motif-${entry.id}`}
            name="reason"
            required
            maxlength={2000}
            value={mine?.action === 'reject' ? formText(mine.values, 'reason') : ''}
            aria-invalid={reasonError ? 'true' : undefined}
            aria-describedby={reasonError ? `motif-${entry.id}-erreur` : undefined}
          />
          <FieldError id={`motif-${entry.id}-erreur`} error={reasonError} />
        </div>
        <button
          type="submit"
          class="fr-btn fr-btn--sm fr-btn--secondary fr-icon-close-line fr-btn--icon-left"
        >
          Ne pas retenir<span class="fr-sr-only"> le dossier {label}</span>
        </button>
      </form>
    </>
  );
}

const score = (e: WaitingEntry) =>
  e.averageScore === null
    ? 'Non évalué'
    : `${e.averageScore.toLocaleString('fr-FR', { maximumFractionDigits: 2 })} / 5 (${e.scoreCount} grille${e.scoreCount > 1 ? 's' : ''})`;

export function WavePage({
  wave,
  counts,
  waiting,
  canDecide,
  message,
  failure,
}: {
  wave: WaveSummary;
  counts: Record<AmiStatus, number>;
  waiting: WaitingEntry[];
  canDecide: boolean;
  message?: string | undefined;
  failure?: DecisionFailure | undefined;
}) {
  const used = wave.envelope > 0 ? Math.min(100, Math.round((wave.granted / wave.envelope) * 100)) : 0;
  return (
    <Container>
      <Breadcrumb items={[CRUMB, WAVES_CRUMB, { label: wave.name }]} />
      <h1>Vague « {wave.name} »</h1>
      {message && (
        <Alert type="success" small>
          {message}
        </Alert>
      )}
      {failure && (
        <Alert type="error" small>
          La décision n’a pas été enregistrée : voir le message sur la ligne du dossier.
        </Alert>
      )}
      <p>
        Dépôts du {frenchDay(wave.opensOn)} au {frenchDay(wave.closesOn)}
        {wave.open ? ' (ouverte)' : ''}. Plafond par dossier : {euros(wave.ceiling)}.
        {canDecide && (
          <>
            {' '}
            <a href={`/instruction/vagues/${wave.id}/modifier`}>Modifier la vague</a>
          </>
        )}
      </p>
      <h2>Budget</h2>
      <dl class="app-figures fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <dt>Enveloppe</dt>
          <dd class="fr-h4">{euros(wave.envelope)}</dd>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <dt>
            Accordé ({wave.selectedCount} lauréat{wave.selectedCount > 1 ? 's' : ''})
          </dt>
          <dd class="fr-h4">{euros(wave.granted)}</dd>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <dt>Restant</dt>
          <dd class="fr-h4">{euros(wave.remaining)}</dd>
        </div>
      </dl>
      <p class="fr-text--sm">{used} % de l’enveloppe consommée.</p>
      <h2>Dossiers par état</h2>
      <ul class="fr-tags-group">
        {(Object.keys(counts) as AmiStatus[])
          .filter((s) => s !== 'draft')
          .map((s) => (
            <li>
              <p class="fr-tag">
                {STATUS_LABELS[s]} : {counts[s]}
              </p>
            </li>
          ))}
      </ul>
      <h2>Liste d’attente</h2>
      <p>Dossiers éligibles de la vague, classés par note moyenne (les non évalués en dernier).</p>
      {waiting.length === 0 ? (
        <p>Aucun dossier éligible en attente de décision.</p>
      ) : (
        <Table
          caption={`Dossiers éligibles (${waiting.length})`}
          head={[
            'Rang',
            'Dossier',
            'Région',
            'Montant demandé',
            'Note moyenne',
            ...(canDecide ? ['Décision'] : []),
          ]}
        >
          {waiting.map((e, i) => (
            <tr>
              <td>{i + 1}</td>
              <td>
                <a href={`/instruction/dossiers/${e.id}`}>{e.reference ?? `Dossier ${e.id}`}</a>
                <br />
                {e.projectName || 'Projet sans nom'} — {e.leadName}
              </td>
              <td>{REGIONS[e.region] ?? e.region}</td>
              <td>{e.amountRequested === null ? '—' : euros(e.amountRequested)}</td>
              <td>{score(e)}</td>
              {canDecide && (
                <td>
                  <DecisionForms wave={wave} entry={e} failure={failure} />
                </td>
              )}
            </tr>
          ))}
        </Table>
      )}
    </Container>
  );
}
