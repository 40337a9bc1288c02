import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/local.ts';
import { type Config, parseConfig } from '../../src/env.ts';
import type { Clock } from '../../src/lib/context.ts';
import { TEMPLATE_PATH, TMP_DIR } from './paths.ts';

let counter = 0;

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(public current = new Date('2026-11-22T10:00:00Z')) {}
  now() {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A fresh database: a copy of the migrated template, private to the calling test file. */
export async function freshDatabase(): Promise<{ client: Client; db: Db; path: string }> {
  const path = join(TMP_DIR, `test-${process.pid}-${Date.now()}-${++counter}.db`);
  copyFileSync(TEMPLATE_PATH, path);
  const { client, db } = await openDatabase(`file:${path}`);
  return { client, db, path };
}

export interface TestAppOptions {
  config?: Partial<Config>;
  clock?: TestClock;
}

/** The real app over a fresh libSQL file; logs are collected instead of printed. */
export async function createTestApp(options: TestAppOptions = {}) {
  const { client, db, path } = await freshDatabase();
  const config = {
    ...parseConfig({ NODE_ENV: 'test', LOG_REQUESTS: '0', PUBLIC_URL: 'http://localhost' }),
    ...options.config,
  };
  const clock = options.clock ?? new TestClock();
  const logs: Record<string, unknown>[] = [];
  const app = createApp({ config, db: () => db, clock, log: (entry) => logs.push(entry) });
  return { app, db, client, clock, logs, path, config };
}

export const ORIGIN = 'http://localhost';

/** Form-encoded POST as a browser sends it from this site (Origin set, so CSRF checks pass). */
export function formPost(
  body: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): RequestInit {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return {
    method: 'POST',
    body: params.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
  };
}

/** JSON request init for the API. */
export function jsonRequest(
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { 'content-type': 'application/json', ...headers },
  };
}
