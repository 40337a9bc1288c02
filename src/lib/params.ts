import type { AppContext } from './context.ts';
import { NotFound } from './errors.ts';

/**
 * A row id from the path: decimal digits only (no `0x10`, `1e3`, ` 12` or `0`); anything else is a
 * 404 — never a 500 or a 422, as for an id that does not exist.
 */
export function idParam(c: AppContext, name = 'id'): number {
  const raw = c.req.param(name) ?? '';
  const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new NotFound();
  return id;
}
