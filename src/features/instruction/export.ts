import type { Db } from '../../db/client.ts';
import type { AppContext, SessionUser } from '../../lib/context.ts';
import { STATUS_LABELS } from '../ami/workflow.ts';
import { departementLabel, REGIONS } from '../geo/territories.ts';
import { STAGE_LABELS } from './labels.ts';
import { type ExportRow, type QueueViewer, queueChunk } from './queue.ts';
import type { QueueFilters } from './schemas.ts';

/** Rows read per database round trip while streaming an export. */
export const EXPORT_CHUNK = 500;

/**
 * One CSV cell: formula injection neutralised (a cell starting with = + - @, or a tab/CR that
 * some spreadsheets skip before them, gets a leading apostrophe: LibreOffice and Excel show it as
 * text), then quoted when it holds the separator, a quote or a line break (RFC 4180, quotes doubled).
 * Hand-written rather than csv-stringify: these ten lines are the whole of what is needed, they run
 * unchanged on Node and Workers, and the tests parse the output back with csv-parse.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(value).replace('.', ',') : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: ReadonlyArray<string | number | null | undefined>) =>
  `${cells.map(csvCell).join(';')}\r\n`;

// One formatter for the whole export (building one per cell costs more than the query).
const PARIS_PARTS = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** `07/12/2026 14:05` in Europe/Paris (a spreadsheet reads it as a date and time). */
const parisDateTime = (iso: string | null) => {
  if (!iso) return '';
  const parts: Record<string, string> = {};
  for (const p of PARIS_PARTS.formatToParts(new Date(iso))) parts[p.type] = p.value;
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
};

export const EXPORT_COLUMNS = [
  'Référence',
  'Statut',
  'Vague',
  'Région',
  'Département',
  'Porteur',
  'SIRET du porteur',
  'Projet',
  'Stade',
  'Montant demandé (€)',
  'Montant accordé (€)',
  'Note moyenne (0-5)',
  'Nombre de grilles',
  'Instructeur',
  'Déposé le',
  'Décidé le',
] as const;

function exportCells(row: ExportRow): Array<string | number | null> {
  return [
    row.reference,
    STATUS_LABELS[row.status],
    row.waveName,
    REGIONS[row.region] ?? row.region,
    departementLabel(row.departement),
    row.leadName,
    row.leadSiret,
    row.projectName,
    row.stage ? STAGE_LABELS[row.stage] : null,
    row.amountRequested,
    row.amountGranted,
    row.scoreAverage === null ? null : Math.round(row.scoreAverage * 100) / 100,
    row.scoreCount,
    row.assigneeName,
    parisDateTime(row.submittedAt),
    parisDateTime(row.decidedAt),
  ];
}

/**
 * The filtered queue as a CSV stream (UTF-8 with BOM, `;`, CRLF: what LibreOffice and a French
 * Excel open without an import dialog). Rows are read in chunks by keyset pagination as the client
 * reads, so 10,000 dossiers never sit in memory nor hold one long query. `withNotes` adds the
 * private notes column (the explicit staff export).
 */
export function exportStream(
  db: Db,
  viewer: QueueViewer,
  filters: Partial<QueueFilters>,
  now: Date,
  withNotes: boolean,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          const header = [...EXPORT_COLUMNS, ...(withNotes ? ['Notes internes'] : [])];
          controller.enqueue(encoder.encode(`\uFEFF${csvLine(header)}`));
          return;
        }
        const rows = await queueChunk(db, viewer, filters, now, afterId, EXPORT_CHUNK, withNotes);
        if (rows.length === 0) {
          controller.close();
          return;
        }
        afterId = rows[rows.length - 1]!.id;
        let text = '';
        for (const row of rows)
          text += csvLine([...exportCells(row), ...(withNotes ? [row.notes ?? ''] : [])]);
        controller.enqueue(encoder.encode(text));
        if (rows.length < EXPORT_CHUNK) controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
}

/** The export's file name: `dossiers-ami-2026-12-07.csv`. */
export function exportFileName(now: Date, withNotes: boolean): string {
  return `dossiers-ami-${now.toISOString().slice(0, 10)}${withNotes ? '-avec-notes' : ''}.csv`;
}

/** The CSV export's response (pages and API): the filtered queue, streamed. */
export function csvResponse(
  c: AppContext,
  viewer: SessionUser,
  query: Partial<Record<string, unknown>> & { notes?: '1' | undefined },
) {
  const { notes, ...filters } = query;
  const now = c.get('deps').clock.now();
  const withNotes = notes === '1';
  return new Response(exportStream(c.get('db'), viewer, filters, now, withNotes), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${exportFileName(now, withNotes)}"`,
      'cache-control': 'private, no-store',
    },
  });
}
