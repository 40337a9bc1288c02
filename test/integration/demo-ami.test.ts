import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AMI_STATUSES } from '../../src/db/schema.ts';
import { DEMO_STAFF } from '../../src/features/demo/ami.ts';
import { loadDemoDataOnce } from '../../src/features/demo/demo.ts';
import { createTestApp, seedTemplate, type TestApp } from '../support/app.ts';

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  seeded = await seedTemplate(async (seed) => {
    await loadDemoDataOnce(seed.db, seed.clock.now(), { storage: seed.storage });
  });
});
afterAll(() => seeded.remove());
beforeEach(async () => {
  t = await createTestApp({ template: seeded.template });
});
afterEach(() => t.close());

const all = <T>(query: string) => t.db.all<T>(sql.raw(query));

describe('AMI demo data', () => {
  it('has a closed and an open wave, and dossiers in every state', async () => {
    const waves = await all<{ name: string; opens_on: string; closes_on: string }>(
      'SELECT name, opens_on, closes_on FROM ami_waves ORDER BY opens_on',
    );
    expect(waves.map((w) => w.name)).toEqual(['Vague 2025', 'Vague 2026–2027']);
    const today = t.clock.now().toISOString().slice(0, 10);
    expect(waves[0]!.closes_on < today).toBe(true);
    expect(waves[1]!.opens_on <= today && today <= waves[1]!.closes_on).toBe(true);
    const statuses = await all<{ status: string; n: number }>(
      'SELECT status, count(*) AS n FROM ami_applications GROUP BY status',
    );
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(AMI_STATUSES));
    const total = statuses.reduce((sum, s) => sum + s.n, 0);
    expect(total).toBeGreaterThanOrEqual(12);
  });

  it('went through the real transitions: consecutive references, an audit trail per dossier, a lauréat pôle', async () => {
    const refs = await all<{ reference: string }>(
      'SELECT reference FROM ami_applications WHERE reference IS NOT NULL ORDER BY submitted_at',
    );
    expect(refs.length).toBeGreaterThanOrEqual(10);
    for (const { reference } of refs) expect(reference).toMatch(/^AMI-\d{4}-\d{4}$/);
    expect(new Set(refs.map((r) => r.reference)).size).toBe(refs.length);
    const orphans = await all<{ n: number }>(
      "SELECT count(*) AS n FROM ami_applications a WHERE status <> 'draft' AND NOT EXISTS (SELECT 1 FROM ami_events e WHERE e.application_id = a.id AND e.to_status = a.status)",
    );
    expect(orphans[0]!.n).toBe(0);
    const [selected] = await all<{ amount_granted: number; wave: string }>(
      "SELECT amount_granted, w.name AS wave FROM ami_applications a JOIN ami_waves w ON w.id = a.wave_id WHERE status = 'selected'",
    );
    expect(selected).toMatchObject({ amount_granted: 100_000, wave: 'Vague 2025' });
    const history = await all<{ to_status: string; reason: string }>(
      'SELECT to_status, reason FROM pole_status_events WHERE application_id IS NOT NULL',
    );
    expect(history.every((h) => h.to_status === 'laureate' && h.reason.includes('Vague 2025'))).toBe(true);
  });

  it('has national and regional staff, and stored pieces', async () => {
    const staff = await all<{ email: string; role: string; regions: string | null }>(
      "SELECT email, role, (SELECT group_concat(region) FROM staff_regions r WHERE r.user_id = u.id) AS regions FROM users u WHERE role <> 'member' ORDER BY email",
    );
    expect(staff).toContainEqual({ email: DEMO_STAFF.admin.email, role: 'admin', regions: null });
    expect(staff).toContainEqual({ email: DEMO_STAFF.regional.email, role: 'instructor', regions: '84' });
    const pdfs = readdirSync(t.filesFolder, { recursive: true }).filter((f) => String(f).endsWith('.pdf'));
    const [{ n }] = (await all<{ n: number }>('SELECT count(*) AS n FROM ami_attachments')) as [
      { n: number },
    ];
    expect(pdfs.length).toBe(n);
    expect(n).toBeGreaterThan(10);
  });

  it('loads once', async () => {
    const before = await all<{ n: number }>('SELECT count(*) AS n FROM ami_events');
    expect(await loadDemoDataOnce(t.db, t.clock.now(), { storage: t.storage })).toBe(false);
    expect(await all<{ n: number }>('SELECT count(*) AS n FROM ami_events')).toEqual(before);
  });
});
