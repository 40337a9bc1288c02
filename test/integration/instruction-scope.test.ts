import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/local.ts';
import { staffRegions, users } from '../../src/db/schema.ts';
import { createTestApp, formPost, removeDatabase, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { TMP_DIR } from '../support/paths.ts';

let t: TestApp;
let member: TestUser;
let instructor: TestUser;
let admin: TestUser;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    member = await createSignedInUser(seed, { name: 'Marc Membre' });
    instructor = await createSignedInUser(seed, { role: 'instructor', name: 'Inès Instructrice' });
    admin = await createSignedInUser(seed, { role: 'admin', name: 'Adèle Admin' });
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const page = (path: string, user?: TestUser) =>
  t.app.request(path, { headers: user ? { cookie: user.cookie } : {} });
const post = (path: string, body: Record<string, string>, user?: TestUser) =>
  t.app.request(path, formPost(body, user ? { cookie: user.cookie } : {}));
const regionsOf = async (userId: number) =>
  (await t.db.select().from(staffRegions).where(eq(staffRegions.userId, userId))).map((r) => r.region).sort();

describe('an instructor’s régions on the users page', () => {
  it.each([
    ['anonymous', undefined, 401],
    ['member', () => member, 403],
    ['instructor', () => instructor, 403],
    ['admin', () => admin, 303],
  ] as const)('POST régions as %s → %i', async (_label, user, status) => {
    const res = await post(`/admin/utilisateurs/${instructor.id}/regions`, { regions: '84' }, user?.());
    expect(res.status).toBe(status);
    expect(await regionsOf(instructor.id)).toEqual(status === 303 ? ['84'] : []);
  });

  it('sets, shows and clears them (blank: national)', async () => {
    const res = await post(
      `/admin/utilisateurs/${instructor.id}/regions`,
      { regions: ' 93, 84 ;84 ' },
      admin,
    );
    expect(res.headers.get('location')).toBe('/admin/utilisateurs?ok=regions');
    expect(await regionsOf(instructor.id)).toEqual(['84', '93']);
    const html = await (await page('/admin/utilisateurs?ok=regions', admin)).text();
    expect(html).toContain('Régions enregistrées.');
    expect(html).toContain('Auvergne-Rhône-Alpes, Provence-Alpes-Côte d’Azur');
    expect(html).toContain('value="84, 93"');
    await post(`/admin/utilisateurs/${instructor.id}/regions`, { regions: '' }, admin);
    expect(await regionsOf(instructor.id)).toEqual([]);
  });

  it('bad input: unknown codes, control characters, oversized, not an instructor, unknown account', async () => {
    let res = await post(`/admin/utilisateurs/${instructor.id}/regions`, { regions: '84, 99, abc' }, admin);
    expect(res.status).toBe(422);
    let html = await res.text();
    expect(html).toContain('Codes de région inconnus : « 99 », « abc »');
    expect(html).toContain('value="84, 99, abc"');
    res = await post(`/admin/utilisateurs/${instructor.id}/regions`, { regions: '84\u0000' }, admin);
    expect(res.status).toBe(422);
    res = await post(`/admin/utilisateurs/${instructor.id}/regions`, { regions: '8'.repeat(201) }, admin);
    expect(res.status).toBe(422);
    res = await post(`/admin/utilisateurs/${member.id}/regions`, { regions: '84' }, admin);
    expect(res.status).toBe(422);
    html = await res.text();
    expect(html).toContain('Seul un compte instructeur·rice a des régions');
    expect((await post('/admin/utilisateurs/99999/regions', { regions: '84' }, admin)).status).toBe(404);
    expect((await post('/admin/utilisateurs/abc/regions', { regions: '84' }, admin)).status).toBe(404);
    expect(await t.db.select().from(staffRegions)).toHaveLength(0);
  });

  it('another role drops the régions', async () => {
    await post(`/admin/utilisateurs/${instructor.id}/regions`, { regions: '84' }, admin);
    await post(`/admin/utilisateurs/${instructor.id}/role`, { role: 'member' }, admin);
    expect(await regionsOf(instructor.id)).toEqual([]);
  });
});

describe('staff landing and header', () => {
  const signIn = (user: TestUser, retour?: string) =>
    t.app.request(
      `/connexion${retour ? `?retour=${encodeURIComponent(retour)}` : ''}`,
      formPost({ email: user.email, password: user.password }),
    );

  it('staff land on /instruction after sign-in, members on /compte; a return path wins', async () => {
    expect((await signIn(instructor)).headers.get('location')).toBe('/instruction');
    expect((await signIn(admin)).headers.get('location')).toBe('/instruction');
    expect((await signIn(member)).headers.get('location')).toBe('/compte');
    expect((await signIn(instructor, '/poles')).headers.get('location')).toBe('/poles');
    expect((await page('/connexion', instructor)).headers.get('location')).toBe('/instruction');
  });

  it('the header shows « Instruction » to staff only', async () => {
    const link = 'href="/instruction"';
    expect(await (await page('/', instructor)).text()).toContain(link);
    expect(await (await page('/', admin)).text()).toContain(link);
    expect(await (await page('/', member)).text()).not.toContain(link);
    expect(await (await page('/')).text()).not.toContain(link);
  });
});

describe('npm run cli -- create-user --regions', () => {
  const cli = (path: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'create-user', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `file:${path}` },
      encoding: 'utf8',
    });
  const account = (email: string) => [
    '--email',
    email,
    '--password',
    'un mot de passe solide',
    '--name',
    'Régine',
  ];

  it('creates a regional instructor; refuses unknown régions and régions for another role; none: national', async () => {
    const path = join(TMP_DIR, `cli-${process.pid}-${Date.now()}.db`);
    copyFileSync(t.path, path);
    try {
      let run = cli(path, [...account('regine@example.org'), '--role', 'instructor', '--regions', '84,93']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('(régions 84, 93)');
      run = cli(path, [...account('x@example.org'), '--role', 'instructor', '--regions', '84,99']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('« 99 »');
      run = cli(path, [...account('y@example.org'), '--role', 'admin', '--regions', '84']);
      expect(run.status).toBe(2);
      run = cli(path, [...account('n@example.org'), '--role', 'instructor']);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('(national)');
      const { client, db } = await openDatabase(`file:${path}`);
      const [regine] = await db.select().from(users).where(eq(users.email, 'regine@example.org'));
      const rows = await db.select().from(staffRegions).where(eq(staffRegions.userId, regine!.id));
      expect(rows.map((r) => r.region).sort()).toEqual(['84', '93']);
      expect(await db.select().from(users).where(eq(users.email, 'x@example.org'))).toHaveLength(0);
      client.close();
    } finally {
      removeDatabase(path);
    }
  }, 60_000);
});
