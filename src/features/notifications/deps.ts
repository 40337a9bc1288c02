import type { Db } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import { publicOrigin } from '../auth/session.ts';
import type { MailDeps } from './mailer.ts';

/** The explicit dependencies of a service that writes and sends email (see `PoleServiceDeps`). */
export interface ServiceDeps extends MailDeps {
  db: Db;
  /** Origin of the links put in emails. */
  origin: string;
}

/** A request's service dependencies: the one place handlers turn their context into `ServiceDeps`. */
export function serviceDeps(c: AppContext): ServiceDeps {
  const { clock, mailer, log, config } = c.get('deps');
  return { db: c.get('db'), clock, mailer, log, config, origin: publicOrigin(c) };
}
