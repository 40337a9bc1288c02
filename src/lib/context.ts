import type { Context } from 'hono';
import type { Db } from '../db/client.ts';
import type { Config } from '../env.ts';

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
  /** Email delivery; every message is also kept in the outbox table. */
  mailer: EmailTransport;
  /** The client's IP address as the runtime knows it (Node socket, Workers header), for rate limits. */
  clientIp?: (c: Context) => string;
}

/** The signed-in user of a request (by session cookie or personal API token). */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: 'member' | 'instructor' | 'admin';
  emailVerified: boolean;
  /** How the request authenticated: a browser session or an API token. */
  via: 'session' | 'token';
  /** The session's token hash (browser sessions only), to sign out or rotate. */
  sessionHash?: string;
}

/** An email to send; the mailer records it in the outbox, then hands it to the transport. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Delivers one email (log in development, an HTTP email API in production). Throws on failure. */
export type EmailTransport = (message: EmailMessage & { from: string }) => Promise<void>;

export interface AppEnv {
  Variables: {
    db: Db;
    deps: AppDeps;
    viewer: SessionUser | null;
  };
}

export type AppContext = Context<AppEnv>;

export const systemClock: Clock = { now: () => new Date() };
export const jsonLog: LogSink = (entry) => console.log(JSON.stringify(entry));
