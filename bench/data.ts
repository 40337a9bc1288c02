/**
 * `npm run bench:data -- --organisations N --poles M [--listings L] [--seed S]` — fills the database
 * named by DATABASE_URL (migrated first if new) with the benchmark generator (bench/generate.ts) and
 * reports rows per second. Listings default to three per organisation, at most 300,000
 * (`--listings 0`: none); they are published within the 90 days before today. The database must not
 * hold organisations yet.
 */
import { parseArgs } from 'node:util';
import { configFromProcessEnv } from '../src/env.ts';
import { defaultListings, describeFill, fillDatabase } from './generate.ts';

const { values } = parseArgs({
  options: {
    organisations: { type: 'string', default: '5000' },
    poles: { type: 'string' },
    listings: { type: 'string' },
    seed: { type: 'string', default: '20261122' },
  },
});
const organisations = Number(values.organisations);
const poles = Number(values.poles ?? Math.max(300, Math.round(organisations * 0.03)));
const listings = Number(values.listings ?? defaultListings(organisations));
if (
  !Number.isInteger(organisations) ||
  organisations < 1 ||
  !Number.isInteger(poles) ||
  poles < 0 ||
  !Number.isInteger(listings) ||
  listings < 0
) {
  console.error('bench:data: --organisations, --poles and --listings take whole numbers');
  process.exit(2);
}
const url = configFromProcessEnv().DATABASE_URL;
try {
  const report = await fillDatabase(url, { organisations, poles, listings, seed: Number(values.seed) });
  console.log(`bench:data: ${url}${report.migrated ? ' (migrated)' : ''}: ${describeFill(report)}`);
} catch (err) {
  console.error(`bench:data: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
