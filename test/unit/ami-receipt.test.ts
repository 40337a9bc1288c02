/**
 * What the récépissé shows (a plain PdfDocument, drawn elsewhere) and its contract with the PDF
 * Worker: the largest dossier the AMI accepts gives a document that Worker's schema accepts.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MEMBERS } from '../../src/features/ami/dossier.ts';
import type { LoadedDossier } from '../../src/features/ami/queries.ts';
import { receiptDocument, receiptFileName } from '../../src/features/ami/receipt.ts';
import { pdfDocumentSchema } from '../../src/lib/pdf-document.ts';

const long = (n: number) => 'É'.repeat(n);

const dossier = (members: number) =>
  ({
    application: {
      reference: 'AMI-2026-0042',
      submittedAt: '2026-07-01T08:30:00.000Z',
      projectName: long(200),
      amountRequested: 95_000,
    },
    lead: { name: long(200), siret: '12345678901234', communeName: 'Voiron' },
    members: Array.from({ length: members }, (_, i) => ({
      name: `${long(190)} ${i}`,
      kind: 'ess',
      siret: '12345678901234',
      communeName: i % 2 ? null : 'Saint-Rémy-de-Provence',
    })),
    wave: { name: 'Vague d’été' },
  }) as unknown as LoadedDossier;

describe('receiptDocument', () => {
  it('writes the submit in Paris time, the amount in euros, a line per member', () => {
    const doc = receiptDocument(dossier(3), new Date('2026-11-22T10:00:00Z'));
    expect(doc.title).toBe('Récépissé de dépôt AMI-2026-0042 — AMI PTCE');
    expect(doc.createdAt).toBe('2026-11-22T10:00:00.000Z');
    expect(doc.blocks).toContainEqual({
      type: 'field',
      label: 'Déposé le',
      value: '1 juillet 2026 à 10:30 (heure de Paris)',
    });
    expect(doc.blocks).toContainEqual({ type: 'field', label: 'Montant demandé', value: '95\u202f000 €' });
    expect(doc.blocks.filter((b) => b.type === 'item')).toHaveLength(3);
    expect(receiptFileName('AMI-2026-0042')).toBe('recepisse-AMI-2026-0042.pdf');
  });

  it('stays within what the PDF Worker accepts for the largest dossier', () => {
    const doc = receiptDocument(dossier(MAX_MEMBERS), new Date('2026-11-22T10:00:00Z'));
    expect(pdfDocumentSchema.safeParse(JSON.parse(JSON.stringify(doc))).success).toBe(true);
  });
});
