import type { Operation } from '../api-docs/operation.ts';
import { listingMatchesOutput, matchQuery, organisationMatchesOutput } from './schemas.ts';

/** The OpenAPI entries of partner suggestions (joined in api-docs/openapi.ts). */
export const matchingOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/organisations/{id}/matches',
    tag: 'matching',
    auth: 'required',
    summary:
      'Suggested partners of one of my organisations, best first, with their reasons (its members only: they reveal commercial intent)',
    query: matchQuery,
    ok: { 200: 'Suggestions' },
    output: organisationMatchesOutput,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/organisations/{id}/matches/{candidateId}/dismiss',
    tag: 'matching',
    auth: 'required',
    summary: 'Never suggest this organisation again (a negative signal; idempotent)',
    ok: { 204: 'Dismissed' },
    errors: [401, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/api/v1/listings/{id}/matches',
    tag: 'matching',
    auth: 'required',
    summary:
      'Listings of other organisations that answer this one (offers for a need, needs for an offer), best first; its organisation’s members only',
    query: matchQuery,
    ok: { 200: 'Suggestions, each with its best listing' },
    output: listingMatchesOutput,
    errors: [400, 401, 403, 404],
  },
];
