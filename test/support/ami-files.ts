import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { amiApplications, amiMembers, organisations } from '../../src/db/schema.ts';
import type { AmiStatus } from '../../src/features/ami/workflow.ts';
import { createWave } from './ami.ts';
import type { TestApp } from './app.ts';
import { createOrganisation, testSiret } from './fixtures.ts';

/**
 * AMI fixtures for the attachments, messages and receipt tests: minimal valid documents built in
 * memory (PDF, and the ZIP containers ODT, DOCX, XLSX), and dossiers inserted through drizzle (the
 * dossier pages are another feature's).
 */

const text = (value: string) => new TextEncoder().encode(value);

/** A one-page PDF 1.4 with a correct cross-reference table. */
export function minimalPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return text(out);
}

/** A ZIP archive of `entries` (in order; `stored` ones uncompressed, the others deflated). */
export function zip(
  entries: Array<{ name: string; data: string | Uint8Array; stored?: boolean }>,
): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(typeof entry.data === 'string' ? text(entry.data) : entry.data);
    const body = entry.stored ? data : deflateRawSync(data);
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(data);
    const method = entry.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const CONTENT_TYPES = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${main}</Types>`;

/** A one-paragraph Word document (OOXML). */
export function minimalDocx(): Uint8Array {
  return zip([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES(
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
      ),
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    {
      name: 'word/document.xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Statuts</w:t></w:r></w:p></w:body></w:document>',
    },
  ]);
}

/** A one-cell spreadsheet (OOXML). */
export function minimalXlsx(): Uint8Array {
  return zip([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES(
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
      ),
    },
    {
      name: '_rels/.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    },
    {
      name: 'xl/workbook.xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>100000</v></c></row></sheetData></worksheet>',
    },
  ]);
}

/** An OpenDocument text: the `mimetype` entry first and stored, as the format requires. */
export function minimalOdt(mimetype = 'application/vnd.oasis.opendocument.text'): Uint8Array {
  return zip([
    { name: 'mimetype', data: mimetype, stored: true },
    {
      name: 'META-INF/manifest.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    },
    {
      name: 'content.xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text><text:p>Gouvernance</text:p></office:text></office:body></office:document-content>',
    },
  ]);
}

/** The first bytes of a Windows executable (a PE image: `MZ` … `PE\0\0`), padded to 4 KiB. */
export function fakeExecutable(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set(text('MZ'), 0);
  new DataView(bytes.buffer).setUint32(0x3c, 0x80, true);
  bytes.set(text('PE\0\0'), 0x80);
  return bytes;
}

let counter = 0;

/** A wave open on the test clock's day (2026-11-22). */
export const createOpenWave = (t: TestApp, name = `Vague ${++counter}`) => createWave(t, { name });

/**
 * A dossier of `leadOrganisationId` in `status` (submitted states get a reference, a submit time
 * and the wave), with three members (ESS, SME, collectivité). No attachment.
 */
export async function createAmiDossier(
  t: TestApp,
  options: {
    leadOrganisationId: number;
    status?: AmiStatus;
    waveId?: number | null;
    reference?: string;
    projectName?: string;
    reopenedSections?: ('budget' | 'pieces')[];
  },
) {
  const now = t.clock.now().toISOString();
  const status = options.status ?? 'draft';
  const submitted = status !== 'draft' && !(status === 'withdrawn' && !options.reference);
  const [lead] = await t.db
    .select({
      region: organisations.region,
      departement: organisations.departement,
      name: organisations.name,
    })
    .from(organisations)
    .where(eq(organisations.id, options.leadOrganisationId));
  const [row] = await t.db
    .insert(amiApplications)
    .values({
      leadOrganisationId: options.leadOrganisationId,
      region: lead!.region,
      departement: lead!.departement,
      status,
      waveId: options.waveId ?? null,
      reference: submitted ? (options.reference ?? `AMI-2026-${String(++counter).padStart(4, '0')}`) : null,
      projectName: options.projectName ?? 'Pôle coopératif du Voironnais',
      stage: 'emerging',
      strategy: 'Mutualiser un atelier.',
      activities: 'Réemploi, formation.',
      governance: 'Une SCIC.',
      innovation: 'Une plateforme.',
      territory: { communeCodes: ['38563'], departements: ['38'], qpv: false, rural: true },
      jobsCurrent: 4,
      jobsPlanned: 12,
      budgetTotal: 250_000,
      amountRequested: 95_000,
      cofunding: [{ funder: 'Région', amount: 50_000 }],
      selfFinancingShare: 30,
      stateAidReceived: 0,
      previouslyFunded: false,
      reopenedSections: options.reopenedSections ?? [],
      changesDueAt: status === 'changes_requested' ? '2026-12-07T10:00:00.000Z' : null,
      searchText: `${options.projectName ?? 'pole cooperatif du voironnais'} ${lead!.name}`.toLowerCase(),
      createdAt: now,
      updatedAt: now,
      submittedAt: submitted ? now : null,
    })
    .returning();
  const kinds = ['ess', 'sme', 'local_authority'] as const;
  await t.db.insert(amiMembers).values(
    kinds.map((kind, position) => ({
      applicationId: row!.id,
      position,
      siret: testSiret(),
      name: `Membre ${kind} ${position + 1}`,
      kind,
      communeCode: '38563',
      role: 'founding' as const,
    })),
  );
  return row!;
}

/** A lead organisation at Voiron (région 84) owned by `owner`. */
export const createLead = (t: TestApp, owner: { id: number }, name = `Porteur ${++counter}`) =>
  createOrganisation(t, { owner, name, kind: 'ess' });

/**
 * The text a PDF drawn by pdf-lib shows: its content streams inflated, the hex strings of its `Tj`
 * operators decoded from WinAnsi (enough for the récépissé; not a general PDF text extractor).
 */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const { PDFDocument, PDFRawStream, PDFArray, PDFRef } = await import('@pdfme/pdf-lib');
  const { inflateSync } = await import('node:zlib');
  const doc = await PDFDocument.load(bytes);
  const WIN_ANSI: Record<number, string> = {
    128: '€',
    146: '’',
    156: 'œ',
    140: 'Œ',
    149: '•',
    151: '—',
    150: '–',
  };
  const lines: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    for (const ref of refs) {
      const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
      if (!(stream instanceof PDFRawStream)) continue;
      const raw = Buffer.from(stream.contents);
      const content = (() => {
        try {
          return inflateSync(raw).toString('latin1');
        } catch {
          return raw.toString('latin1');
        }
      })();
      for (const [, hex] of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g))
        lines.push(
          Array.from(Buffer.from(hex!, 'hex'), (b) => WIN_ANSI[b] ?? String.fromCharCode(b)).join(''),
        );
    }
  }
  return lines.join('\n');
}

/** A multipart body of these fields (files as given). */
export function multipart(fields: Record<string, File | string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

/** The files stored under a storage folder (none if it does not exist). */
export function storedFilesIn(folder: string): string[] {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
