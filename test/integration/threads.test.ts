import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emails, savedSearches, threads, users } from '../../src/db/schema.ts';
import type { serviceDeps } from '../../src/features/notifications/deps.ts';
import { createUnsubscribeLink } from '../../src/features/notifications/unsubscribe.ts';
import { sendMessageDigests } from '../../src/features/threads/notify.ts';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { addMember, createOrganisation } from '../support/fixtures.ts';
import { createListing } from '../support/listings.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let owner: TestUser;
let responder: TestUser;
let third: TestUser;
let staff: TestUser;
let unverified: TestUser;
let ownerOrg: number;
let responderOrg: number;
let listingId: number;
let threadId: number;

const HOSTILE = '<img src=x onerror=alert(1)>';
const deps = () =>
  ({
    db: t.db,
    clock: t.clock,
    log: () => {},
    config: t.config,
    mailer: async () => {},
    origin: 'http://localhost',
  }) as unknown as ReturnType<typeof serviceDeps>;

const api = (user: TestUser | null, method: string, path: string, body?: unknown) =>
  t.app.request(path, jsonRequest(method, body, user ? { authorization: user.bearer } : {}));

beforeAll(async () => {
  t = await createTestApp();
  owner = await createSignedInUser(t, { name: 'Olivia Owner' });
  responder = await createSignedInUser(t, { name: 'Rémi Responder' });
  third = await createSignedInUser(t, { name: 'Tiers' });
  staff = await createSignedInUser(t, { role: 'admin', name: 'Admin' });
  unverified = await createSignedInUser(t, { name: 'Non vérifié' });
  await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, unverified.id));
  ownerOrg = (await createOrganisation(t, { owner })).id;
  responderOrg = (await createOrganisation(t, { owner: responder })).id;
  await createOrganisation(t, { owner: third });
  const unverifiedOrg = await createOrganisation(t, { owner: staff });
  await addMember(t, unverifiedOrg.id, staff, unverified, 'editor');
  listingId = (await createListing(t, ownerOrg, { title: HOSTILE })).id;
  const res = await api(responder, 'POST', `/api/v1/listings/${listingId}/responses`, {
    organisationId: responderOrg,
    message: 'Bonjour, nous sommes intéressés.',
  });
  expect(res.status).toBe(201);
  threadId = ((await res.json()) as { thread: { id: number } }).thread.id;
});
afterAll(() => t.close());

