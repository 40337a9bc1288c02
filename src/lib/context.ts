import type { Context } from 'hono';
import type { Db } from '../db/client.ts';
import type { Config } from '../env.ts';
import type { Viewer } from './layout.tsx';

/** Testable time. */
export interface Clock {
  now(): Date;
}

/** One structured log line (JSON on stdout in production, silent in tests). */
export type LogSink = (entry: Record<string, unknown>) => void;

/** Everything the app needs from its runtime; built by an entry (Node or Worker) or a test. */
export interface AppDeps {
  config: Config;
  /** Returns the database for a request; Node returns one shared client, Workers one per request. */
  db: (env: unknown) => Db;
  clock: Clock;
  log: LogSink;
}

export interface AppEnv {
  Variables: {
    db: Db;
    deps: AppDeps;
    viewer: Viewer | null;
  };
}

export type AppContext = Context<AppEnv>;

export const systemClock: Clock = { now: () => new Date() };
export const jsonLog: LogSink = (entry) => console.log(JSON.stringify(entry));
