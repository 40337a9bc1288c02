/**
 * Defect 4, at start: `npm start` over a database file the server may not write prints what to check
 * and exits with status 1, instead of a stack trace. As root, file permissions do not stop SQLite,
 * so the entry then runs without the capabilities that bypass them (see `spawnEntry`): the copied
 * file is read-only for it, as for any user without write permission.
 */
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/local.ts';
import { spawnEntry } from '../support/entry-process.ts';
import { TEMPLATE_PATH, TMP_DIR } from '../support/paths.ts';

function runEntry(databasePath: string) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawnEntry(
      { HOME: TMP_DIR, DATABASE_URL: `file:${databasePath}`, PORT: '18799', WEB_CONCURRENCY: '2' },
      { obeyFilePermissions: true },
    );
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 45 s:\n${output}`));
    }, 45_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function readOnlyCopy(kind: 'rollback journal' | 'WAL' | 'missing file') {
  const dir = join(TMP_DIR, `read-only-${process.pid}-${Date.now()}-${kind.replace(' ', '-')}`);
  mkdirSync(dir);
  const path = join(dir, 'ptce.db');
  if (kind !== 'missing file') {
    copyFileSync(TEMPLATE_PATH, path);
    if (kind === 'WAL') (await openDatabase(`file:${path}`)).client.close();
    chmodSync(path, 0o444);
  }
  chmodSync(dir, 0o555);
  return { path, restore: () => chmodSync(dir, 0o755) };
}

it.each(['rollback journal', 'WAL', 'missing file'] as const)(
  'a read-only database at start (%s): a clear message and exit status 1, no stack trace',
  async (kind) => {
    const { path, restore } = await readOnlyCopy(kind);
    try {
      const { code, output } = await runEntry(path);
      expect(code).toBe(1);
      expect(output).toContain(`ptce-hub cannot write to its database file:${path} (SQLITE_`);
      expect(output).toContain('writable by this user');
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('listening');
    } finally {
      restore();
    }
  },
  60_000,
);
