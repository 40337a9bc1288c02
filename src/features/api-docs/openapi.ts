import * as z from 'zod';
import { alertOperations } from '../alerts/openapi.ts';
import { amiFileOperations } from '../ami/files-openapi.ts';
import { laureateOperations } from '../ami/laureats-openapi.ts';
import { amiApplicantOperations } from '../ami/openapi.ts';
import { signInInput, signUpInput } from '../auth/schemas.ts';
import { communeSearchQuery } from '../geo/schemas.ts';
import { instructionOperations } from '../instruction/openapi.ts';
import { waveOperations } from '../instruction/waves-openapi.ts';
import { listingOperations } from '../listings/openapi.ts';
import { photoOperations } from '../listings/photos-openapi.ts';
import { listingSearchOperations } from '../listings/search-openapi.ts';
import { matchingOperations } from '../matching/openapi.ts';
import { moderationOperations } from '../moderation/openapi.ts';
import { invitationOutput, organisationOutput, organisationPageOutput } from '../organisations/output.ts';
import {
  invitationSchema,
  organisationCreateSchema,
  organisationListQuery,
  organisationPatchSchema,
} from '../organisations/schemas.ts';
import {
  poleCreateInput,
  poleMemberInput,
  poleMemberOutput,
  poleOutput,
  polePageOutput,
  poleSearchQuery,
  poleUpdateInput,
} from '../poles/schemas.ts';
import { poleStatusEventsOutput, poleStatusInput } from '../poles/status.ts';
import { threadOperations } from '../threads/openapi.ts';
import type { Operation } from './operation.ts';
import {
  accountDeletedOutput,
  accountExportOutput,
  communeListOutput,
  meOutput,
  openApiOutput,
  userOutput,
} from './responses.ts';

const idParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'integer', minimum: 1 },
});

/**
 * Every route under /api/ that the app serves, described from the same zod schemas the handlers
 * validate with. test/integration/openapi.test.ts compares this table with the app's routes (both
 * ways) and real responses with the `output` schemas: a route added without its entry fails it.
 */
