import type { Operation } from '../api-docs/operation.ts';

/** The OpenAPI entries of the saved searches and alerts routes (joined in api-docs/openapi.ts). */
export const alertOperations: Operation[] = [];
