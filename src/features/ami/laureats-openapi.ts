import type { Operation } from '../api-docs/operation.ts';
import { laureatesOutput, laureatesQuery } from './laureats.ts';

/** The OpenAPI entry of the public lauréats list (joined in api-docs/openapi.ts). */
export const laureateOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/ami/laureats',
    tag: 'ami',
    summary:
      'Public: the selected dossiers (pôle or project name, lead organisation’s commune and région, wave, amount granted in euros), the latest wave first',
    query: laureatesQuery,
    ok: { 200: '{ items, total, page, perPage }' },
    output: laureatesOutput,
    errors: [400],
  },
];
