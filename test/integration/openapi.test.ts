import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

/** A fresh app (database copy and clock) for every test. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('GET /api/v1/openapi.json', () => {
  it('describes every API route with schemas generated from zod', async () => {
    const res = await t.app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/signup',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'GET /api/v1/me',
        'GET /api/v1/communes',
        'GET /api/v1/organisations',
        'POST /api/v1/organisations',
        'GET /api/v1/organisations/{id}',
        'PATCH /api/v1/organisations/{id}',
        'GET /api/v1/poles',
        'POST /api/v1/poles',
        'GET /api/v1/poles/{id}',
        'PATCH /api/v1/poles/{id}',
        'POST /api/v1/poles/{id}/members',
        'DELETE /api/v1/poles/{id}/members/{organisationId}',
      ]),
    );
    const resolve = (schema: { $ref?: string }) =>
      schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
    const createOrg = resolve(
      doc.paths['/api/v1/organisations'].post.requestBody.content['application/json'].schema,
    );
    for (const field of [
      'siret',
      'name',
      'kind',
      'legalForm',
      'nafCode',
      'themes',
      'communeCode',
      'description',
      'website',
      'contactEmail',
    ]) {
      expect(createOrg.properties).toHaveProperty(field);
    }
    expect(createOrg.properties.kind.enum).toContain('local_authority');
    const patchPole = resolve(
      doc.paths['/api/v1/poles/{id}'].patch.requestBody.content['application/json'].schema,
    );
    expect(patchPole.properties).toHaveProperty('version');
    const listOrgs = doc.paths['/api/v1/organisations'].get.parameters.map((p: { name: string }) => p.name);
    expect(listOrgs).toEqual(
      expect.arrayContaining([
        'q',
        'kind',
        'theme',
        'departement',
        'region',
        'commune',
        'radiusKm',
        'page',
        'perPage',
      ]),
    );
    expect(
      doc.paths['/api/v1/organisations'].post.responses['422'].content['application/json'].schema.$ref,
    ).toBe('#/components/schemas/Error');
  });
});