const CORE_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    tag: 'docs',
    summary: 'This document',
    ok: { 200: 'OpenAPI 3.0 document' },
    output: openApiOutput,
  },
  {
    method: 'post',
    path: '/api/v1/auth/signup',
    tag: 'auth',
    summary: 'Create an account (signs it in, emails a verification link)',
    body: signUpInput,
    ok: { 201: 'Account created' },
    output: userOutput,
    errors: [409, 422, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/login',
    tag: 'auth',
    summary: 'Sign in (sets the session cookie)',
    body: signInInput,
    ok: { 200: 'Signed in' },
    output: userOutput,
    errors: [401, 422, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    tag: 'auth',
    summary: 'Sign out (ends the session)',
    ok: { 204: 'Signed out' },
  },
  {
    method: 'get',
    path: '/api/v1/me',
    tag: 'auth',
    auth: 'required',
    summary: 'The signed-in account and its organisations',
    ok: { 200: 'Account' },
    output: meOutput,
  },
  {
    method: 'get',
    path: '/api/v1/me/export',
    tag: 'auth',
    auth: 'required',
    summary: 'Everything held about the account (RGPD)',
    ok: { 200: 'Export' },
    output: accountExportOutput,
  },
  {
    method: 'delete',
    path: '/api/v1/me',
    tag: 'auth',
    auth: 'required',
    summary: 'Delete the account (organisations with no other member are deleted)',
    ok: { 200: 'Deleted' },
    output: accountDeletedOutput,
  },
  {
    method: 'get',
    path: '/api/v1/communes',
    tag: 'geo',
    summary: 'Communes by name or postal code prefix, best matches first',
    query: communeSearchQuery,
    ok: { 200: '{ items: Commune[] }' },
    output: communeListOutput,
    errors: [400],
  },
  {
    method: 'get',
    path: '/api/v1/organisations',
    tag: 'organisations',
    auth: 'optional',
    summary: 'Search organisations (words, kind, theme, territory, radius around a commune)',
    query: organisationListQuery,
    ok: {
      200: '{ items, total, page, perPage, totalCapped? } — items carry distanceKm when commune is given; totalCapped: true when total is a lower bound (counts stop at 10,000)',
    },
    output: organisationPageOutput,
    errors: [400],
  },
  {
    method: 'post',
    path: '/api/v1/organisations',
    tag: 'organisations',
    auth: 'required',
    summary: 'Create an organisation (the requester becomes its owner)',
    body: organisationCreateSchema,
    ok: { 201: 'Organisation' },
    output: organisationOutput,
    errors: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/organisations/{id}',
    tag: 'organisations',
    auth: 'optional',
    summary: 'One organisation (contactEmail only for signed-in users)',
    ok: { 200: 'Organisation' },
    output: organisationOutput,
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/organisations/{id}',
    tag: 'organisations',
    auth: 'required',
    summary: 'Change an organisation (owner or editor); stale version → 409',
    body: organisationPatchSchema,
    ok: { 200: 'Organisation' },
    output: organisationOutput,
    errors: [403, 404, 409, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/organisations/{id}',
    tag: 'organisations',
    auth: 'required',
    summary: 'Delete an organisation (owner); refused (409) while it alone coordinates a pôle',
    ok: { 204: 'Deleted' },
    errors: [403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/organisations/{id}/invitations',
    tag: 'organisations',
    auth: 'required',
    summary: 'Invite someone by email to manage the organisation (owner); the link is emailed; rate-limited',
    body: invitationSchema,
    ok: { 201: 'Invitation created' },
    output: invitationOutput,
    errors: [403, 404, 422, 429],
  },
  {
    method: 'get',
    path: '/api/v1/poles',
    tag: 'poles',
    summary: 'Search pôles (words, theme, territory, status, radius around a commune)',
    query: poleSearchQuery,
    ok: {
      200: '{ items, total, page, perPage, totalCapped? } — totalCapped: true when total is a lower bound',
    },
    output: polePageOutput,
    errors: [400],
  },
  {
    method: 'post',
    path: '/api/v1/poles',
    tag: 'poles',
    auth: 'required',
    summary: 'Create a pôle coordinated by one of the requester’s organisations',
    body: poleCreateInput,
    ok: { 201: 'Pôle' },
    output: poleOutput,
    errors: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/poles/{id}',
    tag: 'poles',
    summary: 'One pôle with its members and PTCE-definition composition',
    ok: { 200: 'Pôle' },
    output: poleOutput,
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/poles/{id}',
    tag: 'poles',
    auth: 'required',
    summary:
      'Change a pôle (coordinator or staff); stale version → 409; `status` is refused (422): see POST /api/v1/poles/{id}/status',
    body: poleUpdateInput,
    ok: { 200: 'Pôle' },
    output: poleOutput,
    errors: [403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/poles/{id}/status',
    tag: 'poles',
    auth: 'required',
    summary:
      'Staff: change a pôle’s status (emerging, established) with a reason, recorded in its history; `laureate` only through an AMI selection (422); stale version → 409',
    body: poleStatusInput,
    ok: { 200: 'Pôle' },
    output: poleOutput,
    errors: [403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/poles/{id}/status-events',
    tag: 'poles',
    summary: 'A pôle’s status history, oldest first (who made each change: staff viewers only)',
    ok: { 200: '{ items }' },
    output: poleStatusEventsOutput,
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/poles/{id}/members',
    tag: 'poles',
    auth: 'required',
    summary:
      'Coordinator: invite an organisation (it accepts); staff: add it directly (recorded); its owner/editor: request to join',
    body: poleMemberInput,
    ok: { 200: 'Membership', 201: 'Membership created' },
    output: poleMemberOutput,
    errors: [403, 404, 409, 422, 429],
  },
  {
    method: 'delete',
    path: '/api/v1/poles/{id}/members/{organisationId}',
    tag: 'poles',
    auth: 'required',
    summary: 'Leave the pôle (the organisation) or remove it (the coordinator)',
    ok: { 204: 'Removed' },
    errors: [403, 404, 409],
  },
];

/** Every operation: the core table above, then each feature's own table. */
const OPERATIONS: Operation[] = [
  ...CORE_OPERATIONS,
  ...listingOperations,
  ...listingSearchOperations,
  ...photoOperations,
  ...amiFileOperations,
  ...threadOperations,
  ...alertOperations,
  ...matchingOperations,
  ...moderationOperations,
  ...waveOperations,
  ...laureateOperations,
  ...amiApplicantOperations,
  ...instructionOperations,
];

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (query parameters)',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict (duplicate, or stale version)',
  413: 'Body too large',
  422: 'Validation failed: one message per field',
  429: 'Too many attempts',
};

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  $ref?: string;
};

/**
 * Converts a zod schema to an OpenAPI 3.0 schema. Schemas registered with `.meta({ id })` come back
 * as `$ref`s: their definitions are moved to `components.schemas` and the refs rewritten.
 */
function toSchema(
  schema: z.ZodType,
  components: Record<string, unknown>,
  io: 'input' | 'output' = 'input',
): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'openapi-3.0',
  }) as JsonSchema & {
    definitions?: Record<string, unknown>;
  };
  const { definitions, ...rest } = json;
  const rewrite = <T>(value: T): T =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/definitions/', '"#/components/schemas/')) as T;
  for (const [id, definition] of Object.entries(definitions ?? {})) components[id] = rewrite(definition);
  return rewrite(rest);
}

