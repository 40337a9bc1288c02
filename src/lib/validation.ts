import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
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

/** Validates a body (`json` or `form`); invalid input is a 422 with a message per field. */
export const validBody = <T extends z.ZodType, Target extends keyof ValidationTargets & ('json' | 'form')>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw new ValidationError(fieldErrors(result.error));
  });
