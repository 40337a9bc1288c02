import { savedSearchDigestJob } from '../alerts/digest.ts';
import { expiryJobs } from '../alerts/expiry.ts';
import { changesReminderJob } from '../ami/reminders.ts';
import { staffDigestJob } from '../ami/staff-notify.ts';
import { weeklyMatchesJob } from '../matching/weekly.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { messageDigestJob } from '../threads/notify.ts';

/**
 * A job of the daily run (`npm run cli -- send-digests` on Node, the Cron Trigger on Workers).
 * Each job must be idempotent: running it twice in a row sends nothing twice (mark what was done
 * in `job_marks`, in the same transaction as the email it stands for, or with a per-row timestamp).
 */
export interface ScheduledJob {
  name: string;
  /** Returns how many emails it sent (or rows it changed), for the run's report. */
  run(deps: ServiceDeps): Promise<number>;
}

/** The jobs of the daily run, in order. Features add theirs here. */
// The saved-search digest runs before the expiry jobs: a listing expiring today is still news.
export const SCHEDULED_JOBS: ScheduledJob[] = [
  messageDigestJob,
  savedSearchDigestJob,
  ...expiryJobs,
  weeklyMatchesJob,
  staffDigestJob,
  changesReminderJob,
];

/** Runs every job; one job's failure is logged and does not stop the others. */
export async function runScheduledJobs(deps: ServiceDeps): Promise<Record<string, number | 'failed'>> {
  const report: Record<string, number | 'failed'> = {};
  for (const job of SCHEDULED_JOBS) {
    try {
      report[job.name] = await job.run(deps);
    } catch (err) {
      deps.log({
        level: 'error',
        msg: 'scheduled job failed',
        job: job.name,
        error: err instanceof Error ? err.message : String(err),
      });
      report[job.name] = 'failed';
    }
  }
  return report;
}
