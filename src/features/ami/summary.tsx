import { Paragraphs } from '../../lib/directory/views.tsx';
import { TableFrame } from '../../lib/dsfr.tsx';
import { KIND_LABELS, LEGAL_FORM_LABELS } from '../organisations/labels.ts';
import type { AmiEventRow, LoadedDossier } from './queries.ts';
import { euros } from './transitions.ts';
import { SECTION_LABELS, STATUS_LABELS } from './workflow.ts';

export const MEMBER_ROLE_LABELS = {
  founding: 'Membre fondateur',
  partner: 'Partenaire',
  associate: 'Associé',
} as const;
export const STAGE_LABELS = { emerging: 'Émergent', consolidating: 'En consolidation' } as const;

export const parisDateTime = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));

const orDash = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? '—' : String(value);

/** A long text with its paragraphs and line breaks, or a dash. */
function LongText({ text }: { text: string }) {
  return text.trim() ? <Paragraphs text={text} /> : <p>—</p>;
}

/**
 * The whole dossier, read-only, section by section (headings at `level`): the applicant's view
 * once submitted, the staff's view, and the summary of the receipt page. Escaped by hono/jsx.
 */
export function DossierSummary({ dossier, level = 2 }: { dossier: LoadedDossier; level?: 2 | 3 }) {
  const { application: a, lead, members, attachments, territoryCommunes } = dossier;
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <div class="ami-summary">
      <section aria-labelledby="resume-porteur">
        <H id="resume-porteur" class="fr-h4">
          {SECTION_LABELS.porteur}
        </H>
        <dl>
          <dt>Organisation</dt>
          <dd>
            <a href={`/organisations/${lead.id}`}>{lead.name}</a>
          </dd>
          <dt>SIRET</dt>
          <dd>{lead.siret}</dd>
          <dt>Forme juridique</dt>
          <dd>{LEGAL_FORM_LABELS[lead.legalForm as keyof typeof LEGAL_FORM_LABELS] ?? lead.legalForm}</dd>
          <dt>Type</dt>
          <dd>{KIND_LABELS[lead.kind as keyof typeof KIND_LABELS] ?? lead.kind}</dd>
          <dt>Commune</dt>
          <dd>
            {lead.communeName} ({lead.departement})
          </dd>
        </dl>
      </section>
      <section aria-labelledby="resume-membres">
        <H id="resume-membres" class="fr-h4">
          {SECTION_LABELS.membres} ({members.length})
        </H>
        {members.length === 0 ? (
          <p>Aucun membre indiqué.</p>
        ) : (
          // Scrolls sideways on a phone: focusable, so it scrolls from the keyboard too (RGAA, axe).
          <TableFrame modifiers="fr-table--no-caption" scroll="Membres du consortium">
            <table>
              <caption>Membres du consortium</caption>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">SIRET</th>
                  <th scope="col">Type</th>
                  <th scope="col">Commune</th>
                  <th scope="col">Rôle</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr>
                    <td>
                      {m.organisationId ? (
                        <a href={`/organisations/${m.organisationId}`}>{m.name}</a>
                      ) : (
                        m.name
                      )}
                    </td>
                    <td>{m.siret}</td>
                    <td>{KIND_LABELS[m.kind]}</td>
                    <td>{m.communeName ?? m.communeCode}</td>
                    <td>{MEMBER_ROLE_LABELS[m.role]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        )}
      </section>
      <section aria-labelledby="resume-territoire">
        <H id="resume-territoire" class="fr-h4">
          {SECTION_LABELS.territoire}
        </H>
        <dl>
          <dt>Communes</dt>
          <dd>
            {territoryCommunes.length
              ? territoryCommunes.map((c) => `${c.name} (${c.code})`).join(', ')
              : '—'}
          </dd>
          <dt>Départements</dt>
          <dd>{a.territory.departements.length ? a.territory.departements.join(', ') : '—'}</dd>
          <dt>Quartiers prioritaires (QPV)</dt>
          <dd>{a.territory.qpv ? 'Oui' : 'Non'}</dd>
          <dt>Territoire rural</dt>
          <dd>{a.territory.rural ? 'Oui' : 'Non'}</dd>
        </dl>
      </section>
      <section aria-labelledby="resume-projet">
        <H id="resume-projet" class="fr-h4">
          {SECTION_LABELS.projet}
        </H>
        <dl>
          <dt>Nom du projet</dt>
          <dd>{orDash(a.projectName)}</dd>
          <dt>Stade</dt>
          <dd>{a.stage ? STAGE_LABELS[a.stage] : '—'}</dd>
          <dt>Stratégie de coopération et de mutualisation</dt>
          <dd>
            <LongText text={a.strategy} />
          </dd>
          <dt>Activités</dt>
          <dd>
            <LongText text={a.activities} />
          </dd>
          <dt>Gouvernance</dt>
          <dd>
            <LongText text={a.governance} />
          </dd>
          <dt>Innovation</dt>
          <dd>
            <LongText text={a.innovation} />
          </dd>
        </dl>
      </section>
      <section aria-labelledby="resume-emplois">
        <H id="resume-emplois" class="fr-h4">
          {SECTION_LABELS.emplois}
        </H>
        <dl>
          <dt>Emplois actuels</dt>
          <dd>{orDash(a.jobsCurrent)}</dd>
          <dt>Emplois prévus à 3 ans</dt>
          <dd>{orDash(a.jobsPlanned)}</dd>
        </dl>
      </section>
      <section aria-labelledby="resume-budget">
        <H id="resume-budget" class="fr-h4">
          {SECTION_LABELS.budget}
        </H>
        <dl>
          <dt>Budget total</dt>
          <dd>{a.budgetTotal === null ? '—' : euros(a.budgetTotal)}</dd>
          <dt>Montant demandé</dt>
          <dd>{a.amountRequested === null ? '—' : euros(a.amountRequested)}</dd>
          <dt>Cofinancements</dt>
          <dd>
            {a.cofunding.length === 0 ? (
              '—'
            ) : (
              <ul>
                {a.cofunding.map((line) => (
                  <li>
                    {line.funder} : {euros(line.amount)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Part d’autofinancement à 3 ans</dt>
          <dd>{a.selfFinancingShare === null ? '—' : `${a.selfFinancingShare.toLocaleString('fr-FR')} %`}</dd>
          <dt>Aide de l’État déjà reçue</dt>
          <dd>{a.stateAidReceived === null ? '—' : euros(a.stateAidReceived)}</dd>
          <dt>Déjà financé par un précédent appel PTCE</dt>
          <dd>{a.previouslyFunded === null ? '—' : a.previouslyFunded ? 'Oui' : 'Non'}</dd>
          {a.amountGranted !== null && (
            <>
              <dt>Montant accordé</dt>
              <dd>{euros(a.amountGranted)}</dd>
            </>
          )}
        </dl>
      </section>
      <section aria-labelledby="resume-pieces">
        <H id="resume-pieces" class="fr-h4">
          {SECTION_LABELS.pieces}
        </H>
        {attachments.length === 0 ? (
          <p>Aucune pièce jointe.</p>
        ) : (
          <ul>
            {attachments.map((f) => (
              <li>
                <a href={`/ami/dossiers/${a.id}/pieces/${f.id}`} download={f.name}>
                  {f.name}
                </a>{' '}
                <span class="fr-hint-text">
                  ({Math.max(1, Math.round(f.size / 1024)).toLocaleString('fr-FR')} Ko)
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The audit trail as a list, oldest first; the caller passes public events only to the applicant. */
export function DossierTimeline({
  events,
  headingLevel = 2,
}: {
  events: readonly AmiEventRow[];
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby="historique">
      <H id="historique" class="fr-h4">
        Historique
      </H>
      {events.length === 0 ? (
        <p>Aucun changement d’état pour l’instant.</p>
      ) : (
        <ol class="ami-timeline">
          {events.map((e) => (
            <li>
              <p class="fr-mb-0">
                <time datetime={e.at}>{parisDateTime(e.at)}</time> —{' '}
                {e.fromStatus === e.toStatus ? (
                  // A step without a state change (an assignment, instruction/tools.ts): its reason says it.
                  <strong>{e.reason ?? STATUS_LABELS[e.toStatus]}</strong>
                ) : (
                  <>
                    {STATUS_LABELS[e.fromStatus]} → <strong>{STATUS_LABELS[e.toStatus]}</strong>
                  </>
                )}{' '}
                ({e.actorName})
                {e.visibility === 'private' && <span class="fr-badge fr-badge--sm fr-ml-1w">Interne</span>}
              </p>
              {e.reason && e.fromStatus !== e.toStatus && (
                <div class="fr-mb-1w">
                  <p class="fr-mb-0">Motif :</p>
                  <Paragraphs text={e.reason} />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
