import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  amiApplications,
  amiAttachments,
  amiMembers,
  amiMessages,
  amiNotes,
  amiScores,
  amiWaves,
  appMeta,
  organisationMembers,
  organisations,
  poleMembers,
  poles,
  staffRegions,
  users,
} from '../../db/schema.ts';
import { parseConfig } from '../../env.ts';
import type { FileStorage, SessionUser } from '../../lib/context.ts';
import { normalizeName } from '../../lib/normalize.ts';
import { newStorageKey } from '../../lib/storage-keys.ts';
import { applyTransition } from '../ami/transitions.ts';
import type { AmiSection, TransitionInput } from '../ami/workflow.ts';
import { randomToken } from '../auth/crypto.ts';
import { createUser, findUserByEmail } from '../auth/queries.ts';
import type { ServiceDeps } from '../notifications/deps.ts';
import { withLuhnKey } from '../organisations/siret.ts';
import { DEMO_ACCOUNTS } from './demo.ts';
import { DEMO_ACCOUNT_SIRETS } from './demo-data.ts';

/**
 * AMI demonstration data: two waves (one closed, one open), fourteen dossiers of demo pôles across
 * every state, moved through `applyTransition` at past dates (so their audit trails, references
 * and the lauréat pôle are what the real flow writes), scores, a private note and messages; a
 * national admin and a regional instructor (Auvergne-Rhône-Alpes) beside the national instructor.
 */

const AMI_KEY = 'demo_ami_loaded_at';
const DAY = 86_400_000;

export const DEMO_STAFF = {
  admin: {
    email: 'admin@ptce-hub.fr',
    password: 'admin-ptce-2026!',
    name: 'Alix Administration',
    role: 'admin',
  },
  regional: {
    email: 'instruction-ara@ptce-hub.fr',
    password: 'instruction-ara-2026!',
    name: 'Rémi Instruction ARA',
    role: 'instructor',
  },
} as const;
/** The régions of the regional demo instructor (Auvergne-Rhône-Alpes). */
export const DEMO_REGIONAL_REGIONS = ['84'];
const PORTEURS = { email: 'porteurs-demo@ptce-hub.fr', name: 'Porteur de projet (démonstration)' };

type Final =
  | 'draft'
  | 'submitted'
  | 'under_review'
  | 'changes_requested'
  | 'eligible'
  | 'ineligible'
  | 'selected'
  | 'rejected'
  | 'withdrawn';

interface DemoDossier {
  /** The lead organisation: the demo member's own, or a demo pôle's coordinator. */
  lead: { siret: string } | { pole: string };
  final: Final;
  /** Days before `now` of the submit (the rest follows). */
  submittedDaysAgo: number;
  projectName: string;
  stage: 'emerging' | 'consolidating';
  theme: string;
  amountRequested: number;
  budgetTotal: number;
  /** Decided in the closed wave (submitted in its window). */
  pastWave?: boolean;
}