/** The properties of an object schema, following a top-level `$ref` into the components. */
function objectOf(schema: JsonSchema, components: Record<string, unknown>): JsonSchema {
  const id = schema.$ref?.replace('#/components/schemas/', '');
  return id ? (components[id] as JsonSchema) : schema;
}

function queryParameters(schema: z.ZodType, components: Record<string, unknown>) {
  const json = objectOf(toSchema(schema, components), components);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) =>
    idParam(
      name!,
      name === 'id'
        ? 'Identifier'
        : name === 'photoId'
          ? 'Photo identifier'
          : name === 'attachmentId'
            ? 'Attachment identifier'
            : 'Organisation identifier',
    ),
  );
}

let cached: object | undefined;

/** The OpenAPI 3 document of the JSON API, generated from the zod schemas (built once). */
export function openApiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  for (const op of OPERATIONS) {
    const errors = [
      ...new Set([...(op.errors ?? []), ...(op.auth === 'required' ? [401] : []), ...(op.body ? [413] : [])]),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(op.ok)) {
      responses[status] =
        op.outputFile && status !== '204'
          ? { description, content: { [op.outputFile]: { schema: { type: 'string', format: 'binary' } } } }
          : op.output && status !== '204'
            ? {
                description,
                content: { 'application/json': { schema: toSchema(op.output, schemas, 'output') } },
              }
            : { description };
    }
    for (const status of errors.sort()) {
      responses[status] = {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      tags: [op.tag],
      parameters: [...pathParameters(op.path), ...(op.query ? queryParameters(op.query, schemas) : [])],
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { [op.bodyType ?? 'application/json']: { schema: toSchema(op.body, schemas) } },
            },
          }
        : {}),
      ...(op.auth === 'required' ? { security: [{ session: [] }, { bearer: [] }] } : {}),
      responses,
    };
  }
  cached = {
    openapi: '3.0.3',
    info: {
      title: 'ptce-hub API',
      version: '1',
      description:
        'JSON API of ptce-hub. Authenticate with the session cookie (after /api/v1/auth/login) or a personal API token created on the account page: `Authorization: Bearer ptce_…`. Errors: `{ "error": { "code", "message", "fields"? } }`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        // The name sessionCookieName() sets: `__Host-` prefixed (and Secure) everywhere but on
        // plain-HTTP localhost, where browsers refuse that prefix and it is `ptce_session`.
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Host-ptce_session',
          description: 'Session cookie set by /api/v1/auth/login (`ptce_session` on http://localhost).',
        },
        bearer: { type: 'http', scheme: 'bearer' },
      },
      schemas: {
        ...schemas,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                fields: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
  return cached;
}
