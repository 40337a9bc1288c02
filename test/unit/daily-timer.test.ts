import { afterEach, describe, expect, it, vi } from 'vitest';
import { msUntilNextRun, scheduleDaily } from '../../src/entry/daily-timer.ts';

const HOUR = 3600_000;

describe('msUntilNextRun: the next 06:00 UTC', () => {
  it.each([
    ['2026-12-07T05:00:00.000Z', 1 * HOUR],
    ['2026-12-07T05:59:59.999Z', 1],
    ['2026-12-07T06:00:00.000Z', 24 * HOUR],
    ['2026-12-07T06:00:00.001Z', 24 * HOUR - 1],
    ['2026-12-07T23:00:00.000Z', 7 * HOUR],
    // Across a month and a year; UTC has no daylight saving time.
    ['2026-12-31T12:00:00.000Z', 18 * HOUR],
    ['2027-03-28T01:30:00.000Z', 4.5 * HOUR],
  ])('from %s', (now, ms) => {
    expect(msUntilNextRun(new Date(now))).toBe(ms);
  });
});

describe('scheduleDaily', () => {
  afterEach(() => vi.useRealTimers());

  it('runs at each 06:00 UTC, once a day, until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T05:00:00.000Z') });
    const runs: string[] = [];
    const schedule = scheduleDaily(async () => {
      runs.push(new Date().toISOString());
    });
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual(['2026-12-07T06:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(runs).toEqual(['2026-12-07T06:00:00.000Z', '2026-12-08T06:00:00.000Z']);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(runs).toHaveLength(2);
  });

  it('skips the next 06:00 while a run is still going, then resumes the day after', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T05:59:00.000Z') });
    const started: string[] = [];
    let finish: () => void = () => {};
    const schedule = scheduleDaily(async () => {
      started.push(new Date().toISOString());
      if (started.length === 1)
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toEqual(['2026-12-07T06:00:00.000Z']);
    // Still running at the next 06:00: that day is skipped, not run alongside.
    await vi.advanceTimersByTimeAsync(30 * HOUR);
    expect(started).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    // Ended on 8 December at 12:00: the next run is 9 December at 06:00.
    await vi.advanceTimersByTimeAsync(18 * HOUR - 1);
    expect(started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['2026-12-07T06:00:00.000Z', '2026-12-09T06:00:00.000Z']);
    await schedule.stop();
  });

  it('goes on after a run that throws', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T05:00:00.000Z') });
    let runs = 0;
    const schedule = scheduleDaily(async () => {
      runs++;
      throw new Error('database unavailable');
    });
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(runs).toBe(2);
    await schedule.stop();
  });

  it('runs once per UTC day even when the clock steps back', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T05:00:00.000Z') });
    let runs = 0;
    // The schedule reads a clock that jumps back by a minute right after the run (NTP correction).
    let offset = 0;
    const schedule = scheduleDaily(
      async () => {
        runs++;
        offset = -60_000;
      },
      () => new Date(Date.now() + offset),
    );
    await vi.advanceTimersByTimeAsync(HOUR + 60_000);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(runs).toBe(1);
    await schedule.stop();
  });

  it('stop() waits for the run in progress', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T05:59:59.000Z') });
    let finish: () => void = () => {};
    let ended = false;
    const schedule = scheduleDaily(async () => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      ended = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = schedule.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(ended).toBe(true);
  });
});
