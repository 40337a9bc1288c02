/**
 * Uploaded images, read from their bytes (pure, runtime-agnostic): the type from the signature, the
 * dimensions from the header, and JPEGs rewritten without their location metadata.
 *
 * Hand-written rather than `file-type`: three signatures are a few lines, and the dimensions and
 * the JPEG segment walk need a parser of these formats anyway (file-type gives neither); no
 * dependency to keep compatible with both Node and Workers. See docs/decisions/017-file-storage.md.
 */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** 5 Mo per image. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** A side beyond this is refused (a small file may claim huge dimensions). */
const MAX_SIDE = 16_384;

export const IMAGE_REFUSALS = {
  missing: 'Choisissez une image à envoyer.',
  empty: 'Le fichier envoyé est vide.',
  tooLarge: 'L’image dépasse 5 Mo : choisissez une image plus légère.',
  svg: 'Les images SVG ne sont pas acceptées : envoyez une image JPEG, PNG ou WebP.',
  type: 'Ce fichier n’est pas une image JPEG, PNG ou WebP (le type est lu dans le contenu du fichier, pas dans son nom).',
  unreadable: 'Cette image est illisible ou endommagée : ses dimensions n’ont pas pu être lues.',
  dimensions: 'Cette image est trop grande : 16 384 pixels de côté au plus.',
} as const;

/** An image ready to store: its bytes (JPEG: without location metadata), type and dimensions. */
export interface CheckedImage {
  body: Uint8Array;
  contentType: ImageType;
  width: number;
  height: number;
}

export class ImageRefused extends Error {
  constructor(readonly reason: keyof typeof IMAGE_REFUSALS) {
    super(IMAGE_REFUSALS[reason]);
  }
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
  signature.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));
const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u32be = (b: Uint8Array, i: number) => u16be(b, i) * 65536 + u16be(b, i + 2);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | ((b[i + 2] ?? 0) << 16);

/** The image type from its first bytes (never the name or the declared type), or undefined. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  return undefined;
}

/** Checks an upload and prepares it for storage; throws {@link ImageRefused}. */
export function checkImage(bytes: Uint8Array): CheckedImage {
  if (bytes.length === 0) throw new ImageRefused('empty');
  if (bytes.length > MAX_IMAGE_BYTES) throw new ImageRefused('tooLarge');
  const type = sniffImageType(bytes);
  if (!type) {
    const head = new TextDecoder().decode(bytes.subarray(0, 1024)).toLowerCase();
    throw new ImageRefused(/<svg|<\?xml/.test(head) ? 'svg' : 'type');
  }
  const image =
    type === 'image/jpeg' ? cleanJpeg(bytes) : type === 'image/png' ? readPng(bytes) : readWebp(bytes);
  if (!image) throw new ImageRefused('unreadable');
  const { width, height } = image;
  if (!(width >= 1 && height >= 1)) throw new ImageRefused('unreadable');
  if (width > MAX_SIDE || height > MAX_SIDE) throw new ImageRefused('dimensions');
  return { body: image.body, contentType: type, width, height };
}

// ————————————————————————————————————————— PNG

/** Dimensions from IHDR; `eXIf` chunks (which may hold GPS coordinates) are dropped. */
function readPng(bytes: Uint8Array): { body: Uint8Array; width: number; height: number } | undefined {
  if (ascii(bytes, 12, 4) !== 'IHDR') return undefined;
  const width = u32be(bytes, 16);
  const height = u32be(bytes, 20);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let dropped = false;
  let i = 8;
  while (i + 12 <= bytes.length) {
    const length = u32be(bytes, i);
    const end = i + 12 + length;
    if (end > bytes.length) return undefined;
    const type = ascii(bytes, i + 4, 4);
    if (type === 'eXIf') dropped = true;
    else kept.push(bytes.subarray(i, end));
    i = end;
    if (type === 'IEND') break;
  }
  return { body: dropped ? concat(kept) : bytes, width, height };
}

