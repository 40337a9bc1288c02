import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';
import { listingOutput } from './output.ts';
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
    ok: {
      200: '{ items, total, page, perPage, sort, totalCapped? } — items carry distanceKm when commune is given',
    },
    output: listingPageOutput,
    errors: [400],
  },
];
