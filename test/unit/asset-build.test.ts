/**
 * The build of public/assets/ (scripts/copy-assets.mjs): the subset of DSFR it keeps still defines
 * every DSFR class the sources use, and the manifest the layout reads names files that exist.
 * Fails after a change that uses a new DSFR component or icon until `npm run assets` is run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assets } from '../../src/generated/assets.ts';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join('src', 'generated') ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) ? [read(path)] : [];
  });
}

const defines = (css: string, name: string) =>
  new RegExp(`\\.${name.replace(/[-_]/g, '\\$&')}(?![a-zA-Z0-9_-])`).test(css);

describe('built assets', () => {
  it('define every DSFR class the sources use that the full DSFR stylesheet defines', () => {
    const used = new Set(
      [...sources('src'), read('public/app.js')].join('\n').match(/\bfr-[a-z0-9]+(?:[-_]+[a-z0-9]+)*/g),
    );
    const full =
      read('node_modules/@gouvfr/dsfr/dist/dsfr.min.css') +
      read('node_modules/@gouvfr/dsfr/dist/utility/icons/icons.min.css');
    const site = read(`public${assets.css}`);
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((name) => defines(full, name) && !defines(site, name));
    expect(missing).toEqual([]);
  });

  it('leave out DSFR components and icons no page uses', () => {
    const site = read(`public${assets.css}`);
    expect(defines(site, 'fr-tile')).toBe(false);
    expect(defines(site, 'fr-icon-zoom-in-line')).toBe(false);
    expect(defines(site, 'fr-icon-search-line')).toBe(true);
    expect(site).toContain(read('public/app.css').trim().slice(0, 200));
  });

  it('name files that exist, content-hashed, with precompressed copies of text files', () => {
    const files = new Set(readdirSync(join(root, 'public', 'assets')));
    for (const url of Object.values(assets)) {
      const name = url.replace('/assets/', '');
      expect(files.has(name), url).toBe(true);
      if (/\.(css|js|svg)$/.test(name)) {
        expect(files.has(`${name}.br`), `${url}.br`).toBe(true);
        expect(files.has(`${name}.gz`), `${url}.gz`).toBe(true);
      }
    }
    // Every url() of the stylesheet points at a built file.
    const refs = [...read(`public${assets.css}`).matchAll(/url\((\/assets\/[^)?#]+)/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(files.has(ref.replace('/assets/', '')), ref).toBe(true);
  });
});
