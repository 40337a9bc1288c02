import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  accountDeletedOutput,
  accountExportOutput,
  communeListOutput,
  meOutput,
  openApiOutput,
  userOutput,
} from '../../src/features/api-docs/responses.ts';
import {
  invitationOutput,
  organisationOutput,
  organisationPageOutput,
} from '../../src/features/organisations/output.ts';
import { poleMemberOutput, poleOutput, polePageOutput } from '../../src/features/poles/schemas.ts';
import { createTestApp, jsonRequest, type TestApp } from '../support/app.ts';
import { createSignedInUser } from '../support/auth.ts';
import { testSiret } from '../support/fixtures.ts';

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

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
  components: { securitySchemes: Record<string, { name?: string }> };
}

async function openApi(): Promise<Document> {
  return (await t.app.request('/api/v1/openapi.json')).json();
}

/** `METHOD /path` of every route the app serves under /api/, path parameters written `{name}`. */
function servedApiRoutes(app: TestApp['app']): string[] {
  const routes = app.routes
    // Middleware (`use('/api/*')`) is not a route.
    .filter((route) => route.path.startsWith('/api/') && !route.path.endsWith('*'))
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

function documentedRoutes(doc: Document): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

describe('the document cannot drift from the app', () => {
  it('documents every /api/ route the app serves, and only those', async () => {
    const served = servedApiRoutes(t.app);
    expect(served.length).toBeGreaterThan(15);
    expect(served).toContain('GET /api/v1/organisations/{id}');
    const documented = documentedRoutes(await openApi());
    // Each list names the routes to fix: add the route to src/features/api-docs/openapi.ts, or remove it.
    expect({
      servedButUndocumented: served.filter((route) => !documented.includes(route)),
      documentedButNotServed: documented.filter((route) => !served.includes(route)),
    }).toEqual({ servedButUndocumented: [], documentedButNotServed: [] });
  });

  it('gives every success response with a body its schema', async () => {
    const doc = await openApi();
    const missing = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.entries(operation.responses)
          .filter(([status, response]) => status.startsWith('2') && status !== '204' && !response.content)
          .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('names the session cookie the server sets outside localhost', async () => {
    const doc = await openApi();
    const res = await t.app.request(
      'https://ptce.example.gouv.fr/api/v1/auth/signup',
      jsonRequest('POST', { email: 'cookie@example.org', password: 'une phrase de passe longue', name: 'C' }),
    );
    expect(res.status).toBe(201);
    const cookieName = (res.headers.get('set-cookie') ?? '').split('=')[0];
    expect(doc.components.securitySchemes.session?.name).toBe(cookieName);
  });
});

describe('real responses match the documented schemas', () => {
  /** The body parses with the schema and loses nothing to it: no field missing, none undocumented. */
  async function matches(res: Response, status: number, schema: z.ZodType) {
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(schema.parse(body)).toEqual(body);
    return body;
  }

  it('accounts and communes', async () => {
    await matches(await t.app.request('/api/v1/openapi.json'), 200, openApiOutput);
    await matches(await t.app.request('/api/v1/communes?q=voiron'), 200, communeListOutput);
    const credentials = { email: 'schema@example.org', password: 'une phrase de passe longue' };
    await matches(
      await t.app.request('/api/v1/auth/signup', jsonRequest('POST', { ...credentials, name: 'Schéma' })),
      201,
      userOutput,
    );
    await matches(
      await t.app.request('/api/v1/auth/login', jsonRequest('POST', credentials)),
      200,
      userOutput,
    );
    const user = await createSignedInUser(t);
    const auth = { authorization: user.bearer };
    await matches(await t.app.request('/api/v1/me', { headers: auth }), 200, meOutput);
    await matches(await t.app.request('/api/v1/me/export', { headers: auth }), 200, accountExportOutput);
    await matches(
      await t.app.request('/api/v1/me', jsonRequest('DELETE', undefined, auth)),
      200,
      accountDeletedOutput,
    );
  });

  it('organisations and pôles', async () => {
    const user = await createSignedInUser(t);
    const auth = { authorization: user.bearer };
    const body = (name: string) => ({
      siret: testSiret(),
      name,
      kind: 'ess',
      legalForm: 'association',
      communeCode: '38563',
      themes: ['insertion'],
      contactEmail: 'contact@example.org',
    });
    const created = await matches(
      await t.app.request('/api/v1/organisations', jsonRequest('POST', body('Régie de Voiron'), auth)),
      201,
      organisationOutput,
    );
    const path = `/api/v1/organisations/${created.id}`;
    await matches(await t.app.request(path), 200, organisationOutput);
    await matches(await t.app.request(path, { headers: auth }), 200, organisationOutput);
    await matches(
      await t.app.request(path, jsonRequest('PATCH', { version: 1, name: 'Régie du Voironnais' }, auth)),
      200,
      organisationOutput,
    );
    await matches(
      await t.app.request(
        `${path}/invitations`,
        jsonRequest('POST', { email: 'invitee@example.org', role: 'editor' }, auth),
      ),
      201,
      invitationOutput,
    );
    const around = await matches(
      await t.app.request('/api/v1/organisations?commune=38563', { headers: auth }),
      200,
      organisationPageOutput,
    );
    expect(around.items[0]).toHaveProperty('distanceKm');

    const other = await matches(
      await t.app.request('/api/v1/organisations', jsonRequest('POST', body('Menuiserie'), auth)),
      201,
      organisationOutput,
    );
    const pole = await matches(
      await t.app.request(
        '/api/v1/poles',
        jsonRequest('POST', { name: 'Pôle schéma', communeCode: '38563', organisationId: created.id }, auth),
      ),
      201,
      poleOutput,
    );
    await matches(await t.app.request(`/api/v1/poles/${pole.id}`), 200, poleOutput);
    await matches(
      await t.app.request(
        `/api/v1/poles/${pole.id}`,
        jsonRequest('PATCH', { version: 1, themes: ['culture'] }, auth),
      ),
      200,
      poleOutput,
    );
    await matches(
      await t.app.request(
        `/api/v1/poles/${pole.id}/members`,
        jsonRequest('POST', { organisationId: other.id }, auth),
      ),
      201,
      poleMemberOutput,
    );
    const poles = await matches(await t.app.request('/api/v1/poles?commune=38563'), 200, polePageOutput);
    expect(poles.items).toHaveLength(1);
  });
});
