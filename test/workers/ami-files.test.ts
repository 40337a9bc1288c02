/**
 * The AMI's libraries inside workerd (no nodejs_compat): file-type's core entry reads a DOCX, an
 * XLSX and an ODT from their bytes (ZIP entries inflated with DecompressionStream), and
 * @pdfme/pdf-lib draws the récépissé (what the ptce-hub-pdf Worker runs). Fixtures are built here without Node APIs.
 */
import { PDFDocument } from '@pdfme/pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/entry/pdf-renderer.ts';
import { checkAttachment } from '../../src/features/ami/attachment-files.ts';
import type { LoadedDossier } from '../../src/features/ami/queries.ts';
import { receiptDocument } from '../../src/features/ami/receipt.ts';

const text = (value: string) => new TextEncoder().encode(value);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A ZIP of stored (uncompressed) entries. */
function zip(entries: Array<[string, string]>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = text(content);
    const fileName = text(name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint32(14, crc32(data), true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, fileName.length, true);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(4, 20, true);
    entry.setUint16(6, 20, true);
    entry.setUint32(16, crc32(data), true);
    entry.setUint32(20, data.length, true);
    entry.setUint32(24, data.length, true);
    entry.setUint16(28, fileName.length, true);
    entry.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), fileName, data);
    central.push(new Uint8Array(entry.buffer), fileName);
    offset += 30 + fileName.length + data.length;
  }
  const size = central.reduce((n, p) => n + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const types = (override: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>${override}</Types>`;

describe('AMI files in workerd', () => {
  it('reads the type of a document from its content', async () => {
    const docx = zip([
      [
        '[Content_Types].xml',
        types(
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
        ),
      ],
      ['word/document.xml', '<w:document/>'],
    ]);
    const xlsx = zip([
      [
        '[Content_Types].xml',
        types(
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
        ),
      ],
      ['xl/workbook.xml', '<workbook/>'],
    ]);
    const odt = zip([
      ['mimetype', 'application/vnd.oasis.opendocument.text'],
      ['content.xml', '<office:document-content/>'],
    ]);
    expect((await checkAttachment(docx, 'statuts')).contentType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect((await checkAttachment(xlsx, 'budget.xlsx')).name).toBe('budget.xlsx');
    expect((await checkAttachment(odt, 'g.odt')).contentType).toBe('application/vnd.oasis.opendocument.text');
    expect((await checkAttachment(text('%PDF-1.4\n%%EOF\n'), 'a.pdf')).contentType).toBe('application/pdf');
    await expect(checkAttachment(text('MZ\x90\x00'), 'a.pdf')).rejects.toThrow(/programme/);
  });

  it('draws the PDF récépissé', async () => {
    const at = '2026-11-22T10:00:00.000Z';
    const dossier = {
      application: {
        id: 1,
        reference: 'AMI-2026-0001',
        submittedAt: at,
        projectName: 'Coopération « Île » œuvre',
        amountRequested: 95_000,
      },
      lead: { name: 'Coopérative des Ateliers', siret: '12345678901234', communeName: 'Voiron' },
      members: [{ name: 'Régie de quartier', kind: 'ess', siret: '12345678901234', communeName: 'Voiron' }],
      wave: { name: 'Vague d’hiver' },
    } as unknown as LoadedDossier;
    const pdf = await renderPdf(receiptDocument(dossier, new Date(at)));
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    expect((await PDFDocument.load(pdf)).getTitle()).toBe('Récépissé de dépôt AMI-2026-0001 — AMI PTCE');
  });
});
