import type { Operation } from '../api-docs/operation.ts';

/** The OpenAPI entries of the reports and moderation routes (joined in api-docs/openapi.ts). */
export const moderationOperations: Operation[] = [];
