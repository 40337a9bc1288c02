import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type * as z from 'zod';
import type { AppContext, AppEnv } from './context.ts';
import { AppError, BadRequest, type FieldErrors } from './errors.ts';
import { MALFORMED_FORM } from './forms.tsx';
import { fieldErrors } from './validation.ts';

/** A submitted form as the page shows it back: one string per field, an array for repeated names. */
export type FormValues = Record<string, string | string[]>;

/** A field's value as one string, as a form shows it back: the first of repeated values, '' when absent. */
export function formText(values: FormValues, name: string): string {
  const value = values[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** What a form page needs to re-render itself with errors. */
export interface FormFailure {
  /** The submitted values (normalised: CRLF → LF), to show back as typed. */
  values: FormValues;
  /** One French message per field, in the order of the schema's fields (then any other). */
  errors: FieldErrors;
  /** 422 for invalid input, or the status of the domain error that carried field messages (409…). */
  status: 409 | 422;
}

/** Re-renders the form page with its errors. May be async (a page often reads the database). */
export type FormRenderer = (c: AppContext, failure: FormFailure) => Response | Promise<Response>;

const ARRAY_WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'catch',
  'readonly',
  'nonoptional',
]);

/** True when the schema (through optional/default/pipe wrappers) expects an array. */
function expectsArray(schema: z.ZodType | undefined): boolean {
  let current = schema as { _zod: { def: Record<string, unknown> & { type: string } } } | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = current._zod.def;
    if (def.type === 'array') return true;
    if (ARRAY_WRAPPERS.has(def.type)) current = def.innerType as typeof current;
    else if (def.type === 'pipe')
      current =
        (def.out as { _zod: { def: { type: string } } })._zod.def.type === 'transform'
          ? (def.in as typeof current)
          : (def.out as typeof current);
    else return false;
  }
  return false;
}

/**
 * Normalises a parsed form for a schema: CRLF → LF in every value; a field the schema declares as an
 * array is always an array (one checkbox ticked gives one string, none gives nothing), any other
 * field keeps its first value when the name is repeated. Files are dropped (no form takes one yet).
 */
export function normaliseForm(
  raw: Record<string, unknown>,
  shape: Record<string, z.ZodType> = {},
): FormValues {
  const out: FormValues = {};
  const clean = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n') : undefined);
  for (const [key, value] of Object.entries(raw)) {
    const name = key.endsWith('[]') ? key.slice(0, -2) : key;
    const list = (Array.isArray(value) ? value : [value]).map(clean).filter((v) => v !== undefined);
    if (expectsArray(shape[name])) out[name] = list;
    else if (list.length > 0) out[name] = list[0]!;
  }
  for (const [name, schema] of Object.entries(shape))
    if (!(name in out) && expectsArray(schema)) out[name] = [];
  return out;
}

/** `themes.2` → `themes`: one message per form field (the first), as the page shows one per field. */
export function collapseToFields(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) out[key.split('.')[0]!] ??= message;
  return out;
}

/** Orders field errors as the fields are listed (`themes.0` follows `themes`), unknown keys last. */
export function errorsInOrder(errors: FieldErrors, fields: readonly string[]): FieldErrors {
  const rank = (key: string) => {
    const index = fields.indexOf(key.split('.')[0]!);
    return index === -1 ? fields.length : index;
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The one form pipeline: a middleware that reads an urlencoded or multipart body (400 if it is
 * malformed), normalises it ({@link normaliseForm}), validates it with `schema`, and
 * - on invalid input, answers `render(c, { values, errors, status: 422 })` — the page again, with a
 *   French message per field in field order (the page title gets « Erreur — » from `renderPage`);
 * - on valid input, hands `c.req.valid('form')` to the handler; if the handler (or the domain code
 *   it calls) then throws an {@link AppError} carrying `fields` (a SIRET already registered, a
 *   taken slug…), the same `render` shows those messages with the error's status (409 or 422).
 * Handlers never read `parseBody` themselves. `fields` names the form's fields in display order when
 * it differs from the schema's order (or when errors must be moved to another field name).
 *
 * @example
 * const renderInvite: FormRenderer = (c, { values, errors, status }) =>
 *   renderPage(c, { title: 'Inviter', status }, <InvitePage values={values} errors={errors} />);
 *
 * app.post('/organisations/:id/invitations', validForm(invitationSchema, renderInvite), async (c) => {
 *   const { email, role } = c.req.valid('form'); // trimmed, typed, free of control characters
 *   await invite(…, { email, role });           // a ValidationError here re-renders the form too
 *   return c.redirect('…', 303);
 * });
 */
export function validForm<T extends z.ZodObject, P extends string = string>(
  schema: T,
  render: FormRenderer,
  options: {
    fields?: readonly string[];
    mapErrors?: (errors: FieldErrors) => FieldErrors;
    /**
     * Runs before validation on every submission, for what needs the database (resolving a typed
     * commune to its code, say): may rewrite values and add field errors, shown together with the
     * schema's (its own win for the same field).
     */
    prepare?: (
      c: AppContext,
      values: FormValues,
    ) => Promise<FieldErrors | undefined> | FieldErrors | undefined;
  } = {},
): MiddlewareHandler<
  AppEnv,
  P,
  { in: { form: Record<string, string | string[]> }; out: { form: z.output<T> } }
> {
  const fields = options.fields ?? Object.keys(schema.shape);
  const order = (errors: FieldErrors) =>
    errorsInOrder(collapseToFields(options.mapErrors ? options.mapErrors(errors) : errors), fields);
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    let raw: Record<string, unknown>;
    try {
      raw = await c.req.parseBody({ all: true });
    } catch (error) {
      // The body limit (413) and other HTTP answers raised while reading keep their status.
      if (error instanceof AppError || error instanceof HTTPException) throw error;
      throw new BadRequest(MALFORMED_FORM);
    }
    const values = normaliseForm(raw, schema.shape as Record<string, z.ZodType>);
    const prepared = (await options.prepare?.(c, values)) ?? {};
    const result = await schema.safeParseAsync(values);
    if (!result.success || Object.keys(prepared).length > 0) {
      const errors = { ...(result.success ? {} : fieldErrors(result.error)), ...prepared };
      return render(c, { values, errors: order(errors), status: 422 });
    }
    c.req.addValidatedData('form', result.data as Record<string, unknown>);
    await next();
    const err = c.error;
    if (err instanceof AppError && err.fields && (err.status === 409 || err.status === 422)) {
      c.error = undefined;
      c.res = await render(c, { values, errors: order(err.fields), status: err.status });
    }
  };
  return middleware as MiddlewareHandler<
    AppEnv,
    P,
    { in: { form: Record<string, string | string[]> }; out: { form: z.output<T> } }
  >;
}
