import type { Operation } from '../api-docs/operation.ts';
import { moderationQuery, reportGroupsOutput, reportInput, reportOutput, unpublishInput } from './schemas.ts';

/** The OpenAPI entries of the reports and moderation routes (joined in api-docs/openapi.ts). */
export const moderationOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/listings/{id}/reports',
    tag: 'moderation',
    auth: 'required',
    summary: 'Report a published listing to the moderation team (reason, optional note ≤ 1,000)',
    body: reportInput,
    ok: { 201: 'Report' },
    output: reportOutput,
    errors: [403, 404, 409, 422, 429],
  },
  {
    method: 'get',
    path: '/api/v1/moderation/reports',
    tag: 'moderation',
    auth: 'required',
    summary: 'Staff: listings with open reports, the earliest reported first, with their moderation history',
    query: moderationQuery,
    ok: { 200: '{ items, total, page, perPage }' },
    output: reportGroupsOutput,
    errors: [400, 403],
  },
  {
    method: 'post',
    path: '/api/v1/moderation/reports/{id}/dismiss',
    tag: 'moderation',
    auth: 'required',
    summary: 'Staff: dismiss an open report (recorded)',
    ok: { 200: 'Report' },
    output: reportOutput,
    errors: [403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/listings/{id}/unpublish',
    tag: 'moderation',
    auth: 'required',
    summary: 'Staff: unpublish a listing with a reason (its organisation owners are emailed; recorded)',
    body: unpublishInput,
    ok: { 204: 'Unpublished' },
    errors: [403, 404, 409, 422],
  },
];
