import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { appMeta, type LEGAL_FORMS, type ORGANISATION_KINDS, type POLE_STATUSES } from '../../db/schema.ts';
import type { FileStorage } from '../../lib/context.ts';
import { normalizeName } from '../../lib/normalize.ts';
import { createUser } from '../auth/queries.ts';
import { slugify } from '../poles/composition.ts';
import { loadDemoAmiOnce } from './ami.ts';
import { DEMO_ACCOUNT_SIRETS, DEMO_ORGANISATIONS, DEMO_POLES } from './demo-data.ts';
import { loadDemoListingsOnce } from './listings.ts';

/** A fictional organisation; département, région and coordinates come from its commune when loading. */
export interface DemoOrganisation {
  siret: string;
  name: string;
  kind: (typeof ORGANISATION_KINDS)[number];
  legalForm: (typeof LEGAL_FORMS)[number];
  nafCode: string;
  themes: string[];
  communeCode: string;
}

export interface DemoMember {
  siret: string;
  role: 'coordinator' | 'member';
  status: 'active' | 'invited' | 'requested';
}

/** A real PTCE (from public sources, cited in its description) with fictional members. */
export interface DemoPole {
  slug: string;
  name: string;
  description: string;
  communeCode: string;
  departements: string[];
  themes: string[];
  status: (typeof POLE_STATUSES)[number];
  members: DemoMember[];
}

const DEMO_KEY = 'demo_data_loaded_at';

/**
 * The demonstration accounts (local use only: their passwords are public, in the README). The
 * member owns the PTCE Centre Isère's coordinating organisation and a company invited by Pôle Sud.
 */
export const DEMO_ACCOUNTS = {
  member: { email: 'demo@ptce-hub.fr', password: 'demo-ptce-2026!', name: 'Camille Démo', role: 'member' },
  instructor: {
    email: 'instruction@ptce-hub.fr',
    password: 'instruction-ptce-2026!',
    name: 'Dominique Instruction',
    role: 'instructor',
  },
} as const;

export interface DemoOptions {
  /** Create the two demo accounts (known passwords): never on a public deployment. Default true. */
  accounts?: boolean;
  /** Where the demo listings' photos are stored (as uploads are); without it, no photos. */
  storage?: FileStorage;
}

/** Each organisation's description names the pôle it was invented for. */
function organisationRecords(now: string) {
  const poleOf = new Map<string, string>();
  for (const pole of DEMO_POLES)
    for (const m of pole.members) if (!poleOf.has(m.siret)) poleOf.set(m.siret, pole.name);
  return DEMO_ORGANISATIONS.map((org) => ({
    ...org,
    sortName: normalizeName(org.name),
    description: `Organisation fictive de démonstration${poleOf.has(org.siret) ? `, membre du pôle « ${poleOf.get(org.siret)} »` : ''}.`,
    contactEmail: `contact@${slugify(org.name)}.example`,
    createdAt: now,
  }));
}

const field = (name: string) => sql.raw(`json_extract(j.value, '$.${name}')`);

/**
 * Loads the demonstration data once per database (remembered in app_meta), so a restart keeps
 * whatever users changed: real PTCE (from public sources, see scripts/build-demo-data.ts) with
 * fictional member organisations, all marked `is_demo`, and two verified demo accounts; then their
 * listings and threads (listings.ts, remembered under a key of their own, so a database loaded
 * before them gets them at its next start). Returns true when it loaded anything now.
 */
export async function loadDemoDataOnce(db: Db, now: Date, options: DemoOptions = {}): Promise<boolean> {
  const loaded = await loadDemoDirectoryOnce(db, now, options);
  const listings = await loadDemoListingsOnce(db, now, options.storage);
  const ami = await loadDemoAmiOnce(db, now, options);
  return loaded || listings || ami;
}

/**
 * The pôles, organisations, memberships and accounts. Everything but the accounts is one batch
 * (atomic, a few statements whatever the volume); its first statement claims the app_meta key, so
 * a concurrent second loader fails and loads nothing.
 */
