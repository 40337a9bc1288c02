/**
 * File storage on Node: one file per key under a folder (by default `files/` beside the `file:`
 * database, e.g. data/files/listings/12/3f9c….jpg). See docs/decisions/017-file-storage.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { FileStorage } from '../lib/context.ts';
import { contentTypeOfKey, isStorageKey } from '../lib/storage-keys.ts';

/** The files folder of a database URL: `files/` beside a `file:` database, else `data/files`. */
export function filesFolderFor(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) return resolve('data', 'files');
  const path = databaseUrl.slice('file:'.length).split('?')[0]!;
  return join(dirname(resolve(path)), 'files');
}

/**
 * Keys map to paths under `root`. The content type is not kept beside the file: it follows from the
 * key's extension (the app generates both), and `put` refuses a key whose extension says otherwise,
 * so `get` returns what was put. Writes go to a temporary file in the same folder, then `rename`
 * (atomic on one file system): a reader sees the whole file or none, never half of it.
 */
export function nodeFileStorage(root: string): FileStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    if (!isStorageKey(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
    const path = resolve(base, ...key.split('/'));
    // isStorageKey already refuses `..`; this keeps the rule in one more place.
    if (!path.startsWith(base + sep)) throw new Error(`storage key outside the folder: ${key}`);
    return path;
  };
  return {
    async put(key, body, { contentType }) {
      const path = pathOf(key);
      if (contentTypeOfKey(key) !== contentType)
        throw new Error(`storage key ${key} does not match its content type ${contentType}`);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, body, { flag: 'wx' });
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const buffer = await readFile(path);
        const body = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
        return { body, contentType: contentTypeOfKey(key) ?? 'application/octet-stream', size: body.length };
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
