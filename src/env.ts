import * as z from 'zod';

/**
 * Which reverse proxy, if any, the server trusts to report the client's address:
 * - `none` (default): the socket's address, whatever the headers say;
 * - `cf-connecting-ip`: the `CF-Connecting-IP` header (behind Cloudflare only);
 * - `x-forwarded-for`: the last `X-Forwarded-For` entry (one proxy in front);
 * - a number N ≥ 1: the N-th `X-Forwarded-For` entry from the right (N proxies in front).
 */
const trustedProxy = z.union([
  z.enum(['none', 'cf-connecting-ip', 'x-forwarded-for']),
  z.coerce.number().int().min(1).max(10),
]);

/** Configuration schema: the only place that reads environment variables. */
const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  DATABASE_URL: z.string().min(1).default('file:data/ptce.db'),
  LIBSQL_URL: z.string().optional(),
  LIBSQL_AUTH_TOKEN: z.string().optional(),
  DEMO_DATA: z.enum(['0', '1']).default('1'),
  /**
   * Public origin of the site (emailed links, CSRF checks), e.g. https://ptce.example.gouv.fr.
   * Required in production; elsewhere it defaults to the listening address, http://localhost:PORT.
   */
  PUBLIC_URL: z.url().optional(),
  TRUSTED_PROXY: trustedProxy.default('none'),
  EMAIL_TRANSPORT: z.enum(['log', 'http']).default('log'),
  EMAIL_API_URL: z.url().optional(),
  EMAIL_API_KEY: z.string().optional(),
  EMAIL_FROM: z.string().default('ptce-hub <ne-pas-repondre@ptce.example.gouv.fr>'),
  /** Where messages of the contact form are sent. */
  CONTACT_EMAIL: z.email().default('contact@ptce.example.gouv.fr'),
  /** The host named in the legal notice (the embedded install runs on its operator's machine). */
  SITE_HOST_NAME: z.string().default('Direction générale du Trésor (installation sur ses propres serveurs)'),
  SITE_HOST_ADDRESS: z.string().default('139, rue de Bercy, 75572 Paris Cedex 12'),
  LOG_REQUESTS: z.enum(['0', '1']).default('1'),
  /** Node: worker processes serving the app (node:cluster); unset = one per available core, 1 = no cluster. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /**
   * Node: the daily jobs (digests, expiry reminders, closing expired listings, weekly matches, AMI
   * reminders) run in the serving process every day at 06:00 UTC, as the Workers Cron Trigger; 0 =
   * never (run `npm run cli -- send-digests` from the host's cron instead).
   */
  DAILY_JOBS: z.enum(['0', '1']).default('1'),
});

export type TrustedProxy = z.infer<typeof trustedProxy>;
export type Config = z.infer<typeof configSchema> & { PUBLIC_URL: string };

/**
 * Parses configuration from a record of strings (process.env on Node, the bindings on Workers).
 * Throws a readable error listing every invalid variable.
 */
export function parseConfig(source: Record<string, unknown>): Config {
  const result = configSchema.safeParse(
    Object.fromEntries(
      Object.entries(source).filter(([, value]) => typeof value === 'string' && value !== ''),
    ),
  );
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.data;
  if (config.EMAIL_TRANSPORT === 'http' && (!config.EMAIL_API_URL || !config.EMAIL_API_KEY)) {
    throw new Error(
      'Invalid configuration:\n  EMAIL_API_URL, EMAIL_API_KEY: required when EMAIL_TRANSPORT=http',
    );
  }
  if (config.NODE_ENV === 'production' && !config.PUBLIC_URL) {
    // Emailed links must never follow the request's Host header, which a client chooses.
    throw new Error(
      'Invalid configuration:\n  PUBLIC_URL: required in production (the public origin used in emailed links, e.g. https://ptce.example.gouv.fr)',
    );
  }
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
  return { ...config, PUBLIC_URL: publicUrl };
}

/** What the server runs as, in one line for the start-up log (mode, email transport, dev outbox). */
export function startupSummary(config: Config) {
  return {
    mode: config.NODE_ENV === 'production' ? 'production' : 'development',
    nodeEnv: config.NODE_ENV,
    publicUrl: config.PUBLIC_URL,
    emailTransport: config.EMAIL_TRANSPORT,
    devEmails: config.NODE_ENV === 'production' ? 'off' : 'on (loopback requests only)',
    trustedProxy: config.TRUSTED_PROXY,
    dailyJobs: config.DAILY_JOBS === '1' ? 'every day at 06:00 UTC' : 'off',
  };
}

/**
 * The configuration of a Node process (the Node entry, scripts, drizzle-kit): its environment, parsed.
 * The one place that reads `process.env` (Biome's noProcessEnv allows it in this file only).
 */
export function configFromProcessEnv(): Config {
  return parseConfig(process.env);
}
