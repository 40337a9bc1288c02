import type { Operation } from '../api-docs/operation.ts';
import { listingOutput } from './output.ts';
import { listingCloseInput, listingCreateInput, listingPatchInput, listingPublishInput } from './schemas.ts';

/**
 * The OpenAPI entries of the listings CRUD and lifecycle routes (joined in api-docs/openapi.ts);
 * the search (`GET /api/v1/listings`) is in search-openapi.ts, the photos in photos-openapi.ts.
 */
export const listingOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/listings',
    tag: 'listings',
    auth: 'required',
    summary:
      'Create a listing (an offer or a need) for one of your organisations, or — as the coordinator of its pôle — on behalf of a member (its owners are emailed); a draft unless `publish` is true',
    body: listingCreateInput,
    ok: { 201: 'Listing created (Location: its address)' },
    output: listingOutput,
    errors: [403, 415, 422],
  },
  {
    method: 'get',
    path: '/api/v1/listings/{id}',
    tag: 'listings',
    auth: 'optional',
    summary:
      'A listing: published and unexpired for anyone; drafts, closed and unpublished ones for its organisation’s members and staff only (404 otherwise)',
    ok: { 200: 'The listing' },
    output: listingOutput,
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/listings/{id}',
    tag: 'listings',
    auth: 'required',
    summary:
      'Edit a listing (any subset of its fields) at the `version` you read: a stale version is a 409 and changes nothing',
    body: listingPatchInput,
    ok: { 200: 'The edited listing (version + 1)' },
    output: listingOutput,
    errors: [403, 404, 409, 415, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/listings/{id}',
    tag: 'listings',
    auth: 'required',
    summary: 'Delete a listing nobody answered, with its photos (409 once answered: close it instead)',
    ok: { 204: 'Deleted' },
    errors: [403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/listings/{id}/publish',
    tag: 'listings',
    auth: 'required',
    summary: 'Publish a draft, or renew a published or closed listing for 90 days (body optional)',
    body: listingPublishInput,
    ok: { 200: 'The published listing' },
    output: listingOutput,
    errors: [403, 404, 409, 415, 422],
  },
  {
    method: 'post',
    path: '/api/v1/listings/{id}/close',
    tag: 'listings',
    auth: 'required',
    summary: 'Close a listing (`fulfilled` or `withdrawn`): it leaves search, its threads stay',
    body: listingCloseInput,
    ok: { 200: 'The closed listing' },
    output: listingOutput,
    errors: [403, 404, 409, 415, 422],
  },
  {
    method: 'post',
    path: '/api/v1/listings/{id}/take-over',
    tag: 'listings',
    auth: 'required',
    summary:
      'Take over a listing a pôle published on your organisation’s behalf: its coordinators can no longer edit it (body optional)',
    body: listingPublishInput,
    ok: { 200: 'The listing, now managed by your organisation only' },
    output: listingOutput,
    errors: [403, 404, 409, 415, 422],
  },
];
