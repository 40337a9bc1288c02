import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { emails, organisations } from '../../src/db/schema.ts';
import { EMAIL_RULES } from '../../src/features/notifications/limits.ts';
import { createTestApp, formPost, jsonRequest } from '../support/app.ts';
import { createSignedInUser, type TestUser } from '../support/auth.ts';
import { createOrganisation, type OrganisationFixture } from '../support/fixtures.ts';

// Defect 9: invitations were an unlimited relay of attacker text, and CR/LF could reach a subject.

let t: Awaited<ReturnType<typeof createTestApp>>;
let owner: TestUser;
let organisation: OrganisationFixture;

beforeEach(async () => {
  t = await createTestApp();
  owner = await createSignedInUser(t, { name: 'Odile Propriétaire' });
  organisation = await createOrganisation(t, { owner, name: 'Recyclerie' });
  return () => t.client.close();
});

const invite = (n: number, orgId = organisation.id, user = owner) =>
  t.app.request(
    `/api/v1/organisations/${orgId}/invitations`,
    jsonRequest('POST', { email: `cible-${n}@example.org`, role: 'editor' }, { authorization: user.bearer }),
  );

describe('invitation emails are rate-limited', () => {
  it('per user: one more than the hourly limit is 429, and sends nothing', async () => {
    const { limit } = EMAIL_RULES.invitationsPerUser;
    // Spread over organisations so that only the per-user rule applies.
    const orgs = [organisation];
    for (let i = 0; i < 2; i++) orgs.push(await createOrganisation(t, { owner, name: `Org ${i}` }));
    for (let n = 0; n < limit; n++) expect((await invite(n, orgs[n % orgs.length]!.id)).status).toBe(201);
    const refused = await invite(limit);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(
      await t.db
        .select()
        .from(emails)
        .where(eq(emails.to, `cible-${limit}@example.org`)),
    ).toHaveLength(0);
    // The window passes: allowed again.
    t.clock.advance(EMAIL_RULES.invitationsPerUser.windowMs + 1);
    expect((await invite(limit + 1)).status).toBe(201);
  });

  it('per organisation, whoever invites', async () => {
    const { limit } = EMAIL_RULES.invitationsPerOrganisation;
    const owners = [owner];
    for (let i = 0; i < 2; i++) {
      const other = await createSignedInUser(t);
      const { organisationMembers } = await import('../../src/db/schema.ts');
      await t.db.insert(organisationMembers).values({
        organisationId: organisation.id,
        userId: other.id,
        role: 'owner',
        createdAt: t.clock.now().toISOString(),
      });
      owners.push(other);
    }
    for (let n = 0; n < limit; n++) {
      // Stay under the per-user rule by moving the clock past its window every few invitations.
      if (n > 0 && n % 15 === 0) t.clock.advance(EMAIL_RULES.invitationsPerUser.windowMs + 1);
      expect((await invite(n, organisation.id, owners[n % owners.length])).status).toBe(201);
    }
    expect((await invite(limit, organisation.id, owners[0])).status).toBe(429);
  });
});

describe('email subjects', () => {
  it('never carry CR/LF from a stored name', async () => {
    await t.db
      .update(organisations)
      .set({ name: 'Recyclerie\r\nBcc: victime@example.org' })
      .where(eq(organisations.id, organisation.id));
    expect((await invite(1)).status).toBe(201);
    const [mail] = await t.db.select().from(emails).where(eq(emails.to, 'cible-1@example.org'));
    expect(mail!.subject).not.toMatch(/[\r\n]/);
    expect(mail!.subject).toContain('Recyclerie Bcc: victime@example.org');
  });

  it('the form route answers 429 as a page once over the limit', async () => {
    for (let n = 0; n < EMAIL_RULES.invitationsPerUser.limit; n++) await invite(n);
    const res = await t.app.request(
      `/organisations/${organisation.id}/invitations`,
      formPost({ email: 'encore@example.org', role: 'editor' }, { cookie: owner.cookie }),
    );
    expect(res.status).toBe(429);
    expect(await res.text()).toContain('beaucoup d’invitations');
  });
});