// ————————————————————————————————————————— WebP

function readWebp(bytes: Uint8Array): { body: Uint8Array; width: number; height: number } | undefined {
  const size = webpSize(bytes);
  return size && { body: bytes, ...size };
}

function webpSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8X') return { width: u24le(bytes, 24) + 1, height: u24le(bytes, 27) + 1 };
  if (chunk === 'VP8L' && bytes[20] === 0x2f) {
    const bits =
      (bytes[21] ?? 0) | ((bytes[22] ?? 0) << 8) | ((bytes[23] ?? 0) << 16) | ((bytes[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ' && startsWith(bytes, [0x9d, 0x01, 0x2a], 23))
    return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff };
  return undefined;
}

// ————————————————————————————————————————— JPEG

/** Start-of-frame markers (they carry the dimensions): C0–CF but DHT (C4), JPG (C8), DAC (CC). */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * Walks the segments up to the scan and drops those that may hold location or personal metadata:
 * APP1 (Exif, with its GPS IFD, and XMP) and APP13 (IPTC). The Exif orientation alone is kept, in
 * a minimal Exif segment of its own, so that phone photos keep standing the right way up; the
 * dimensions returned are as displayed (swapped for a quarter turn). The compressed image data is
 * copied unchanged.
 */
export function cleanJpeg(
  bytes: Uint8Array,
): { body: Uint8Array; width: number; height: number } | undefined {
  const kept: Uint8Array[] = [];
  let insertAt = 0;
  let orientation = 1;
  let size: { width: number; height: number } | undefined;
  let i = 2;
  for (;;) {
    if (i + 4 > bytes.length || bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xda) {
      if (!size) return undefined;
      kept.push(bytes.subarray(i)); // start of scan: the rest is image data
      break;
    }
    if (marker === 0xd9 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01)
      return undefined; // no scan before the end, or a marker out of place
    const length = u16be(bytes, i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    const segment = bytes.subarray(i, end);
    if (marker === 0xe1) {
      if (ascii(bytes, i + 4, 6) === 'Exif\0\0')
        orientation = exifOrientation(bytes.subarray(i + 10, end)) ?? orientation;
    } else if (marker !== 0xed) {
      kept.push(segment);
      if (marker === 0xe0) insertAt = kept.length; // after JFIF, where Exif would stand
      if (isStartOfFrame(marker) && length >= 7)
        size = { height: u16be(bytes, i + 5), width: u16be(bytes, i + 7) };
    }
    i = end;
  }
  if (!size) return undefined;
  if (orientation !== 1) kept.splice(insertAt, 0, orientationSegment(orientation));
  const body = concat([bytes.subarray(0, 2), ...kept]);
  const turned = orientation >= 5 && orientation <= 8;
  return { body, width: turned ? size.height : size.width, height: turned ? size.width : size.height };
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF block, or undefined. */
function exifOrientation(tiff: Uint8Array): number | undefined {
  const little = ascii(tiff, 0, 2) === 'II';
  if (!little && ascii(tiff, 0, 2) !== 'MM') return undefined;
  const u16 = (at: number) => (little ? u16le(tiff, at) : u16be(tiff, at));
  const u32 = (at: number) => (little ? u16le(tiff, at) + u16le(tiff, at + 2) * 65536 : u32be(tiff, at));
  const ifd = u32(4);
  const count = u16(ifd);
  for (let n = 0; n < count && ifd + 2 + 12 * (n + 1) <= tiff.length; n++) {
    const entry = ifd + 2 + 12 * n;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/** An APP1 Exif segment holding only IFD0 with the Orientation tag (big-endian TIFF). */
function orientationSegment(orientation: number): Uint8Array {
  const tiff = [
    0x4d,
    0x4d,
    0,
    42,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  const payload = [...new TextEncoder().encode('Exif\0\0'), ...tiff];
  const length = payload.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
