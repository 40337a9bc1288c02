/**
 * The daily jobs on Node (src/features/jobs/scheduled.ts): run by the serving process itself every day
 * at the hour of the Workers Cron Trigger (wrangler.toml `crons = ["0 6 * * *"]`), so an embedded
 * install needs no host cron to send its digests and close its expired listings. Only one process
 * runs it: the cluster's primary, or the single process. Each job is idempotent, so a run that
 * overlaps `npm run cli -- send-digests` sends nothing twice.
 */

/** The hour (UTC) of the daily run, as the Workers Cron Trigger. */
export const DAILY_RUN_HOUR_UTC = 6;

/** Milliseconds from `now` to the next `hour`:00 UTC (a full day when `now` is exactly on it). */
export function msUntilNextRun(now: Date, hour = DAILY_RUN_HOUR_UTC): number {
  const next = new Date(now);
  next.setUTCHours(hour, 0, 0, 0);
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime() - now.getTime();
}

/**
 * Calls `run` at every next 06:00 UTC until the returned `stop`. A run still going when the next one
 * is due is not doubled; a failing run is the caller's to log (`run` should not throw).
 */
export function scheduleDaily(
  run: () => Promise<unknown>,
  now: () => Date = () => new Date(),
  timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis,
): { stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    timer = timers.setTimeout(async () => {
      await run();
      arm();
    }, msUntilNextRun(now()));
    // Never keeps the process alive on its own (shutdown waits for requests, not for tomorrow).
    (timer as { unref?: () => void }).unref?.();
  };
  arm();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
    },
  };
}
