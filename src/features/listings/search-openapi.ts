import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';
import { listingOutput } from './output.ts';
import { listingListQuery } from './search-schemas.ts';

const listingPageOutput = z.object({
  items: z.array(listingOutput),
  total: z.int(),
  totalCapped: z.boolean().optional(),
  page: z.int(),
  perPage: z.int(),
});

/** The OpenAPI entries of the listing search (joined in api-docs/openapi.ts). */
export const listingSearchOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/listings',
    tag: 'listings',
    auth: 'optional',
    summary:
      'Search published, unexpired listings (French-aware words, type, category, theme, organisation kind, pôle, territory, commune + radius, terms, availability; sort relevance, distance or recent)',
    query: listingListQuery,
    ok: {
      200: '{ items, total, page, perPage, totalCapped? } — items carry distanceKm when commune is given (nearest first by default); totalCapped: true when total is a lower bound (counts stop at 10,000)',
    },
    output: listingPageOutput,
    errors: [400],
  },
];
