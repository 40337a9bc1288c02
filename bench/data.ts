/**
 * `npm run bench:data -- --organisations N --poles M [--seed S]` — fills the database named by
 * DATABASE_URL (migrated first if new) with the benchmark generator (bench/generate.ts) and reports
 * rows per second. The database must not hold organisations yet.
 */
import { parseArgs } from 'node:util';
import { configFromProcessEnv } from '../src/env.ts';
import { fillDatabase } from './generate.ts';

const { values } = parseArgs({
  options: {
    organisations: { type: 'string', default: '5000' },
    poles: { type: 'string' },
    seed: { type: 'string', default: '20261122' },
  },
});
const organisations = Number(values.organisations);
const poles = Number(values.poles ?? Math.max(300, Math.round(organisations * 0.03)));
if (!Number.isInteger(organisations) || organisations < 1 || !Number.isInteger(poles) || poles < 0) {
  console.error('bench:data: --organisations and --poles take whole numbers');
  process.exit(2);
}
const url = configFromProcessEnv().DATABASE_URL;
try {
  const report = await fillDatabase(url, { organisations, poles, seed: Number(values.seed) });
  console.log(
    `bench:data: ${url}${report.migrated ? ' (migrated)' : ''}: ${report.organisations} organisations ` +
      `(${report.organisationThemes} themes), ${report.poles} pôles (${report.poleThemes} themes, ` +
      `${report.poleDepartements} départements, ${report.poleMembers} members) in ` +
      `${report.seconds.toFixed(1)} s — ${Math.round(report.rowsPerSecond).toLocaleString('en')} rows/s`,
  );
} catch (err) {
  console.error(`bench:data: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
