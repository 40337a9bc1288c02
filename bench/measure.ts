/**
 * Load loops for the benchmark: in-process (`app.request`, one request at a time) and over HTTP on
 * loopback (N concurrent keep-alive clients in a worker thread), each with a warm-up, then latency
 * percentiles.
 */
import { Worker } from 'node:worker_threads';

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

/**
 * The HTTP load generator, run in a worker thread so that the clients do not share the server's event
 * loop (plain JavaScript: a worker evaluated from a string is not compiled by tsx).
 */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { baseUrl, urls, headers, expectedStatus, warmupMs, measureMs, maxRequests, concurrency } = workerData;
let i = 0;
async function loop(until, latencies, counter) {
  while (performance.now() < until && (!latencies || latencies.length < maxRequests)) {
    const t0 = performance.now();
    let status = 0;
    try {
      const response = await fetch(baseUrl + urls[i++ % urls.length], headers ? { headers } : {});
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      // A reset or refused connection counts as an unexpected answer (the first one is reported).
      counter.firstError ??= String((error && error.cause) || error);
    }
    if (latencies) {
      if (status !== 0) latencies.push(performance.now() - t0);
      if (status !== expectedStatus) counter.unexpected++;
    }
  }
}
(async () => {
  const counter = { unexpected: 0 };
  const warmupEnd = performance.now() + warmupMs;
  await Promise.all(Array.from({ length: concurrency }, () => loop(warmupEnd, null, counter)));
  const latencies = [];
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => loop(start + measureMs, latencies, counter)));
  parentPort.postMessage({ latencies, seconds: (performance.now() - start) / 1000, unexpected: counter.unexpected, firstError: counter.firstError });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/**
 * `concurrency` keep-alive clients in parallel against a base URL (HTTP on loopback), each sending one
 * request at a time, from a worker thread.
 */
export async function measureConcurrent(
  baseUrl: string,
  target: Target,
  expectedStatus: number,
  timing: Timing,
  concurrency: number,
): Promise<Stats> {
  const worker = new Worker(CLIENT_WORKER, {
    eval: true,
    workerData: { baseUrl, ...target, expectedStatus, ...timing, concurrency },
  });
  try {
    const message = await new Promise<{
      latencies: number[];
      seconds: number;
      unexpected: number;
      firstError?: string;
      error?: string;
    }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (message.error) throw new Error(`HTTP client worker failed: ${message.error}`);
    if (message.firstError) console.warn(`    (HTTP client: ${message.firstError})`);
    return summarize(message.latencies, message.seconds, message.unexpected);
  } finally {
    await worker.terminate();
  }
}
