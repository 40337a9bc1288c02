import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient as createFileClient, type Client as FileClient } from '@libsql/client';
import { type Client, createClient } from '@libsql/client/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createDb } from '../../src/db/client.ts';
import { parseConfig } from '../../src/env.ts';
import { loadDemoDataOnce } from '../../src/features/demo/demo.ts';
import { createTestApp, TestClock } from '../support/app.ts';
import { type HranaTestServer, startHranaTestServer } from '../support/hrana-http-test-server.ts';
import { TMP_DIR } from '../support/paths.ts';

// The search module's statements (prepared ones, the SQL distance, the guarded ranking branches)
// give the same answers over the web (Hrana) client as over the Node file driver.
let server: HranaTestServer;
let client: Client;
let fileClient: FileClient;
let web: ReturnType<typeof createApp>;
let overFile: ReturnType<typeof createApp>;
const path = join(TMP_DIR, `search-web-${process.pid}-${Date.now()}.db`);

beforeAll(async () => {
  // A database with the demo data, copied once the WAL is checkpointed into the file.
  const local = await createTestApp();
  await loadDemoDataOnce(local.db, local.clock.now(), { accounts: false });
  await local.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  local.client.close();
  copyFileSync(local.path, path);
  server = await startHranaTestServer({ path, authToken: 'test-token' });
  client = createClient({ url: server.url, authToken: 'test-token' });
  const db = createDb(client);
  const config = parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0' });
  web = createApp({ config, db: () => db, clock: new TestClock(), log: () => {} });
  fileClient = createFileClient({ url: `file:${path}` });
  const fileDb = createDb(fileClient);
  overFile = createApp({ config, db: () => fileDb, clock: new TestClock(), log: () => {} });
});

afterAll(async () => {
  client?.close();
  fileClient?.close();
  await server?.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
});

describe('search over the web client', () => {
  it.each([
    '/api/v1/organisations',
    '/api/v1/organisations?page=2&perPage=5',
    '/api/v1/organisations?q=solidaire',
    '/api/v1/organisations?q=economie&kind=ess',
    '/api/v1/organisations?commune=38563&radiusKm=30&perPage=7&page=2',
    '/api/v1/organisations?commune=38563',
    '/api/v1/organisations?theme=insertion',
    '/api/v1/communes?q=sa',
    '/api/v1/communes?q=voiron',
    '/api/v1/poles?q=alimentation',
  ])('%s answers as over the file driver', async (url) => {
    const [webAnswer, fileAnswer] = await Promise.all([web.request(url), overFile.request(url)]);
    expect(webAnswer.status).toBe(200);
    const body = await webAnswer.json();
    expect(body).toEqual(await fileAnswer.json());
    expect(body.items.length).toBeGreaterThan(0);
  });
});
