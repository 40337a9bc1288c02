import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';
import { savedSearchCreateInput, savedSearchOutput, savedSearchUpdateInput } from './saved-searches.ts';

/** The OpenAPI entries of the saved searches and alerts routes (joined in api-docs/openapi.ts). */
export const alertOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/saved-searches',
    tag: 'saved-searches',
    auth: 'required',
    summary: 'Your saved listing searches',
    ok: { 200: '{ items }' },
    output: z.object({ items: z.array(savedSearchOutput) }),
    errors: [403],
  },
  {
    method: 'post',
    path: '/api/v1/saved-searches',
    tag: 'saved-searches',
    auth: 'required',
    summary:
      'Save a listing search (query: the /annonces query string, normalised, ≤ 2,000 characters; 50 per user); alerts on by default (daily digest)',
    body: savedSearchCreateInput,
    ok: { 201: 'Saved search' },
    output: savedSearchOutput,
    errors: [403, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/saved-searches/{id}',
    tag: 'saved-searches',
    auth: 'required',
    summary: 'One of your saved searches',
    ok: { 200: 'Saved search' },
    output: savedSearchOutput,
    errors: [403, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/saved-searches/{id}',
    tag: 'saved-searches',
    auth: 'required',
    summary: 'Rename a saved search or turn its alerts on or off',
    body: savedSearchUpdateInput,
    ok: { 200: 'Saved search' },
    output: savedSearchOutput,
    errors: [403, 404, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/saved-searches/{id}',
    tag: 'saved-searches',
    auth: 'required',
    summary: 'Delete a saved search',
    ok: { 204: 'Deleted' },
    errors: [403, 404],
  },
];