describe('permissions', () => {
  const who = () => ({ anonymous: null, unverified, owner, responder, third, staff });
  it.each([
    ['anonymous', 401],
    ['unverified', 403],
    ['owner', 200],
    ['responder', 200],
    ['third', 403],
    ['staff', 403],
  ] as const)('GET thread as %s → %i', async (name, status) => {
    const res = await api(who()[name], 'GET', `/api/v1/threads/${threadId}`);
    expect(res.status).toBe(status);
  });

  it.each([
    ['anonymous', 401],
    ['unverified', 403],
    ['owner', 201],
    ['responder', 201],
    ['third', 403],
    ['staff', 403],
  ] as const)('POST message as %s → %i', async (name, status) => {
    const res = await api(who()[name], 'POST', `/api/v1/threads/${threadId}/messages`, {
      message: 'Bonjour',
    });
    expect(res.status).toBe(status);
  });

  it.each([
    ['anonymous', 302],
    ['owner', 200],
    ['responder', 200],
    ['third', 403],
    ['staff', 403],
  ] as const)('page /echanges/:id as %s → %i', async (name, status) => {
    const user = who()[name];
    const res = await t.app.request(`/echanges/${threadId}`, {
      headers: user ? { cookie: user.cookie } : {},
    });
    expect(res.status === 303 ? 302 : res.status).toBe(status);
    if (status === 200) {
      const html = await res.text();
      expect(html).not.toContain(HOSTILE);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('responding to one’s own listing is 403, an unknown thread 404, a draft 404', async () => {
    expect(
      (
        await api(owner, 'POST', `/api/v1/listings/${listingId}/responses`, {
          organisationId: ownerOrg,
          message: 'x',
        })
      ).status,
    ).toBe(403);
    expect((await api(owner, 'GET', '/api/v1/threads/999999')).status).toBe(404);
    const draft = await createListing(t, ownerOrg, { status: 'draft' });
    expect(
      (
        await api(responder, 'POST', `/api/v1/listings/${draft.id}/responses`, {
          organisationId: responderOrg,
          message: 'x',
        })
      ).status,
    ).toBe(404);
  });

  it('answering as another organisation than one’s own is 403; control characters 422', async () => {
    expect(
      (
        await api(third, 'POST', `/api/v1/listings/${listingId}/responses`, {
          organisationId: responderOrg,
          message: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(responder, 'POST', `/api/v1/listings/${listingId}/responses`, {
          organisationId: responderOrg,
          message: 'a\u0000b',
        })
      ).status,
    ).toBe(422);
    expect(
      (await api(responder, 'POST', `/api/v1/threads/${threadId}/messages`, { message: 'x'.repeat(5001) }))
        .status,
    ).toBe(422);
  });
});

describe('one thread per (listing, organisation)', () => {
  it('parallel answers create one thread', async () => {
    const listing = await createListing(t, ownerOrg);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        api(responder, 'POST', `/api/v1/listings/${listing.id}/responses`, {
          organisationId: responderOrg,
          message: 'En parallèle',
        }),
      ),
    );
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    const rows = await t.db.select().from(threads).where(eq(threads.listingId, listing.id));
    expect(rows).toHaveLength(1);
  });
});

describe('funnel', () => {
  it('walks open → accepted → concluded with versions and refuses the rest with 409', async () => {
    const listing = await createListing(t, ownerOrg);
    const opened = await api(responder, 'POST', `/api/v1/listings/${listing.id}/responses`, {
      organisationId: responderOrg,
      message: 'Intéressés',
    });
    const { thread } = (await opened.json()) as { thread: { id: number; version: number } };
    const status = (user: TestUser, body: unknown) =>
      api(user, 'POST', `/api/v1/threads/${thread.id}/status`, body);
    expect((await status(responder, { status: 'accepted', version: 1 })).status).toBe(403);
    expect((await status(owner, { status: 'concluded', version: 1 })).status).toBe(409);
    expect((await status(owner, { status: 'accepted', version: 1 })).status).toBe(200);
    expect((await status(owner, { status: 'declined', reason: 'too_far', version: 2 })).status).toBe(409);
    expect((await status(owner, { status: 'concluded', version: 1 })).status).toBe(409);
    const concluded = await status(responder, {
      status: 'concluded',
      version: 2,
      note: 'Local partagé',
      outcome: { euros: 1200, m2: 40 },
    });
    expect(concluded.status).toBe(200);
    const body = (await concluded.json()) as { thread: { status: string; outcome: { m2: number } } };
    expect(body.thread.status).toBe('concluded');
    expect(body.thread.outcome.m2).toBe(40);
    expect((await status(owner, { status: 'concluded', version: 3, outcome: { euros: -1 } })).status).toBe(
      422,
    );
  });

  it('declines with a reason by form', async () => {
    const listing = await createListing(t, ownerOrg);
    const opened = await api(responder, 'POST', `/api/v1/listings/${listing.id}/responses`, {
      organisationId: responderOrg,
      message: 'Intéressés',
    });
    const { thread } = (await opened.json()) as { thread: { id: number } };
    const missing = await t.app.request(
      `/echanges/${thread.id}/decliner`,
      formPost({ version: '1' }, { cookie: owner.cookie }),
    );
    expect(missing.status).toBe(422);
    const ok = await t.app.request(
      `/echanges/${thread.id}/decliner`,
      formPost({ version: '1', reason: 'already_found' }, { cookie: owner.cookie }),
    );
    expect(ok.status).toBe(303);
    const stale = await t.app.request(
      `/echanges/${thread.id}/decliner`,
      formPost({ version: '1', reason: 'already_found' }, { cookie: owner.cookie }),
    );
    expect(stale.status).toBe(409);
  });
});

describe('unread counts and emails', () => {
  it('counts unread messages per user, cleared on reading', async () => {
    const listing = await createListing(t, ownerOrg);
    await api(responder, 'POST', `/api/v1/listings/${listing.id}/responses`, {
      organisationId: responderOrg,
      message: 'Un',
    });
    const list = async (u: TestUser) =>
      (
        (await (await api(u, 'GET', '/api/v1/threads')).json()) as {
          items: { listingId: number; unread: number }[];
        }
      ).items;
    const mine = (await list(owner)).find((i) => i.listingId === listing.id)!;
    expect(mine.unread).toBe(1);
    expect((await list(owner))[0]!.unread).toBeGreaterThan(0);
    expect((await list(responder)).find((i) => i.listingId === listing.id)!.unread).toBe(0);
  });

  it('emails the other side immediately with List-Unsubscribe, plain text', async () => {
    const rows = await t.db.select().from(emails).where(eq(emails.to, owner.email));
    expect(rows.length).toBeGreaterThan(0);
    const last = rows.at(-1)!;
    expect(last.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(last.text).toContain('/desabonnement/');
  });

  it('daily: nothing now, one digest, idempotent; never: nothing; unsubscribe turns it off', async () => {
    await t.app.request(
      '/mon-espace/notifications',
      formPost({ messages: 'daily' }, { cookie: owner.cookie }),
    );
    const before = (await t.db.select().from(emails).where(eq(emails.to, owner.email))).length;
    await api(responder, 'POST', `/api/v1/threads/${threadId}/messages`, {
      message: 'Pour le récapitulatif',
    });
    expect((await t.db.select().from(emails).where(eq(emails.to, owner.email))).length).toBe(before);
    expect(await sendMessageDigests(deps())).toBe(1);
    expect(await sendMessageDigests(deps())).toBe(0);
    const digest = (await t.db.select().from(emails).where(eq(emails.to, owner.email))).at(-1)!;
    expect(digest.text).toContain('Pour le récapitulatif');
    expect(digest.text).toContain(HOSTILE);
    const token = /desabonnement\/([\w-]+)/.exec(digest.text)![1]!;
    expect((await t.app.request(`/desabonnement/${token}`)).status).toBe(200);
    expect((await t.app.request(`/desabonnement/${token}`, formPost({}))).status).toBe(200);
    const page = await t.app.request('/mon-espace/notifications', { headers: { cookie: owner.cookie } });
    expect(await page.text()).toMatch(/value="never" selected/);
    await api(responder, 'POST', `/api/v1/threads/${threadId}/messages`, { message: 'Jamais' });
    expect((await t.db.select().from(emails).where(eq(emails.to, owner.email))).length).toBe(before + 1);
    expect((await t.app.request('/desabonnement/inconnu-inconnu-inconnu')).status).toBe(404);
  });

  it('unsubscribes a saved search', async () => {
    const at = t.clock.now().toISOString();
    const [search] = await t.db
      .insert(savedSearches)
      .values({
        userId: third.id,
        name: HOSTILE,
        query: 'q=local',
        lastAlertAt: at,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    const link = await createUnsubscribeLink(
      t.db,
      third.id,
      `saved_search:${search!.id}`,
      'http://localhost',
    );
    const path = new URL(link).pathname;
    const page = await t.app.request(path);
    expect(await page.text()).not.toContain(HOSTILE);
    expect((await t.app.request(path, formPost({}))).status).toBe(200);
    const [after] = await t.db.select().from(savedSearches).where(eq(savedSearches.id, search!.id));
    expect(after!.alerts).toBe(false);
  });
});