async function loadDemoDirectoryOnce(db: Db, now: Date, options: DemoOptions): Promise<boolean> {
  const [done] = await db.select().from(appMeta).where(eq(appMeta.key, DEMO_KEY));
  if (done) return false;
  const at = now.toISOString();
  if (options.accounts ?? true) {
    for (const account of Object.values(DEMO_ACCOUNTS)) {
      // null when the address is already taken: the existing account is left as it is.
      await createUser(db, { ...account, verified: true }, now);
    }
  }
  const memberships = DEMO_POLES.flatMap((pole) => pole.members.map((m) => ({ ...m, slug: pole.slug })));
  try {
    await db.batch([
      db.insert(appMeta).values({ key: DEMO_KEY, value: at }),
      // Geography (département, région, coordinates) comes from the commune, as for user-created rows.
      db.run(sql`INSERT OR IGNORE INTO organisations (siret, name, sort_name, kind, legal_form, naf_code, themes,
          commune_code, departement, region, lat, lon, description, contact_email, is_demo, version, created_at,
          updated_at)
        SELECT ${field('siret')}, ${field('name')}, ${field('sortName')}, ${field('kind')}, ${field('legalForm')},
          ${field('nafCode')}, json(${field('themes')}), c.code, c.departement, c.region, c.lat, c.lon,
          ${field('description')}, ${field('contactEmail')}, 1, 1, ${field('createdAt')}, ${field('createdAt')}
        FROM json_each(${JSON.stringify(organisationRecords(at))}) AS j
        JOIN communes AS c ON c.code = ${field('communeCode')}`),
      db.run(sql`INSERT OR IGNORE INTO organisation_themes (theme, organisation_id)
        SELECT t.value, o.id FROM organisations AS o, json_each(o.themes) AS t WHERE o.is_demo = 1`),
      db.run(sql`INSERT OR IGNORE INTO poles (slug, name, description, commune_code, departement, region, lat, lon,
          departements, themes, status, is_demo, version, created_at, updated_at)
        SELECT ${field('slug')}, ${field('name')}, ${field('description')}, c.code, c.departement, c.region, c.lat,
          c.lon, json(${field('departements')}), json(${field('themes')}), ${field('status')}, 1, 1, ${at}, ${at}
        FROM json_each(${JSON.stringify(DEMO_POLES.map(({ members: _, ...pole }) => pole))}) AS j
        JOIN communes AS c ON c.code = ${field('communeCode')}`),
      db.run(sql`INSERT OR IGNORE INTO pole_themes (theme, pole_id)
        SELECT t.value, p.id FROM poles AS p, json_each(p.themes) AS t WHERE p.is_demo = 1`),
      db.run(sql`INSERT OR IGNORE INTO pole_departements (departement, pole_id)
        SELECT d.value, p.id FROM poles AS p, json_each(p.departements) AS d WHERE p.is_demo = 1`),
      db.run(sql`INSERT OR IGNORE INTO pole_members (pole_id, organisation_id, role, status, created_at, updated_at)
        SELECT p.id, o.id, ${field('role')}, ${field('status')}, ${at}, ${at}
        FROM json_each(${JSON.stringify(memberships)}) AS j
        JOIN poles AS p ON p.slug = ${field('slug')} AND p.is_demo = 1
        JOIN organisations AS o ON o.siret = ${field('siret')} AND o.is_demo = 1`),
      db.run(sql`INSERT OR IGNORE INTO organisation_members (organisation_id, user_id, role, created_at)
        SELECT o.id, u.id, 'owner', ${at}
        FROM organisations AS o JOIN users AS u ON u.email = ${DEMO_ACCOUNTS.member.email}
        WHERE o.is_demo = 1 AND o.siret IN (SELECT value FROM json_each(${JSON.stringify(DEMO_ACCOUNT_SIRETS)}))`),
    ]);
  } catch (err) {
    // Another process loaded them between our check and our batch (which was rolled back as a whole).
    const [loaded] = await db.select().from(appMeta).where(eq(appMeta.key, DEMO_KEY));
    if (loaded) return false;
    throw err;
  }
  return true;
}