const DOSSIERS: DemoDossier[] = [
  {
    lead: { siret: DEMO_ACCOUNT_SIRETS[0] as string },
    final: 'changes_requested',
    submittedDaysAgo: 40,
    projectName: 'Cuisine centrale partagée du Voironnais',
    stage: 'emerging',
    theme: 'une cuisine partagée et des achats groupés de produits locaux',
    amountRequested: 95_000,
    budgetTotal: 420_000,
  },
  {
    lead: { siret: DEMO_ACCOUNT_SIRETS[1] as string },
    final: 'draft',
    submittedDaysAgo: 0,
    projectName: 'Atelier vélo et logistique douce',
    stage: 'emerging',
    theme: 'la logistique urbaine à vélo',
    amountRequested: 60_000,
    budgetTotal: 180_000,
  },
  {
    lead: { pole: 'pole-sud' },
    final: 'under_review',
    submittedDaysAgo: 25,
    projectName: 'Pôle Sud : mutualisation des fonctions support',
    stage: 'consolidating',
    theme: 'un groupement d’employeurs et des fonctions support partagées',
    amountRequested: 100_000,
    budgetTotal: 610_000,
  },
  {
    lead: { pole: 'le-damier' },
    final: 'eligible',
    submittedDaysAgo: 60,
    projectName: 'Le Damier : filière numérique responsable',
    stage: 'consolidating',
    theme: 'le réemploi de matériel numérique',
    amountRequested: 90_000,
    budgetTotal: 380_000,
  },
  {
    lead: { pole: 'coopaxis' },
    final: 'eligible',
    submittedDaysAgo: 55,
    projectName: 'Coopaxis : entreprendre en coopération',
    stage: 'consolidating',
    theme: 'l’accompagnement coopératif des créateurs',
    amountRequested: 80_000,
    budgetTotal: 300_000,
  },
  {
    lead: { pole: 'la-serre-le-multiple' },
    final: 'submitted',
    submittedDaysAgo: 5,
    projectName: 'La Serre : tiers-lieu nourricier',
    stage: 'emerging',
    theme: 'un tiers-lieu nourricier et une légumerie',
    amountRequested: 100_000,
    budgetTotal: 450_000,
  },
  {
    lead: { pole: 'la-coursive-boutaric' },
    final: 'submitted',
    submittedDaysAgo: 2,
    projectName: 'La Coursive Boutaric : fabrique culturelle',
    stage: 'consolidating',
    theme: 'des ateliers partagés pour les métiers de la culture',
    amountRequested: 75_000,
    budgetTotal: 260_000,
  },
  {
    lead: { pole: 'cite-phares' },
    final: 'under_review',
    submittedDaysAgo: 18,
    projectName: 'Cité Phares : réemploi des matériaux du bâtiment',
    stage: 'consolidating',
    theme: 'une plateforme de réemploi des matériaux',
    amountRequested: 100_000,
    budgetTotal: 520_000,
  },
  {
    lead: { pole: 'ptce-centre-isere' },
    final: 'ineligible',
    submittedDaysAgo: 70,
    projectName: 'Énergies partagées du Grésivaudan',
    stage: 'emerging',
    theme: 'une coopérative d’énergie citoyenne',
    amountRequested: 100_000,
    budgetTotal: 240_000,
  },
  {
    lead: { pole: 'les-ecossolies' },
    final: 'selected',
    submittedDaysAgo: 330,
    pastWave: true,
    projectName: 'Les Écossolies : Solilab 2',
    stage: 'consolidating',
    theme: 'un second lieu de coopération pour l’ESS nantaise',
    amountRequested: 100_000,
    budgetTotal: 700_000,
  },
  {
    lead: { pole: 'neo56' },
    final: 'rejected',
    submittedDaysAgo: 320,
    pastWave: true,
    projectName: 'Néo56 : coopérations maritimes',
    stage: 'emerging',
    theme: 'la mutualisation d’équipements pour la pêche artisanale',
    amountRequested: 100_000,
    budgetTotal: 280_000,
  },
  {
    lead: { pole: 'groupe-archer' },
    final: 'withdrawn',
    submittedDaysAgo: 30,
    projectName: 'Archer : fabrique de chaussures solidaire',
    stage: 'consolidating',
    theme: 'la relocalisation de la fabrication de chaussures',
    amountRequested: 100_000,
    budgetTotal: 900_000,
  },
  {
    lead: { pole: 'pole-territorial-val-de-saone-dombes' },
    final: 'under_review',
    submittedDaysAgo: 12,
    projectName: 'Val Horizon : mobilités rurales partagées',
    stage: 'emerging',
    theme: 'le covoiturage et l’autopartage en milieu rural',
    amountRequested: 70_000,
    budgetTotal: 210_000,
  },
  {
    lead: { pole: 'ptce-mieux-manger-en-mayenne' },
    final: 'draft',
    submittedDaysAgo: 0,
    projectName: 'Mieux manger en Mayenne : restauration collective',
    stage: 'emerging',
    theme: 'l’approvisionnement local de la restauration collective',
    amountRequested: 50_000,
    budgetTotal: 150_000,
  },
];

