import * as z from 'zod';

/** Configuration schema: the only place that reads environment variables. */
const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  DATABASE_URL: z.string().min(1).default('file:data/ptce.db'),
  LIBSQL_URL: z.string().optional(),
  LIBSQL_AUTH_TOKEN: z.string().optional(),
  DEMO_DATA: z.enum(['0', '1']).default('1'),
  /** Public origin of the site (used in emailed links and CSRF checks), e.g. https://ptce.example.gouv.fr */
  PUBLIC_URL: z.url().optional(),
  EMAIL_TRANSPORT: z.enum(['log', 'http']).default('log'),
  EMAIL_API_URL: z.url().optional(),
  EMAIL_API_KEY: z.string().optional(),
  EMAIL_FROM: z.string().default('ptce-hub <ne-pas-repondre@ptce.example.gouv.fr>'),
  LOG_REQUESTS: z.enum(['0', '1']).default('1'),
  /** Node: worker processes serving the app (node:cluster); unset = one per available core, 1 = no cluster. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
});

export type Config = z.infer<typeof configSchema>;

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
  return config;
}
