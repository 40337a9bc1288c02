/**
 * AMI attachments read from their bytes (runtime-agnostic): the type comes from the content —
 * `file-type`'s core entry, which reads a Uint8Array with no Node API (ZIP entries inflated with
 * the Web `DecompressionStream`), never the name nor the declared type — and the display name is
 * checked and cleaned. See docs/decisions/021-ami-files.md.
 */
import { fileTypeFromBuffer } from 'file-type/core';
import { hasUnsafeCharacters } from '../../lib/text.ts';

/** 10 Mo per file. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Dossier pieces (section « pièces jointes ») per dossier. */
export const MAX_PIECES_PER_DOSSIER = 20;
/** Files attached to a dossier's messages (one per message), all messages together. */
export const MAX_MESSAGE_FILES_PER_DOSSIER = 50;
const MAX_NAME_LENGTH = 150;

/** The accepted types, with the extension their stored key and their download name take. */
export const ATTACHMENT_TYPES = {
  'application/pdf': { extension: 'pdf', label: 'PDF' },
  'application/vnd.oasis.opendocument.text': { extension: 'odt', label: 'ODT' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extension: 'docx',
    label: 'DOCX',
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extension: 'xlsx', label: 'XLSX' },
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

/** What the upload field accepts (a hint for the browser's file picker; the server reads the content). */
export const ATTACHMENT_ACCEPT = ['.pdf', '.odt', '.docx', '.xlsx', ...Object.keys(ATTACHMENT_TYPES)].join(
  ',',
);
export const ATTACHMENT_HINT = 'PDF, ODT, DOCX ou XLSX, 10 Mo au plus par fichier';

export const ATTACHMENT_REFUSALS = {
  missing: 'Choisissez un fichier à joindre.',
  empty: 'Le fichier envoyé est vide.',
  tooLarge: 'Le fichier dépasse 10 Mo : allégez-le (PDF compressé, images réduites) ou découpez-le.',
  executable:
    'Ce fichier est un programme, pas un document : il est refusé (le type est lu dans le contenu du fichier, pas dans son nom).',
  type: 'Ce fichier n’est pas un document PDF, ODT, DOCX ou XLSX (le type est lu dans le contenu du fichier, pas dans son nom).',
  path: 'Le nom du fichier ne doit contenir ni chemin ni « / », « \\ » : renommez-le puis envoyez-le à nouveau.',
  control: 'Le nom du fichier contient des caractères invisibles ou de contrôle : renommez-le.',
} as const;

export class AttachmentRefused extends Error {
  constructor(readonly reason: keyof typeof ATTACHMENT_REFUSALS) {
    super(ATTACHMENT_REFUSALS[reason]);
  }
}

/** A file ready to store: its bytes, type (from the content) and cleaned display name. */
export interface CheckedAttachment {
  body: Uint8Array;
  contentType: AttachmentType;
  extension: (typeof ATTACHMENT_TYPES)[AttachmentType]['extension'];
  name: string;
}

/** Executable formats, named in the refusal (anything else unknown is « not a document »). */
const EXECUTABLE_TYPES = new Set([
  'application/x-msdownload',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-executable',
  'application/java-archive',
  'application/x-apple-diskimage',
  'application/wasm',
  'application/x-msi',
  'application/vnd.microsoft.portable-executable',
]);

const isAttachmentType = (mime: string | undefined): mime is AttachmentType =>
  mime !== undefined && Object.hasOwn(ATTACHMENT_TYPES, mime);

/**
 * The display name of an upload: refused when it holds a path (`/`, `\`, `.`, `..`) or control,
 * bidi or invisible characters; otherwise Windows-reserved characters become `_`, the name is
 * shortened to 150 characters, and it ends with the extension of its real type (`statuts` →
 * `statuts.pdf`; `budget.pdf` that is a spreadsheet → `budget.pdf.xlsx`). Never a storage key.
 */
export function attachmentName(raw: string, extension: string): string {
  const name = raw.normalize('NFC').trim();
  if (/[/\\]/.test(name) || name === '.' || name === '..') throw new AttachmentRefused('path');
  if (hasUnsafeCharacters(name) || /[\u200b-\u200f\u2028\u2029\ufeff]/.test(name))
    throw new AttachmentRefused('control');
  let clean = name.replace(/[<>:"|?*]/g, '_').replace(/^\.+/, '');
  const suffix = `.${extension}`;
  if (!clean.toLowerCase().endsWith(suffix)) clean = clean ? `${clean}${suffix}` : `piece-jointe${suffix}`;
  if (clean.length > MAX_NAME_LENGTH) {
    const stem = Array.from(clean.slice(0, -suffix.length))
      .slice(0, MAX_NAME_LENGTH - suffix.length)
      .join('');
    clean = `${stem.trimEnd()}${suffix}`;
  }
  return clean;
}

/** Checks an upload (bytes and the name the browser sent) and prepares it; throws {@link AttachmentRefused}. */
export async function checkAttachment(bytes: Uint8Array, rawName: string): Promise<CheckedAttachment> {
  if (bytes.length === 0) throw new AttachmentRefused('empty');
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new AttachmentRefused('tooLarge');
  // `MZ` (DOS/Windows) and ELF headers are executables whatever file-type makes of the rest.
  if ((bytes[0] === 0x4d && bytes[1] === 0x5a) || (bytes[0] === 0x7f && bytes[1] === 0x45))
    throw new AttachmentRefused('executable');
  let mime: string | undefined;
  try {
    mime = (await fileTypeFromBuffer(bytes))?.mime;
  } catch {
    mime = undefined; // an unreadable container (truncated ZIP…) is not a document we accept
  }
  if (mime && EXECUTABLE_TYPES.has(mime)) throw new AttachmentRefused('executable');
  if (!isAttachmentType(mime)) throw new AttachmentRefused('type');
  const { extension } = ATTACHMENT_TYPES[mime];
  return { body: bytes, contentType: mime, extension, name: attachmentName(rawName, extension) };
}

/**
 * `Content-Disposition: attachment` for a stored display name: an ASCII fallback (`filename`,
 * non-ASCII and quotes replaced) and the exact name in UTF-8 (`filename*`, RFC 6266 / 8187).
 */
export function attachmentDisposition(name: string): string {
  const fallback = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A size in French units (« 12 Ko », « 1,4 Mo »). */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('fr-FR')} Ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}
