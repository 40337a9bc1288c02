/** The Cron Trigger handler of the Workers entry runs the daily jobs against remote libSQL. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/entry/worker.ts';

describe('Workers scheduled handler', () => {
  it('runs every daily job once and logs the report (none failed)', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.scheduled({}, env as never, ctx);
    await waitOnExecutionContext(ctx);
    const entries = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    log.mockRestore();
    const run = entries.find((e) => e.msg === 'daily jobs') as
      | { report: Record<string, unknown> }
      | undefined;
    expect(run).toBeDefined();
    expect(Object.keys(run!.report)).toEqual(
      expect.arrayContaining(['saved-search-digest', 'listing-expiry']),
    );
    expect(Object.values(run!.report)).not.toContain('failed');
  });
});
