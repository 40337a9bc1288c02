/**
 * The daily jobs on Node (src/features/jobs/scheduled.ts): started by the serving process itself every
 * day at the hour of the Workers Cron Trigger (wrangler.toml `crons = ["0 6 * * *"]`), so an embedded
 * install needs no host cron to send its digests and close its expired listings. Only one process
 * schedules them (the cluster's primary, or the single process) and each run happens in a child
 * process (src/entry/daily-jobs.ts). Each job is idempotent, so a run that overlaps
 * `npm run cli -- send-digests` sends nothing twice.
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

export interface DailySchedule {
  /** No further run; resolves once a run in progress has ended. */
  stop(): Promise<void>;
}

/**
 * Calls `run` at every next 06:00 UTC until `stop`. At most one run a UTC day (a clock stepped back
 * does not repeat it); a run still going at the next 06:00 skips that day rather than overlapping; a
 * run that throws is the caller's to log — the schedule goes on.
 */
export function scheduleDaily(
  run: () => Promise<unknown>,
  now: () => Date = () => new Date(),
  timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'> = globalThis,
): DailySchedule {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running: Promise<unknown> | undefined;
  let lastDay: string | undefined;
  const arm = () => {
    if (stopped) return;
    timer = timers.setTimeout(fire, msUntilNextRun(now()));
    // Never keeps the process alive on its own (shutdown waits for requests, not for tomorrow).
    (timer as { unref?: () => void }).unref?.();
  };
  const fire = async () => {
    const day = now().toISOString().slice(0, 10);
    if (day === lastDay) return arm();
    lastDay = day;
    running = Promise.resolve()
      .then(run)
      .catch(() => undefined);
    try {
      await running;
    } finally {
      running = undefined;
      arm();
    }
  };
  arm();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      await running;
    },
  };
}
