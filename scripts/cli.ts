/**
 * Administration commands, run against the database named by DATABASE_URL:
 *   npm run cli -- create-user --email E --password P --name N --role member|instructor|admin [--regions 84,93]
 *     (--regions: an instructor's régions, INSEE codes; without it an instructor is national)
 *   npm run cli -- send-digests   (the daily jobs once: alerts digests, expiry reminders, expiry)
 */
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { openDatabase } from '../src/db/local.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { configFromProcessEnv } from '../src/env.ts';
import { dailyRun } from '../src/features/alerts/daily-run.ts';
import { createUser } from '../src/features/auth/queries.ts';
import { signUpInput } from '../src/features/auth/schemas.ts';
import { parseRegions, setInstructorRegions } from '../src/features/instruction/scope.ts';

const USAGE =
  'usage: npm run cli -- create-user --email E --password P --name N [--role member|instructor|admin] [--regions 84,93]\n' +
  '       npm run cli -- send-digests';

async function sendDigests(): Promise<number> {
  const config = configFromProcessEnv();
  const { client, db } = await openDatabase(config.DATABASE_URL, config.LIBSQL_AUTH_TOKEN);
  try {
    await applyMigrations(db);
    const report = await dailyRun(db, config);
    for (const [job, result] of Object.entries(report)) console.log(`${job}: ${result}`);
    return Object.values(report).includes('failed') ? 1 : 0;
  } finally {
    client.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'send-digests' && rest.length === 0) return sendDigests();
  if (command !== 'create-user') {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'member' },
      regions: { type: 'string' },
    },
    strict: true,
  });
  const { regions: regionsText, ...account } = values;
  const parsed = signUpInput.extend({ role: z.enum(['member', 'instructor', 'admin']) }).safeParse(account);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    console.error(USAGE);
    return 2;
  }
  if (regionsText !== undefined && parsed.data.role !== 'instructor') {
    console.error('--regions: only an instructor has régions (admins are national).');
    console.error(USAGE);
    return 2;
  }
  const { DATABASE_URL: url, LIBSQL_AUTH_TOKEN } = configFromProcessEnv();
  const { client, db } = await openDatabase(url, LIBSQL_AUTH_TOKEN);
  try {
    await applyMigrations(db);
    // Checked against the communes table's régions before the account is created.
    const scope = regionsText === undefined ? { regions: [] } : await parseRegions(db, regionsText);
    if ('error' in scope) {
      console.error(`--regions: ${scope.error}`);
      return 2;
    }
    const id = await createUser(db, { ...parsed.data, verified: true }, new Date());
    if (!id) {
      console.error(`An account already exists for ${parsed.data.email}.`);
      return 1;
    }
    if (scope.regions.length > 0) await setInstructorRegions(db, id, scope.regions);
    const where =
      parsed.data.role === 'instructor'
        ? scope.regions.length
          ? ` (régions ${scope.regions.join(', ')})`
          : ' (national)'
        : '';
    console.log(
      `Created verified ${parsed.data.role} account #${id} <${parsed.data.email.toLowerCase()}>${where} in ${url}`,
    );
    return 0;
  } finally {
    client.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
