import { expect } from 'vitest';
import { amiAttachments } from '../../src/db/schema.ts';
import type { Role } from '../../src/features/auth/queries.ts';
import { createWave, setStaffRegions } from './ami.ts';
import { jsonRequest, type TestApp } from './app.ts';
import { createSignedInUser, type TestUser } from './auth.ts';
import { addMember, createOrganisation, testSiret } from './fixtures.ts';

/** A wave open around the test clock's day (Paris), with its envelope and ceiling in euros. */
export async function insertOpenWave(
  t: TestApp,
  options: { name?: string; envelope?: number; ceiling?: number; opensOn?: string; closesOn?: string } = {},
) {
  const now = t.clock.now();
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return createWave(t, {
    ...options,
    name: options.name ?? 'Vague d’essai 2026',
    opensOn: options.opensOn ?? day(-10),
    closesOn: options.closesOn ?? day(60),
  });
}

/** A staff account (instructor or admin), regional when `regions` is given. */
export async function createStaff(
  t: TestApp,
  role: Extract<Role, 'instructor' | 'admin'>,
  regions: string[] = [],
) {
  const user = await createSignedInUser(t, {
    role,
    name: role === 'admin' ? 'Admin AMI' : 'Instructeur AMI',
  });
  await setStaffRegions(t, user.id, regions);
  return user;
}

export interface ApplicantWorld {
  owner: TestUser;
  editor: TestUser;
  outsider: TestUser;
  lead: { id: number; name: string; siret: string };
  /** An organisation the applicant does not belong to. */
  foreign: { id: number; name: string; siret: string };
}

/** An owner and an editor of a lead organisation (ESS, at Voiron, région 84), and an outsider. */
export async function applicantWorld(t: TestApp): Promise<ApplicantWorld> {
  const owner = await createSignedInUser(t, { name: 'Porteuse Principale' });
  const editor = await createSignedInUser(t, { name: 'Éditeur Associé' });
  const outsider = await createSignedInUser(t, { name: 'Personne Extérieure' });
  const lead = await createOrganisation(t, { name: 'Coopérative Porteuse', kind: 'ess', owner });
  await addMember(t, lead.id, owner, editor, 'editor');
  const foreign = await createOrganisation(t, {
    name: 'Organisation Étrangère',
    kind: 'sme',
    owner: outsider,
  });
  return { owner, editor, outsider, lead, foreign };
}

/** Every field a submit needs, for the JSON API (three members: ESS, SME, collectivité). */
export function completeFields(leadOrganisationId: number) {
  return {
    leadOrganisationId,
    projectName: 'Pôle de coopération du Voironnais',
    stage: 'emerging',
    members: [
      { siret: testSiret(), name: 'Régie de quartier', kind: 'ess', communeCode: '38563', role: 'founding' },
      { siret: testSiret(), name: 'Menuiserie Dupont', kind: 'sme', communeCode: '38563', role: 'partner' },
      {
        siret: testSiret(),
        name: 'Commune de Voiron',
        kind: 'local_authority',
        communeCode: '38563',
        role: 'associate',
      },
    ],
    territory: { communeCodes: ['38563'], departements: ['38'], qpv: true, rural: false },
    strategy: 'Mutualiser des locaux et des compétences.',
    activities: 'Atelier partagé, achats groupés.',
    governance: 'Un comité de pilotage trimestriel.',
    innovation: 'Une monnaie temps entre membres.',
    jobsCurrent: 12,
    jobsPlanned: 20,
    budgetTotal: 300_000,
    amountRequested: 90_000,
    cofunding: [{ funder: 'Région Auvergne-Rhône-Alpes', amount: 50_000 }],
    selfFinancingShare: 35,
    stateAidReceived: 0,
    previouslyFunded: false,
  };
}

/** A dossier piece, straight in the database (uploads belong to the files feature). */
export async function insertAttachment(t: TestApp, applicationId: number, uploadedBy: number) {
  await t.db.insert(amiAttachments).values({
    applicationId,
    name: 'statuts.pdf',
    contentType: 'application/pdf',
    size: 12_345,
    storageKey: `test/${applicationId}/${Math.random().toString(36).slice(2)}`,
    uploadedBy,
    createdAt: t.clock.now().toISOString(),
  });
}

/** Creates a complete draft through the API (with a piece), ready to submit; returns its JSON. */
export async function completeDraft(t: TestApp, user: TestUser, leadOrganisationId: number) {
  const res = await t.app.request(
    '/api/v1/ami/applications',
    jsonRequest('POST', completeFields(leadOrganisationId), { authorization: user.bearer }),
  );
  expect(res.status).toBe(201);
  const body = (await res.json()) as { id: number; version: number; status: string };
  await insertAttachment(t, body.id, user.id);
  return body;
}

/** Submits through the API; returns the response. */
export function submitViaApi(t: TestApp, user: TestUser, id: number, version: number) {
  return t.app.request(
    `/api/v1/ami/applications/${id}/submit`,
    jsonRequest('POST', { version }, { authorization: user.bearer }),
  );
}
