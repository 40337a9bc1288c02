import { expect } from 'vitest';
import { jsonRequest } from './app.ts';
import type { TestUser } from './auth.ts';

type TestApp = Awaited<ReturnType<typeof import('./app.ts').createTestApp>>;

/** A pôle coordinated by `organisationId`, declared through the API by `coordinator` (at Voiron). */
export async function createPoleViaApi(
  t: TestApp,
  coordinator: TestUser,
  organisationId: number,
  name = 'Pôle Voironnais',
): Promise<{ id: number; slug: string }> {
  const res = await t.app.request(
    '/api/v1/poles',
    jsonRequest(
      'POST',
      { name, communeCode: '38563', organisationId },
      { authorization: coordinator.bearer },
    ),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; slug: string };
}
