import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { HTTPException } from 'hono/http-exception';
import * as z from 'zod';
import { fr } from 'zod/locales';
import { BadRequest, type FieldErrors, ValidationError } from './errors.ts';

// Default messages in French: the users are French, and field messages reach them as they are.
z.config(fr());

/** Flattens zod issues to one French message per field (the first issue of each path wins). */
export function fieldErrors(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Validates the query string; a malformed query is a 400 with a message per parameter. */
export const validQuery = <T extends z.ZodType>(schema: T) =>
  zValidator('query', schema, (result) => {
    if (!result.success) throw new BadRequest('Paramètres de requête invalides.', fieldErrors(result.error));
  });

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

/**
 * Validates a body (`json` or `form`); invalid input is a 422 with a message per field. A `json`
 * body sent under another content type (even if it parses as JSON) is a 415: the client has the
 * wrong header, not wrong fields.
 */
export const validBody = <T extends z.ZodType, Target extends keyof ValidationTargets & ('json' | 'form')>(
  target: Target,
  schema: T,
) => {
  const validator = zValidator(target, schema, (result) => {
    if (!result.success) throw new ValidationError(fieldErrors(result.error));
  });
  if (target !== 'json') return validator;
  const jsonOnly: typeof validator = async (c, next) => {
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) throw new HTTPException(415);
    return validator(c, next);
  };
  return jsonOnly;
};
