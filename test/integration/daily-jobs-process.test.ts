import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

const ENTRY = join(import.meta.dirname, '..', '..', 'src', 'entry', 'daily-jobs.ts');
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** Runs src/entry/daily-jobs.ts as the Node entry forks it, over the test's database file. */
function runDailyJobsProcess(env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        DATABASE_URL: `file:${t.path}`,
        PUBLIC_URL: 'http://localhost:8787',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the daily jobs process (src/entry/daily-jobs.ts)', () => {
  it('runs every job once over DATABASE_URL, closes expired listings and exits 0', async () => {
    const a = await createOrganisation(t, { name: 'Ressourcerie' });
    const expired = await createListing(t, a.id, { title: 'Local expiré' });
    const current = await createListing(t, a.id, { title: 'Local en cours' });
    await t.db.run(sql`UPDATE listings SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ${expired.id}`);

    const { code, output } = await runDailyJobsProcess({});
    expect(code, output).toBe(0);
    const report = output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; process?: string; report?: Record<string, unknown> })
      .find((entry) => entry.msg === 'daily jobs');
    expect(report?.process).toBe('daily-jobs');
    expect(report?.report?.['listing-expiry']).toBe(1);

    const rows = await t.db.all<{ id: number; status: string; closed_reason: string | null }>(
      sql`SELECT id, status, closed_reason FROM listings ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: expired.id, status: 'closed', closed_reason: 'expired' },
      { id: current.id, status: 'published', closed_reason: null },
    ]);
    // Idempotent: a second run closes nothing more.
    const again = await runDailyJobsProcess({});
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('"listing-expiry":0');
  }, 60_000);

  it('exits 1 with a readable error when the configuration is invalid', async () => {
    const { code, output } = await runDailyJobsProcess({ EMAIL_TRANSPORT: 'carrier-pigeon' });
    expect(code).not.toBe(0);
    expect(output).toContain('EMAIL_TRANSPORT');
  }, 60_000);
});
