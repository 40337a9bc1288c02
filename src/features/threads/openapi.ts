import type { Operation } from '../api-docs/operation.ts';

/** The OpenAPI entries of the answers to listings (threads) routes (joined in api-docs/openapi.ts). */
export const threadOperations: Operation[] = [];
