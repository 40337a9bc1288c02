/**
 * Global setup of the workerd smoke test (runs in Node): a migrated libSQL file served over HTTP by
 * the test Hrana server, and a port where nothing listens. Their URLs reach the Worker as bindings
 * (vitest.workers.config.ts) and the tests through `inject`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/local.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { createAmiDossier, createLead, createOpenWave } from '../support/ami-files.ts';
import { type TestApp, TestClock } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { startHranaTestServer } from '../support/hrana-http-test-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the Hrana test server (the Worker's LIBSQL_URL). */
    libsqlUrl: string;
    /** Bearer token the Hrana test server requires (the Worker's LIBSQL_AUTH_TOKEN). */
    libsqlAuthToken: string;
    /** An http:// URL on 127.0.0.1 where nothing listens. */
    closedUrl: string;
    /** A submitted AMI dossier and its owner's API token, for the récépissé through the PDF binding. */
    receipt: { dossierId: number; reference: string; bearer: string };
  }
}

/** A port that was free a moment ago and is closed again: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export default async function setup(project: TestProject) {
  // Its own folder (not test/.tmp, which the Node suites' setup wipes), so both can run at once.
  const dir = mkdtempSync(join(tmpdir(), 'ptce-workers-'));
  const path = join(dir, 'ptce.db');
  const { client, db } = await openDatabase(`file:${path}`);
  await applyMigrations(db);
  // The fixtures of the Node suites, over this database (they use only `db` and `clock`).
  const seed = { db, clock: new TestClock() } as unknown as TestApp;
  const owner = await createSignedInUser(seed);
  const lead = await createLead(seed, owner, 'Coopérative « Les Ateliers » d’Île-de-Voiron');
  const wave = await createOpenWave(seed, 'Vague d’hiver 2026');
  const dossier = await createAmiDossier(seed, {
    leadOrganisationId: lead.id,
    status: 'submitted',
    waveId: wave.id,
    reference: 'AMI-2026-0007',
  });
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  client.close();

  const authToken = randomBytes(24).toString('base64url');
  const server = await startHranaTestServer({ path, authToken });
  project.provide('libsqlUrl', server.url);
  project.provide('libsqlAuthToken', authToken);
  project.provide('receipt', { dossierId: dossier.id, reference: 'AMI-2026-0007', bearer: owner.bearer });
  project.provide('closedUrl', `http://127.0.0.1:${await closedPort()}`);

  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
