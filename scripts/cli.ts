/**
 * Administration commands, run against the database named by DATABASE_URL:
 *   npm run cli -- create-user --email E --password P --name N --role member|instructor|admin
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

const USAGE =
  'usage: npm run cli -- create-user --email E --password P --name N [--role member|instructor|admin]\n' +
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
    },
    strict: true,
  });
  const parsed = signUpInput.extend({ role: z.enum(['member', 'instructor', 'admin']) }).safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
    console.error(USAGE);
    return 2;
  }
  const { DATABASE_URL: url, LIBSQL_AUTH_TOKEN } = configFromProcessEnv();
  const { client, db } = await openDatabase(url, LIBSQL_AUTH_TOKEN);
  try {
    await applyMigrations(db);
    const id = await createUser(db, { ...parsed.data, verified: true }, new Date());
    if (!id) {
      console.error(`An account already exists for ${parsed.data.email}.`);
      return 1;
    }
    console.log(
      `Created verified ${parsed.data.role} account #${id} <${parsed.data.email.toLowerCase()}> in ${url}`,
    );
    return 0;
  } finally {
    client.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
