import type * as z from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Operation {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** `required`: 401 without a session cookie or bearer token. */
  auth?: 'required' | 'optional';
  query?: z.ZodType;
  body?: z.ZodType;
  /** The body's media type (default `application/json`). */
  bodyType?: 'application/json' | 'multipart/form-data';
  /** Status → description of the success responses (errors are added from `errors`). */
  ok: Record<number, string>;
  /** Body of the success responses with content (every status of `ok` but 204). */
  output?: z.ZodType;
  /** A success response that is a file, not JSON (its media type; `output` is then unused). */
  outputFile?: 'application/pdf' | 'application/octet-stream' | 'text/csv';
  errors?: number[];
}
