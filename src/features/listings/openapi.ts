import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';
import { listingOutput } from './output.ts';
import { listingCloseInput, listingCreateInput, listingPatchInput, listingPublishInput } from './schemas.ts';
import { listingListQuery } from './search.ts';

const listingPageOutput = z.object({
  items: z.array(listingOutput),
  total: z.number().int(),
  totalCapped: z.boolean().optional(),
  page: z.number().int(),
  perPage: z.number().int(),
  sort: z.enum(['relevance', 'distance', 'recent']),
});

/** The OpenAPI entries of the listings (CRUD, lifecycle, search) routes (joined in api-docs/openapi.ts). */
export const listingOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/listings',
    tag: 'listings',
    auth: 'optional',
    summary:
      'Search published listings (French-aware words, type, category, theme, kind, pôle, territory, radius around a commune, terms, availability)',
    query: listingListQuery,
    ok: { 200: '{ items, total, page, perPage, sort, totalCapped? } — items carry distanceKm when commune is given' },
    output: listingPageOutput,
    errors: [400],
  },
  {
    method: 'post',
    path: '/api/v1/listings',
    tag: 'listings',
    auth: 'required',
    summary:
      'Create a listing (a draft unless publish: true) for one of your organisations, or on behalf of a member of a pôle your organisation coordinates',
    body: listingCreateInput,
    ok: { 201: 'Listing' },
    output: listingOutput,
    errors: [403, 422],
  },
  {
    method: 'get',
    path: '/api/v1/listings/{id}',
    tag: 'listings',
    auth: 'optional',
    summary: 'One listing (drafts, closed and unpublished ones only for their organisation and staff)',
    ok: { 200: 'Listing' },
    output: listingOutput,
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/listings/{id}',
    tag: 'listings',
    auth: 'required',
    summary: 'Change a listing (its organisation’s members); stale version → 409',
    body: listingPatchInput,
    ok: { 200: 'Listing' },
    output: listingOutput,
    errors: [403, 404, 409, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/listings/{id}',
    tag: 'listings',
    auth: 'required',
    summary: 'Delete a listing nobody answered (else 409: close it)',
    ok: { 204: 'Deleted' },
    errors: [403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/listings/{id}/publish',
    tag: 'listings',
    auth: 'required',
    summary: 'Publish a draft, or renew a published or closed listing (expires 90 days later)',
    body: listingPublishInput,
    ok: { 200: 'Listing' },
    output: listingOutput,
    errors: [403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/listings/{id}/close',
    tag: 'listings',
    auth: 'required',
    summary: 'Close a listing (fulfilled or withdrawn); it leaves search',
    body: listingCloseInput,
    ok: { 200: 'Listing' },
    output: listingOutput,
    errors: [403, 404, 409, 422],
  },
];
