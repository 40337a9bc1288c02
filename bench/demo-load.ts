/**
 * `npx tsx bench/demo-load.ts` — how long the first boot's demo-data load takes (it runs before the
 * Node entry listens), listings, threads and photos included (stored as files, as `npm start` does).
 * Loads it into a fresh migrated file in a temporary folder, `--runs` times
 * (default 3), and prints each duration and the median; exits with 1 when the median is over the
 * budget (`--budget-ms`, default 3000, the figure the integration test used to assert).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/local.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { nodeFileStorage } from '../src/entry/node-storage.ts';
import { loadDemoDataOnce } from '../src/features/demo/demo.ts';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'budget-ms': { type: 'string', default: '3000' } },
});
const runs = Number(args.runs);
const budgetMs = Number(args['budget-ms']);

const dir = mkdtempSync(join(tmpdir(), 'ptce-demo-load-'));
const durations: number[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    const { client, db } = await openDatabase(`file:${join(dir, `run-${run}.db`)}`);
    await applyMigrations(db);
    const started = performance.now();
    const storage = nodeFileStorage(join(dir, `run-${run}.files`));
    const loaded = await loadDemoDataOnce(db, new Date(), { storage });
    const ms = performance.now() - started;
    client.close();
    if (!loaded) throw new Error('the demo data was not loaded into a fresh database');
    durations.push(ms);
    console.log(`run ${run}: ${Math.round(ms)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = [...durations].sort((a, b) => a - b)[Math.floor(durations.length / 2)]!;
console.log(`demo-data load: median ${Math.round(median)} ms over ${runs} runs (budget ${budgetMs} ms)`);
if (median > budgetMs) process.exitCode = 1;
