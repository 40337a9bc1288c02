import * as z from 'zod';
import type { Operation } from '../api-docs/operation.ts';
import { messageBody, responseBody, statusBody } from './schemas.ts';

const thread = z.looseObject({
  id: z.number(),
  listingId: z.number(),
  ownerOrganisationId: z.number(),
  responderOrganisationId: z.number(),
  status: z.enum(['open', 'accepted', 'declined', 'concluded']),
  version: z.number(),
});
const threadOutput = z.object({ thread });
const message = z.looseObject({
  id: z.number(),
  organisationId: z.number(),
  body: z.string(),
  createdAt: z.string(),
});

/** The OpenAPI entries of the answers to listings (threads) routes (joined in api-docs/openapi.ts). */
export const threadOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/listings/{id}/responses',
    tag: 'threads',
    auth: 'required',
    summary: 'Answer a public listing on behalf of one of my organisations (opens or reopens the thread)',
    body: responseBody,
    ok: { 201: 'Thread opened', 200: 'Existing thread, message added' },
    output: threadOutput,
    errors: [401, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/api/v1/threads',
    tag: 'threads',
    auth: 'required',
    summary: 'My organisations’ threads, unread first',
    ok: { 200: 'Threads' },
    output: z.object({ items: z.array(z.looseObject({ id: z.number(), unread: z.number() })) }),
    errors: [401],
  },
  {
    method: 'get',
    path: '/api/v1/threads/{id}',
    tag: 'threads',
    auth: 'required',
    summary: 'A thread and its messages (both sides’ members only)',
    ok: { 200: 'Thread' },
    output: threadOutput,
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/threads/{id}/messages',
    tag: 'threads',
    auth: 'required',
    summary: 'Write in a thread',
    body: messageBody,
    ok: { 201: 'Message' },
    output: z.object({ message }),
    errors: [401, 403, 404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/threads/{id}/status',
    tag: 'threads',
    auth: 'required',
    summary: 'Accept or decline (listing side), conclude with an outcome (either side); versioned',
    body: statusBody,
    ok: { 200: 'Thread' },
    output: threadOutput,
    errors: [401, 403, 404, 409, 422],
  },
];
