import type { Operation } from '../api-docs/operation.ts';

/** The OpenAPI entries of the listing photos routes (joined in api-docs/openapi.ts). */
export const photoOperations: Operation[] = [];
