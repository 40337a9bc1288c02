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
    schedule.stop();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(runs).toHaveLength(2);
  });

  it('never starts a second run while one is still going', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-07T05:59:00.000Z') });
    let running = 0;
    let most = 0;
    let finish: () => void = () => {};
    const schedule = scheduleDaily(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      running--;
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(running).toBe(1);
    // A run lasting past the next 06:00 delays the next one; it is not doubled.
    await vi.advanceTimersByTimeAsync(30 * HOUR);
    expect(most).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(running).toBe(0);
    schedule.stop();
  });
});
