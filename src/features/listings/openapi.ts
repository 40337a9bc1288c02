import type { Operation } from '../api-docs/operation.ts';

/** The OpenAPI entries of the listings (CRUD, lifecycle, search) routes (joined in api-docs/openapi.ts). */
export const listingOperations: Operation[] = [];
