/**
 * The PDF récépissé of a submitted dossier, drawn with @pdfme/pdf-lib (a maintained fork of
 * pdf-lib: pure JavaScript, the same on Node and Workers). Loaded lazily by its routes
 * (`import('./receipt-pdf.ts')`), so the library is evaluated on the first receipt, not at start-up.
 *
 * Text uses the standard Helvetica fonts (no font file to embed): their WinAnsi encoding covers
 * French (é è à ç œ « » ’ €); any other character is written without its accent, or as « ? ».
 * See docs/decisions/021-ami-files.md.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from '@pdfme/pdf-lib';
import { KIND_LABELS } from '../organisations/labels.ts';
import type { LoadedDossier } from './queries.ts';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const BLUE = rgb(0, 0, 0.57); // « bleu France » #000091
const GREY = rgb(0.23, 0.23, 0.23);

const parisDateTime = (iso: string) => {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(at);
  const time = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short', timeZone: 'Europe/Paris' }).format(at);
  return `${day} à ${time} (heure de Paris)`;
};
const euros = (amount: number | null) => (amount === null ? '—' : `${amount.toLocaleString('fr-FR')} €`);

/** Writes lines top-down with wrapping, adding pages as needed. */
class Writer {
  private page: PDFPage;
  private y: number;
  private readonly encodable: Set<number>;

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.encodable = new Set(regular.getCharacterSet());
    this.page = doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  /** Text the standard fonts can draw: narrow spaces become spaces, accents dropped where unknown. */
  clean(text: string): string {
    let out = '';
    for (const ch of text.replace(/[\u202f\u2009\u00a0]/g, ' ').replace(/[\r\t]/g, ' ')) {
      if (ch === '\n' || this.encodable.has(ch.codePointAt(0)!)) out += ch;
      else {
        const bare = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        out += [...bare].every((c) => this.encodable.has(c.codePointAt(0)!)) ? bare : '?';
      }
    }
    return out;
  }

  private ensure(height: number) {
    if (this.y - height >= MARGIN) return;
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  /** The words of `text` in lines no wider than `width` (a word too long is cut). */
  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/ +/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        let rest = word;
        while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
          let cut = rest.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  }

  text(
    text: string,
    options: {
      size?: number;
      bold?: boolean;
      color?: ReturnType<typeof rgb>;
      indent?: number;
      after?: number;
    } = {},
  ) {
    const size = options.size ?? 11;
    const font = options.bold ? this.bold : this.regular;
    const indent = options.indent ?? 0;
    const leading = size * 1.35;
    for (const line of this.wrap(this.clean(text), font, size, A4.width - 2 * MARGIN - indent)) {
      this.ensure(leading);
      this.y -= leading;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: options.color ?? GREY });
    }
    this.y -= options.after ?? 4;
  }

  /** A label and its value on one block (« Référence : AMI-2026-0001 »). */
  field(label: string, value: string) {
    this.text(`${label} : ${value}`, { after: 6 });
  }

  rule() {
    this.ensure(16);
    this.y -= 8;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4.width - MARGIN, y: this.y },
      thickness: 0.5,
      color: BLUE,
    });
    this.y -= 8;
  }
}

/**
 * The récépissé of a submitted dossier (`reference` and `submittedAt` set): reference, date and
 * time of the submit in Europe/Paris, lead organisation, project, members, amount requested, wave.
 */
export async function buildReceiptPdf(dossier: LoadedDossier, generatedAt: Date): Promise<Uint8Array> {
  const { application: a, lead, members, wave } = dossier;
  const reference = a.reference ?? '';
  const doc = await PDFDocument.create();
  doc.setTitle(`Récépissé de dépôt ${reference} — AMI PTCE`);
  doc.setAuthor('ptce-hub (DG Trésor)');
  doc.setSubject(`Récépissé du dossier ${reference} déposé à l’AMI PTCE`);
  doc.setLanguage('fr-FR');
  doc.setProducer('ptce-hub');
  doc.setCreator('ptce-hub');
  doc.setCreationDate(generatedAt);
  doc.setModificationDate(generatedAt);
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );

  w.text('RÉPUBLIQUE FRANÇAISE — Direction générale du Trésor', {
    size: 9,
    bold: true,
    color: BLUE,
    after: 10,
  });
  w.text('Récépissé de dépôt', { size: 20, bold: true, color: BLUE });
  w.text(
    'Appel à manifestation d’intérêt permanent « Pôles territoriaux de coopération économique » (AMI PTCE)',
    { size: 11, after: 8 },
  );
  w.rule();
  w.field('Référence du dossier', reference);
  w.field('Déposé le', a.submittedAt ? parisDateTime(a.submittedAt) : '—');
  w.field('Vague', wave ? wave.name : '—');
  w.field('Organisation porteuse', `${lead.name} (SIRET ${lead.siret}, ${lead.communeName})`);
  w.field('Projet', a.projectName || '—');
  w.field('Montant demandé', euros(a.amountRequested));
  w.rule();
  w.text(`Membres du consortium (${members.length})`, { size: 13, bold: true, color: BLUE, after: 6 });
  if (members.length === 0) w.text('Aucun membre indiqué.');
  for (const m of members)
    w.text(
      `• ${m.name} — ${KIND_LABELS[m.kind] ?? m.kind} — SIRET ${m.siret}${m.communeName ? ` — ${m.communeName}` : ''}`,
      {
        indent: 8,
      },
    );
  w.rule();
  w.text(
    'Ce récépissé atteste du dépôt du dossier. Il ne vaut ni décision d’éligibilité ni engagement de financement : le dossier est instruit par les services de l’État, qui vous écrivent depuis la plateforme.',
    { size: 9 },
  );
  w.text(`Document généré le ${parisDateTime(generatedAt.toISOString())} par ptce-hub.`, { size: 9 });
  return doc.save();
}

/** The download name of a récépissé (`recepisse-AMI-2026-0001.pdf`). */
export const receiptFileName = (reference: string) => `recepisse-${reference}.pdf`;
