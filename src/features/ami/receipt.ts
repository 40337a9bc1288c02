/**
 * What the PDF récépissé of a submitted dossier shows, as a plain {@link PdfDocument}: the `pdf`
 * dependency draws it (in-process on Node, the `ptce-hub-pdf` Worker on Workers), so the PDF
 * library never enters the main Worker. Dates and amounts are written here, in French and in
 * Europe/Paris time. See docs/decisions/021-ami-files.md.
 */
import type { PdfBlock, PdfDocument } from '../../lib/pdf-document.ts';
import { KIND_LABELS } from '../organisations/labels.ts';
import type { LoadedDossier } from './queries.ts';

const parisDateTime = (at: Date) => {
  const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(at);
  const time = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short', timeZone: 'Europe/Paris' }).format(at);
  return `${day} à ${time} (heure de Paris)`;
};
const euros = (amount: number | null) => (amount === null ? '—' : `${amount.toLocaleString('fr-FR')} €`);

/**
 * The récépissé of a submitted dossier (`reference` and `submittedAt` set): reference, date and
 * time of the submit in Europe/Paris, lead organisation, project, members, amount requested, wave.
 */
export function receiptDocument(dossier: LoadedDossier, generatedAt: Date): PdfDocument {
  const { application: a, lead, members, wave } = dossier;
  const reference = a.reference ?? '';
  const text = (style: Extract<PdfBlock, { type: 'text' }>['style'], value: string): PdfBlock => ({
    type: 'text',
    style,
    text: value,
  });
  const field = (label: string, value: string): PdfBlock => ({ type: 'field', label, value });
  const rule: PdfBlock = { type: 'rule' };
  return {
    title: `Récépissé de dépôt ${reference} — AMI PTCE`,
    subject: `Récépissé du dossier ${reference} déposé à l’AMI PTCE`,
    author: 'ptce-hub (DG Trésor)',
    language: 'fr-FR',
    createdAt: generatedAt.toISOString(),
    blocks: [
      text('overline', 'RÉPUBLIQUE FRANÇAISE — Direction générale du Trésor'),
      text('title', 'Récépissé de dépôt'),
      text(
        'body',
        'Appel à manifestation d’intérêt permanent « Pôles territoriaux de coopération économique » (AMI PTCE)',
      ),
      rule,
      field('Référence du dossier', reference),
      field('Déposé le', a.submittedAt ? parisDateTime(new Date(a.submittedAt)) : '—'),
      field('Vague', wave ? wave.name : '—'),
      field('Organisation porteuse', `${lead.name} (SIRET ${lead.siret}, ${lead.communeName})`),
      field('Projet', a.projectName || '—'),
      field('Montant demandé', euros(a.amountRequested)),
      rule,
      text('heading', `Membres du consortium (${members.length})`),
      ...(members.length === 0 ? [text('body', 'Aucun membre indiqué.')] : []),
      ...members.map(
        (m): PdfBlock => ({
          type: 'item',
          text: `${m.name} — ${KIND_LABELS[m.kind] ?? m.kind} — SIRET ${m.siret}${m.communeName ? ` — ${m.communeName}` : ''}`,
        }),
      ),
      rule,
      text(
        'small',
        'Ce récépissé atteste du dépôt du dossier. Il ne vaut ni décision d’éligibilité ni engagement de financement : le dossier est instruit par les services de l’État, qui vous écrivent depuis la plateforme.',
      ),
      text('small', `Document généré le ${parisDateTime(generatedAt)} par ptce-hub.`),
    ],
  };
}

/** The download name of a récépissé (`recepisse-AMI-2026-0001.pdf`). */
export const receiptFileName = (reference: string) => `recepisse-${reference}.pdf`;
