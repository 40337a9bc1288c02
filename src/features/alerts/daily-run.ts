import type { Db } from '../../db/client.ts';
import type { Config } from '../../env.ts';
import { type Clock, jsonLog, type LogSink, systemClock } from '../../lib/context.ts';
import { runScheduledJobs } from '../jobs/scheduled.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { transportFromConfig } from '../notifications/mailer.ts';

/**
 * The daily run outside a request (`npm run cli -- send-digests` on Node, the Cron Trigger on
 * Workers): the configured mail transport, links to PUBLIC_URL. Runtime-agnostic.
 */
export function dailyRun(
  db: Db,
  config: Config,
  options: { clock?: Clock; log?: LogSink } = {},
): Promise<Record<string, number | 'failed'>> {
  const log = options.log ?? jsonLog;
  const deps: ServiceDeps = {
    db,
    config,
    clock: options.clock ?? systemClock,
    log,
    mailer: transportFromConfig(config, log),
    origin: new URL(config.PUBLIC_URL).origin,
  };
  return runScheduledJobs(deps);
}
