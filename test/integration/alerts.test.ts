import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emails, listings } from '../../src/db/schema.ts';
import { runScheduledJobs } from '../../src/features/jobs/scheduled.ts';
import type { ServiceDeps } from '../../src/features/notifications/deps.ts';
import { createTestApp, formPost, seedTemplate, type TestApp } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

const DAY = 24 * 3600_000;
const HOSTILE = '<img src=x onerror=alert(1)>';

let t: TestApp;
let owner: TestUser;
let listingId: number;
let fileTemplate: Awaited<ReturnType<typeof seedTemplate>>;

beforeAll(async () => {
  fileTemplate = await seedTemplate(async (seed) => {
    owner = await createSignedInUser(seed, { name: 'Olivia Propriétaire' });
    const org = await createOrganisation(seed, { name: 'Ressourcerie du Voironnais', owner });
    listingId = (await createListing(seed, org.id, { title: HOSTILE })).id;
  });
});
afterAll(() => fileTemplate.remove());
beforeEach(async () => {
  t = await createTestApp({ template: fileTemplate.template });
});
afterEach(() => t.close());

function deps(): ServiceDeps {
  return {
    db: t.db,
    clock: t.clock,
    log: () => {},
    config: t.config,
    mailer: async () => {},
    origin: 'http://localhost',
  };
}

const reminders = () => t.db.select().from(emails).where(eq(emails.to, owner.email));

describe('expiry', () => {
  it('reminds the owners once a week before expiry (twice in a row, and in parallel), with a renewal link that works once', async () => {
    let report = await runScheduledJobs(deps());
    expect(report['listing-expiry-reminders']).toBe(0);
    t.clock.advance(84 * DAY);
    const reports = await Promise.all([runScheduledJobs(deps()), runScheduledJobs(deps())]);
    expect(reports.map((r) => r['listing-expiry-reminders']).sort()).toEqual([0, 1]);
    report = await runScheduledJobs(deps());
    expect(report['listing-expiry-reminders']).toBe(0);
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(HOSTILE);
    const link = /http:\/\/localhost(\/annonces\/\d+\/renouveler\/[A-Za-z0-9_-]+)/.exec(sent[0]!.text)![1]!;

    const forged = link.replace(/[^/]+$/, 'A'.repeat(43));
    expect((await t.app.request(forged)).status).toBe(404);
    expect((await t.app.request(forged, formPost({}))).status).toBe(404);
    const other = link.replace(`/annonces/${listingId}/`, `/annonces/${listingId + 1}/`);
    expect((await t.app.request(other)).status).toBe(404);

    const confirm = await t.app.request(link);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(HOSTILE);
    const [before] = await t.db.select().from(listings).where(eq(listings.id, listingId));
    expect((await t.app.request(link, formPost({}))).status).toBe(200);
    const [after] = await t.db.select().from(listings).where(eq(listings.id, listingId));
    expect(after!.expiresAt > before!.expiresAt).toBe(true);
    expect(after!.expiryReminderSentAt).toBeNull();
    expect((await t.app.request(link, formPost({}))).status).toBe(410);
  });

  it('closes expired listings (closed, expired), once', async () => {
    t.clock.advance(91 * DAY);
    const first = await runScheduledJobs(deps());
    expect(first['listing-expiry']).toBe(1);
    expect(first['listing-expiry-reminders']).toBe(0);
    const [row] = await t.db.select().from(listings).where(eq(listings.id, listingId));
    expect([row!.status, row!.closedReason]).toEqual(['closed', 'expired']);
    expect((await runScheduledJobs(deps()))['listing-expiry']).toBe(0);
  });
});
