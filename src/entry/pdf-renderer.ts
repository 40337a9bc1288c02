/**
 * Draws a {@link PdfDocument} with @pdfme/pdf-lib (a maintained fork of pdf-lib: pure JavaScript,
 * the same on Node and Workers). The `pdf` dependency of the Node entry and of the tests, and the
 * whole of the `ptce-hub-pdf` Worker (src/entry/pdf-worker.ts): it lives under src/entry/ so that
 * no feature can import it and pull the library into the main Worker (decision 008's boundary).
 *
 * Text uses the standard Helvetica fonts (no font file to embed): their WinAnsi encoding covers
 * French (é è à ç œ « » ’ €); any other character is written without its accent, or as « ? ».
 * See docs/decisions/021-ami-files.md.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from '@pdfme/pdf-lib';
import type { PdfRenderer } from '../lib/context.ts';
import { type PdfBlock, type PdfDocument, pdfDocumentSchema } from '../lib/pdf-document.ts';

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const BLUE = rgb(0, 0, 0.57); // « bleu France » #000091
const GREY = rgb(0.23, 0.23, 0.23);

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

type TextStyle = Extract<PdfBlock, { type: 'text' }>['style'];

const STYLES: Record<
  TextStyle,
  { size: number; bold?: boolean; color?: ReturnType<typeof rgb>; after?: number }
> = {
  overline: { size: 9, bold: true, color: BLUE, after: 10 },
  title: { size: 20, bold: true, color: BLUE },
  heading: { size: 13, bold: true, color: BLUE, after: 6 },
  body: { size: 11, after: 6 },
  small: { size: 9 },
};

/** The PDF of `document`: A4 pages, its blocks top-down, wrapped and paginated. */
export async function renderPdf(document: PdfDocument): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const createdAt = new Date(document.createdAt);
  doc.setTitle(document.title);
  if (document.subject) doc.setSubject(document.subject);
  if (document.author) doc.setAuthor(document.author);
  if (document.language) doc.setLanguage(document.language);
  doc.setProducer('ptce-hub');
  doc.setCreator('ptce-hub');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  for (const block of document.blocks) {
    if (block.type === 'text') w.text(block.text, STYLES[block.style]);
    else if (block.type === 'field') w.field(block.label, block.value);
    else if (block.type === 'item') w.text(`• ${block.text}`, { indent: 8 });
    else w.rule();
  }
  return doc.save();
}

/**
 * The in-process `pdf` dependency (Node entry, tests). It checks the document against the schema the
 * PDF Worker applies, so a document that Worker would refuse fails here too (in the tests first).
 */
export const inProcessPdf: PdfRenderer = {
  render: (document) => renderPdf(pdfDocumentSchema.parse(document)),
};
