/**
 * Demo listing photos, drawn in code (no downloads): a small landscape per category — sky, hills, a
 * sun and the category's pictogram-like shape — in the category's colours, varied by a seed.
 * Encoded as PNG with node:zlib (the demo loader runs on Node).
 */
import { crc32, deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];

const PALETTES: Record<string, { sky: Rgb; hill: Rgb; accent: Rgb }> = {
  premises: { sky: [203, 224, 245], hill: [106, 156, 120], accent: [196, 112, 74] },
  equipment: { sky: [222, 230, 240], hill: [120, 130, 150], accent: [230, 160, 40] },
  skills: { sky: [236, 226, 245], hill: [140, 110, 170], accent: [250, 200, 90] },
  shared_jobs: { sky: [250, 232, 214], hill: [190, 120, 90], accent: [60, 100, 160] },
  services: { sky: [214, 240, 236], hill: [70, 150, 140], accent: [240, 130, 110] },
  purchasing: { sky: [245, 240, 210], hill: [150, 170, 70], accent: [200, 60, 60] },
  training: { sky: [220, 235, 250], hill: [80, 120, 190], accent: [250, 180, 60] },
  logistics: { sky: [235, 235, 230], hill: [130, 120, 100], accent: [40, 120, 200] },
  energy_resources: { sky: [250, 245, 215], hill: [90, 160, 80], accent: [250, 200, 30] },
  other: { sky: [230, 236, 242], hill: [110, 140, 160], accent: [210, 100, 140] },
};

export const DEMO_PHOTO_WIDTH = 480;
export const DEMO_PHOTO_HEIGHT = 320;

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

/** A PNG for a demo listing of `category`, the same for the same seed. */
export function demoPhoto(
  category: string,
  seed: number,
): { body: Uint8Array; contentType: 'image/png'; width: number; height: number } {
  const palette = PALETTES[category] ?? PALETTES.other!;
  const next = random(seed * 7919 + category.length);
  const width = DEMO_PHOTO_WIDTH;
  const height = DEMO_PHOTO_HEIGHT;
  const sun = { x: width * (0.15 + next() * 0.7), y: height * (0.15 + next() * 0.2), r: 22 + next() * 18 };
  const hills = [0, 1].map(() => ({
    base: height * (0.55 + next() * 0.15),
    amplitude: 12 + next() * 22,
    period: 120 + next() * 160,
    phase: next() * Math.PI * 2,
  }));
  const block = {
    x: width * (0.2 + next() * 0.45),
    w: width * (0.18 + next() * 0.12),
    h: height * (0.18 + next() * 0.12),
  };
  const white: Rgb = [255, 255, 255];
  const far = hills[0]!;
  const near = hills[1]!;
  // Per column and per row once, so the pixel loop allocates nothing (a photo in a few ms).
  const farTops = Float64Array.from(
    { length: width },
    (_, x) => far.base - 30 + far.amplitude * Math.sin(x / far.period + far.phase),
  );
  const nearTops = Float64Array.from(
    { length: width },
    (_, x) => near.base + 30 + near.amplitude * Math.sin(x / near.period + near.phase),
  );
  const sunColour = mix(palette.accent, white, 0.35);
  const farHill = mix(palette.hill, white, 0.35);
  const windowColour = mix(palette.sky, white, 0.3);
  const ground: Rgb = [30, 40, 30];
  const sunR2 = sun.r * sun.r;
  const haloR2 = (sun.r + 6) * (sun.r + 6);
  const rows = new Uint8Array((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // filter: none
    const sky = mix(white, palette.sky, 0.4 + (y / height) * 0.6);
    const halo = mix(sky, palette.accent, 0.25);
    const dy2 = (y - sun.y) * (y - sun.y);
    for (let x = 0; x < width; x++) {
      let colour = sky;
      const d2 = (x - sun.x) * (x - sun.x) + dy2;
      if (d2 < sunR2) colour = sunColour;
      else if (d2 < haloR2) colour = halo;
      const nearTop = nearTops[x]!;
      if (y > farTops[x]!) colour = farHill;
      const groundTop = nearTop - block.h;
      if (x > block.x && x < block.x + block.w && y > groundTop && y <= nearTop + 4) {
        // The category's "building": a block with a band of windows.
        const band = (y - groundTop) / block.h;
        const windowCol = Math.floor((x - block.x) / 14) % 2 === 1;
        colour = band > 0.25 && band < 0.5 && windowCol ? windowColour : palette.accent;
      }
      const at = row + 1 + x * 3;
      if (y > nearTop) {
        const t = (y - nearTop) / height;
        rows[at] = Math.round(palette.hill[0] + (ground[0] - palette.hill[0]) * t);
        rows[at + 1] = Math.round(palette.hill[1] + (ground[1] - palette.hill[1]) * t);
        rows[at + 2] = Math.round(palette.hill[2] + (ground[2] - palette.hill[2]) * t);
        continue;
      }
      rows[at] = colour[0];
      rows[at + 1] = colour[1];
      rows[at + 2] = colour[2];
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method variants, no interlace
  const body = concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', new Uint8Array(deflateSync(rows, { level: 6 }))),
    chunk('IEND', new Uint8Array(0)),
  ]);
  return { body, contentType: 'image/png', width, height };
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typed = new TextEncoder().encode(type);
  out.set(typed, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
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
