import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesFolderFor, nodeFileStorage } from '../../src/entry/node-storage.ts';
import type { FileStorage } from '../../src/lib/context.ts';
import { contentTypeOfKey, isStorageKey, newStorageKey } from '../../src/lib/storage-keys.ts';

let root: string;
let storage: FileStorage;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ptce-storage-'));
  storage = nodeFileStorage(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const bytes = (...values: number[]) => new Uint8Array(values);

/** Every file under the folder, as paths relative to it. */
const filesUnder = (folder: string) =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();

describe('nodeFileStorage', () => {
  it('puts, gets back (bytes, content type from the key) and deletes', async () => {
    const key = 'listings/12/abc.png';
    await storage.put(key, bytes(1, 2, 3), { contentType: 'image/png' });
    expect(filesUnder(root)).toEqual(['listings/12/abc.png']);
    const file = await storage.get(key);
    expect(file).toEqual({ body: bytes(1, 2, 3), contentType: 'image/png', size: 3 });
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    // Deleting what is not there is not an error.
    await storage.delete(key);
  });

  it('replaces a file whole and leaves no temporary file behind', async () => {
    const key = 'listings/1/x.jpg';
    await storage.put(key, bytes(1), { contentType: 'image/jpeg' });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        storage.put(key, new Uint8Array(1000).fill(i), { contentType: 'image/jpeg' }),
      ),
    );
    const file = await storage.get(key);
    expect(file?.size).toBe(1000);
    // Whichever write won, the file is one of them, never a mix.
    expect(new Set(file?.body).size).toBe(1);
    expect(filesUnder(root)).toEqual(['listings/1/x.jpg']);
  });

  it.each([
    '../escape.jpg',
    'listings/../../escape.jpg',
    '/etc/passwd.jpg',
    'listings/1/',
    'listings/1/photo',
    'Listings/1/A.jpg',
    'listings//1.jpg',
    'listings/1/photo de vacances.jpg',
    'listings\\1\\x.jpg',
  ])('refuses the key %j', async (key) => {
    expect(isStorageKey(key)).toBe(false);
    await expect(storage.put(key, bytes(1), { contentType: 'image/jpeg' })).rejects.toThrow(/storage key/);
    await expect(storage.get(key)).rejects.toThrow(/storage key/);
    expect(filesUnder(root)).toEqual([]);
  });

  it('refuses a content type its key does not stand for', async () => {
    await expect(storage.put('a/b.png', bytes(1), { contentType: 'image/jpeg' })).rejects.toThrow(
      /content type/,
    );
    expect(filesUnder(root)).toEqual([]);
  });

  it('new keys are random, valid, and typed by their extension', () => {
    const a = newStorageKey('listings/7', 'webp');
    const b = newStorageKey('listings/7', 'webp');
    expect(a).toMatch(/^listings\/7\/[0-9a-f]{32}\.webp$/);
    expect(a).not.toBe(b);
    expect(contentTypeOfKey(a)).toBe('image/webp');
    expect(contentTypeOfKey('x/y.exe')).toBeUndefined();
    expect(() => newStorageKey('../up', 'jpg')).toThrow();
  });
});

describe('filesFolderFor', () => {
  it('puts files beside a file: database, else under data/', () => {
    expect(filesFolderFor('file:/srv/ptce/ptce.db')).toBe('/srv/ptce/files');
    expect(filesFolderFor('file:data/ptce.db')).toBe(join(process.cwd(), 'data', 'files'));
    expect(filesFolderFor('libsql://db.example.turso.io')).toBe(join(process.cwd(), 'data', 'files'));
  });
});
