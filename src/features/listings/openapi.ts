import type { Operation } from '../api-docs/operation.ts';

/**
 * The OpenAPI entries of the listings CRUD and lifecycle routes (joined in api-docs/openapi.ts);
 * the search (`GET /api/v1/listings`) is in search-openapi.ts. Entries are added with their routes.
 */
export const listingOperations: Operation[] = [];