/** A one-page PDF (ASCII text, Helvetica) standing for a dossier's pièce jointe. */
export function demoPdf(lines: string[]): Uint8Array {
  const text = lines
    .map(
      (line, i) => `BT /F1 12 Tf 56 ${780 - i * 18} Td (${line.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`,
    )
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

const asViewer = (row: {
  id: number;
  email: string;
  name: string;
  role: SessionUser['role'];
}): SessionUser => ({
  ...row,
  emailVerified: true,
  via: 'session',
});

/**
 * Loads the AMI demo once per database (an app_meta key claimed first). Needs the demo directory
 * (pôles, organisations, the demo accounts): with `accounts` off (production), it loads nothing.
 */
export async function loadDemoAmiOnce(
  db: Db,
  now: Date,
  options: { accounts?: boolean; storage?: FileStorage | undefined } = {},
): Promise<boolean> {
  if (options.accounts === false) return false;
  const claimed = await db
    .insert(appMeta)
    .values({ key: AMI_KEY, value: now.toISOString() })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return false;
  try {
    await loadDemoAmi(db, now, options.storage);
  } catch (error) {
    await db.delete(appMeta).where(eq(appMeta.key, AMI_KEY));
    throw error;
  }
  return true;
}

async function loadDemoAmi(db: Db, now: Date, storage: FileStorage | undefined) {
  for (const account of Object.values(DEMO_STAFF)) await createUser(db, { ...account, verified: true }, now);
  await createUser(db, { ...PORTEURS, password: randomToken(), verified: true }, now);
  const [admin, regional, national, member, porteurs] = await Promise.all(
    [
      DEMO_STAFF.admin.email,
      DEMO_STAFF.regional.email,
      DEMO_ACCOUNTS.instructor.email,
      DEMO_ACCOUNTS.member.email,
      PORTEURS.email,
    ].map((email) => findUserByEmail(db, email)),
  );
  if (!admin || !regional || !national || !member || !porteurs)
    throw new Error('AMI demo: demo accounts missing');
  await db
    .insert(staffRegions)
    .values(DEMO_REGIONAL_REGIONS.map((region) => ({ userId: regional.id, region })))
    .onConflictDoNothing();

  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  const day = (daysAgo: number) => at(daysAgo).toISOString().slice(0, 10);
  const [past, open] = await db
    .insert(amiWaves)
    .values([
      {
        name: 'Vague 2025',
        opensOn: day(400),
        closesOn: day(200),
        envelope: 1_500_000,
        ceiling: 100_000,
        createdBy: admin.id,
        createdAt: at(420).toISOString(),
        updatedAt: at(420).toISOString(),
      },
      {
        name: 'Vague 2026–2027',
        opensOn: day(90),
        closesOn: day(-180),
        envelope: 1_500_000,
        ceiling: 100_000,
        createdBy: admin.id,
        createdAt: at(100).toISOString(),
        updatedAt: at(100).toISOString(),
      },
    ])
    .returning();
  if (!past || !open) throw new Error('AMI demo: waves not created');

  const leads = await db
    .select({
      id: organisations.id,
      siret: organisations.siret,
      name: organisations.name,
      region: organisations.region,
      departement: organisations.departement,
      communeCode: organisations.communeCode,
      slug: poles.slug,
    })
    .from(organisations)
    .leftJoin(
      poleMembers,
      and(
        eq(poleMembers.organisationId, organisations.id),
        eq(poleMembers.role, 'coordinator'),
        eq(poleMembers.status, 'active'),
      ),
    )
    .leftJoin(poles, eq(poles.id, poleMembers.poleId))
    .where(eq(organisations.isDemo, true));
  const porteursOrgs: number[] = [];

  for (const [index, demo] of DOSSIERS.entries()) {
    const lead = leads.find((o) =>
      'siret' in demo.lead ? o.siret === demo.lead.siret : o.slug === demo.lead.pole,
    );
    if (!lead) continue;
    const ownedByDemo = DEMO_ACCOUNT_SIRETS.includes(lead.siret);
    if (!ownedByDemo && !porteursOrgs.includes(lead.id)) porteursOrgs.push(lead.id);
    const applicantRow = ownedByDemo ? member : porteurs;
    if (!ownedByDemo)
      await db
        .insert(organisationMembers)
        .values({
          organisationId: lead.id,
          userId: porteurs.id,
          role: 'owner',
          createdAt: at(500).toISOString(),
        })
        .onConflictDoNothing();
    const start = demo.final === 'draft' ? at(3) : at(demo.submittedDaysAgo + 6);
    const complete = demo.final !== 'draft' || index === 1;
    const [row] = await db
      .insert(amiApplications)
      .values({
        leadOrganisationId: lead.id,
        region: lead.region,
        departement: lead.departement,
        projectName: demo.projectName,
        stage: demo.stage,
        strategy: complete
          ? `Mutualiser entre les membres ${demo.theme}.\nLes structures de l’ESS, les entreprises du territoire et la collectivité partagent un lieu, des équipements et des compétences.`
          : '',
        activities: complete
          ? `Première année : diagnostic partagé et mise en place de ${demo.theme}.\nDeuxième année : ouverture à de nouveaux membres.`
          : '',
        governance: complete
          ? 'Un comité de pilotage mensuel réunit un représentant de chaque membre ; les décisions se prennent au consentement.'
          : '',
        innovation: complete
          ? 'Un modèle de coopération entre structures de l’ESS et entreprises classiques, encore rare sur ce territoire.'
          : '',
        territory: {
          communeCodes: [lead.communeCode],
          departements: [lead.departement],
          qpv: index % 3 === 0,
          rural: index % 2 === 1,
        },
        jobsCurrent: complete ? 12 + index : null,
        jobsPlanned: complete ? 20 + 2 * index : null,
        budgetTotal: demo.budgetTotal,
        amountRequested: demo.amountRequested,
        cofunding: complete
          ? [
              { funder: 'Région', amount: Math.round(demo.budgetTotal * 0.3) },
              { funder: 'Banque des Territoires', amount: Math.round(demo.budgetTotal * 0.2) },
            ]
          : [],
        selfFinancingShare: complete ? 35 : null,
        stateAidReceived: complete ? 0 : null,
        previouslyFunded: complete ? false : null,
        searchText: normalizeName(`${demo.projectName} ${lead.name}`),
        createdBy: applicantRow.id,
        createdAt: start.toISOString(),
        updatedAt: start.toISOString(),
      })
      .returning();
    if (!row) continue;
    await addMembers(db, row.id, lead.id, lead.communeCode, index);
    if (complete && storage) {
      const key = newStorageKey(`ami/${row.id}`, 'pdf');
      await storage.put(
        key,
        demoPdf([
          `Demonstration - ${normalizeName(demo.projectName)}`,
          'Budget previsionnel (donnees fictives)',
        ]),
        { contentType: 'application/pdf' },
      );
      await db.insert(amiAttachments).values({
        applicationId: row.id,
        name: 'budget-previsionnel.pdf',
        contentType: 'application/pdf',
        size: 600,
        storageKey: key,
        uploadedBy: applicantRow.id,
        createdAt: start.toISOString(),
      });
    }
    if (demo.final === 'draft') continue;

    const instructor = lead.region === '84' ? regional : national;
    const applicant = asViewer(applicantRow);
    let version = row.version;
    const step = async (viewer: SessionUser, daysAgo: number, input: TransitionInput) => {
      const deps = demoDeps(db, at(daysAgo));
      const done = await applyTransition(deps, viewer, row.id, { ...input, version });
      version = done.version;
    };
    const t0 = demo.submittedDaysAgo;
    await step(applicant, t0, { to: 'submitted' });
    if (demo.final === 'submitted') continue;
    if (demo.final === 'withdrawn') {
      await step(applicant, t0 - 4, {
        to: 'withdrawn',
        reason: 'Le projet est reporté : le consortium se réorganise.',
      });
      continue;
    }
    await step(asViewer(instructor), t0 - 2, { to: 'under_review' });
    await db.insert(amiMessages).values({
      applicationId: row.id,
      authorId: instructor.id,
      authorName: instructor.name,
      fromStaff: true,
      body: 'Bonjour, votre dossier est en instruction. Pouvez-vous préciser le calendrier de recrutement des emplois prévus ?',
      createdAt: at(t0 - 3).toISOString(),
    });
    await db.insert(amiMessages).values({
      applicationId: row.id,
      authorId: applicantRow.id,
      authorName: applicantRow.name,
      fromStaff: false,
      body: 'Bonjour, les deux premiers recrutements sont prévus au second semestre ; les autres suivront la montée en charge.',
      createdAt: at(t0 - 4).toISOString(),
    });
    if (demo.final === 'under_review') continue;
    if (demo.final === 'changes_requested') {
      await step(asViewer(instructor), 10, {
        to: 'changes_requested',
        reason:
          'Le plan de financement ne détaille pas l’autofinancement à 3 ans : complétez la section Budget.',
        sections: ['budget'] satisfies AmiSection[],
        dueAt: new Date(now.getTime() + 5 * DAY).toISOString(),
      });
      continue;
    }
    if (demo.final === 'ineligible') {
      await step(asViewer(instructor), t0 - 10, {
        to: 'ineligible',
        reason:
          'Le projet ne se distingue pas de l’activité propre de la structure porteuse : la coopération entre membres n’est pas établie.',
      });
      continue;
    }
    await db.insert(amiNotes).values({
      applicationId: row.id,
      authorId: instructor.id,
      authorName: instructor.name,
      body: 'Ancrage territorial solide ; vérifier la soutenabilité du modèle économique en comité.',
      createdAt: at(t0 - 8).toISOString(),
    });
    for (const [i, reviewer] of [instructor, admin].entries()) {
      const grid = {
        cooperation: 4,
        pooling: 4 - i,
        anchoring: 5,
        innovation: 3 + i,
        jobs: 3,
        economicModel: 4 - (index % 2),
      };
      const total = Object.values(grid).reduce((a, b) => a + b, 0) / 6;
      await db.insert(amiScores).values({
        applicationId: row.id,
        reviewerId: reviewer.id,
        ...grid,
        total,
        updatedAt: at(t0 - 9).toISOString(),
      });
    }
    await step(asViewer(instructor), t0 - 10, { to: 'eligible' });
    if (demo.final === 'eligible') continue;
    const wave = demo.pastWave ? past : open;
    if (demo.final === 'selected')
      await step(asViewer(admin), t0 - 30, {
        to: 'selected',
        waveId: wave.id,
        amountGranted: demo.amountRequested,
        reason: 'Retenu par le comité de sélection.',
      });
    else
      await step(asViewer(admin), t0 - 30, {
        to: 'rejected',
        reason: 'Le comité a retenu des projets plus avancés dans la structuration de leur coopération.',
      });
  }
  // The porteurs account exists only to act as the applicant of the demo dossiers.
  if (porteursOrgs.length === 0) await db.delete(users).where(eq(users.id, porteurs.id));
}

/** Members of a demo dossier: the pôle's members, completed so that every kind the law asks for is there. */
async function addMembers(db: Db, applicationId: number, leadId: number, communeCode: string, index: number) {
  const pole = await db
    .select({
      id: organisations.id,
      siret: organisations.siret,
      name: organisations.name,
      kind: organisations.kind,
      communeCode: organisations.communeCode,
    })
    .from(poleMembers)
    .innerJoin(organisations, eq(organisations.id, poleMembers.organisationId))
    .where(
      and(
        eq(poleMembers.status, 'active'),
        sql`${poleMembers.poleId} IN (SELECT pole_id FROM ${poleMembers} WHERE organisation_id = ${leadId} AND role = 'coordinator')`,
      ),
    );
  const rows: Array<Omit<typeof amiMembers.$inferInsert, 'applicationId' | 'position'>> = pole
    .filter((o) => o.id !== leadId)
    .slice(0, 5)
    .map((o) => ({
      organisationId: o.id,
      siret: o.siret,
      name: o.name,
      kind: o.kind,
      communeCode: o.communeCode,
      role: 'founding' as const,
    }));
  const has = (kind: string) => rows.some((r) => r.kind === kind);
  const typed = (
    kind: 'ess' | 'sme' | 'local_authority',
    name: string,
    n: number,
  ): (typeof rows)[number] => ({
    organisationId: null,
    siret: withLuhnKey(`9990${String(index).padStart(3, '0')}${String(n).padStart(6, '0')}`),
    name,
    kind,
    communeCode,
    role: 'partner' as const,
  });
  if (!has('ess')) rows.push(typed('ess', 'Association d’insertion du territoire (démonstration)', 1));
  if (!has('sme')) rows.push(typed('sme', 'Menuiserie locale SARL (démonstration)', 2));
  if (!['local_authority', 'research', 'training'].some(has))
    rows.push(typed('local_authority', 'Communauté de communes (démonstration)', 3));
  if (rows.length > 0)
    await db.insert(amiMembers).values(rows.map((r, position) => ({ ...r, applicationId, position })));
}

function demoDeps(db: Db, at: Date): ServiceDeps {
  return {
    db,
    clock: { now: () => at },
    // The demo's decisions are not emailed to anyone: their recipients are fictional.
    mailer: async () => {},
    log: () => {},
    config: parseConfig({ NODE_ENV: 'development' }),
    origin: 'http://localhost',
  };
}
