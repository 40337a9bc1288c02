/**
 * Load loops for the benchmark: in-process (`app.request`, one request at a time) and over HTTP on
 * loopback (N concurrent keep-alive clients), each with a warm-up, then latency percentiles.
 */

export interface Target {
  /** Paths (with query) taken in turn, so one scenario can vary its input. */
  urls: string[];
  headers?: Record<string, string>;
}

export interface Stats {
  requests: number;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** Responses whose status differed from the expected one. */
  unexpected: number;
}

export interface Timing {
  warmupMs: number;
  measureMs: number;
  /** Stop early after this many requests (keeps fast scenarios from dominating memory). */
  maxRequests: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(latencies: number[], seconds: number, unexpected: number): Stats {
  const sorted = Float64Array.from(latencies).sort();
  const values = Array.from(sorted);
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    requests: values.length,
    seconds,
    reqPerSec: values.length / seconds,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: values.length ? sum / values.length : Number.NaN,
    max: values.length ? values[values.length - 1]! : Number.NaN,
    unexpected,
  };
}

type Fetcher = (url: string, init: RequestInit) => Response | Promise<Response>;

/** One request to completion (body read), returning its status. */
async function once(fetcher: Fetcher, url: string, headers: Record<string, string> | undefined) {
  const response = await fetcher(url, headers ? { headers } : {});
  await response.arrayBuffer();
  return response.status;
}

/**
 * Sequential loop in this process: the app's own cost (routing, validation, SQL, rendering) without
 * sockets. Returns the statistics of the measured phase.
 */
export async function measureInProcess(
  fetcher: Fetcher,
  target: Target,
  expectedStatus: number,
  timing: Timing,
): Promise<Stats> {
  const { urls, headers } = target;
  let i = 0;
  const warmupEnd = performance.now() + timing.warmupMs;
  while (performance.now() < warmupEnd) await once(fetcher, urls[i++ % urls.length]!, headers);

  const latencies: number[] = [];
  let unexpected = 0;
  const start = performance.now();
  const end = start + timing.measureMs;
  while (latencies.length < timing.maxRequests) {
    const t0 = performance.now();
    if (t0 >= end) break;
    const status = await once(fetcher, urls[i++ % urls.length]!, headers);
    latencies.push(performance.now() - t0);
    if (status !== expectedStatus) unexpected++;
  }
  return summarize(latencies, (performance.now() - start) / 1000, unexpected);
}

/** `concurrency` clients in parallel against a base URL (HTTP on loopback), each sending one request at a time. */
export async function measureConcurrent(
  baseUrl: string,
  target: Target,
  expectedStatus: number,
  timing: Timing,
  concurrency: number,
): Promise<Stats> {
  const { urls, headers } = target;
  const fetcher: Fetcher = (url, init) => fetch(baseUrl + url, init);
  let i = 0;
  const loop = async (until: number, latencies: number[] | null, counter: { unexpected: number }) => {
    while (performance.now() < until && (!latencies || latencies.length < timing.maxRequests)) {
      const t0 = performance.now();
      const status = await once(fetcher, urls[i++ % urls.length]!, headers);
      if (latencies) {
        latencies.push(performance.now() - t0);
        if (status !== expectedStatus) counter.unexpected++;
      }
    }
  };
  const counter = { unexpected: 0 };
  const warmupEnd = performance.now() + timing.warmupMs;
  await Promise.all(Array.from({ length: concurrency }, () => loop(warmupEnd, null, counter)));
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, () => loop(start + timing.measureMs, latencies, counter)),
  );
  return summarize(latencies, (performance.now() - start) / 1000, counter.unexpected);
}
