/**
 * Realistic benchmark data, written straight into a migrated database with batched drizzle inserts:
 * organisations placed in real communes (weighted by population), their themes, pôles with their
 * themes, départements and 3–8 member organisations; optionally listings of those organisations
 * (bench/generate-listings.ts). FTS tables are filled by the migration's triggers. Inserts are
 * batched, many per transaction. Deterministic: the same seed (and, for listings, the same anchor
 * day) gives the same rows.
 */

import type { Client } from '@libsql/client';
import { and, isNotNull, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../src/db/client.ts';
import {
  communes,
  type LEGAL_FORMS,
  type ORGANISATION_KINDS,
  organisations,
  organisationThemes,
  type POLE_STATUSES,
  poleDepartements,
  poleMembers,
  poles,
  poleThemes,
  THEMES,
} from '../src/db/schema.ts';
import { withLuhnKey } from '../src/features/organisations/siret.ts';
import { normalizeName } from '../src/lib/normalize.ts';
import { generateListings, type ListingOrganisation, type ListingsReport } from './generate-listings.ts';

type Kind = (typeof ORGANISATION_KINDS)[number];
type LegalForm = (typeof LEGAL_FORMS)[number];
type Theme = (typeof THEMES)[number];
type PoleStatus = (typeof POLE_STATUSES)[number];

export interface GenerateOptions {
  organisations: number;
  poles: number;
  seed: number;
  /** Rows per INSERT statement. */
  batchSize: number;
  /** Listings (offers and needs) of the generated organisations; none when unset. */
  listings?: number;
  /** The day listings are generated relative to (published within the 90 days before it): today by default. */
  listingsNow?: Date;
}

export interface GeneratedData {
  organisations: number;
  organisationThemes: number;
  poles: number;
  poleThemes: number;
  poleDepartements: number;
  poleMembers: number;
  /** The listings generated, when asked for. */
  listings?: ListingsReport;
  /** Slug of a pôle with many members, for the pôle page scenario. */
  sampleSlug: string;
  /** Rows per table after generation (communes included), to tell big tables from small ones. */
  tableRows: Record<string, number>;
}

/** mulberry32: a small seeded PRNG, so every run benchmarks the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function pickWeighted<T>(random: Random, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let r = random() * total;
  for (const [value, weight] of entries) {
    r -= weight;
    if (r < 0) return value;
  }
  return entries[entries.length - 1]![0];
}

function sample<T>(random: Random, list: readonly T[], n: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(random() * copy.length), 1)[0]!);
  return out;
}

/** A 14-digit SIRET whose SIREN (9 digits) and whole number both pass the Luhn key; never La Poste's. */
export function randomSiret(random: Random): string {
  let siren8 = String(int(random, 1, 9));
  while (siren8.length < 8) siren8 += String(int(random, 0, 9));
  if (siren8.startsWith('35600000')) siren8 = `4${siren8.slice(1)}`;
  const siren = withLuhnKey(siren8);
  const nic4 = String(int(random, 1, 99)).padStart(4, '0');
  return withLuhnKey(siren + nic4);
}

// --- Vocabulary --------------------------------------------------------------------------------------

const KIND_WEIGHTS: [Kind, number][] = [
  ['ess', 40],
  ['sme', 20],
  ['local_authority', 10],
  ['research', 4],
  ['training', 10],
  ['network', 8],
  ['other', 8],
];

const LEGAL_FORMS_BY_KIND: Record<Kind, [LegalForm, number][]> = {
  ess: [
    ['association', 50],
    ['scop', 15],
    ['scic', 12],
    ['cooperative', 6],
    ['mutuelle', 3],
    ['fondation', 3],
    ['esus_company', 11],
  ],
  sme: [
    ['company', 80],
    ['esus_company', 12],
    ['cooperative', 8],
  ],
  local_authority: [['public_body', 1]],
  research: [
    ['public_body', 60],
    ['association', 30],
    ['fondation', 10],
  ],
  training: [
    ['association', 50],
    ['company', 30],
    ['public_body', 20],
  ],
  network: [
    ['association', 90],
    ['other', 10],
  ],
  other: [
    ['other', 50],
    ['association', 30],
    ['company', 20],
  ],
};

const NAF_BY_KIND: Record<Kind, string[]> = {
  ess: ['88.99B', '94.99Z', '38.32Z', '47.79Z', '56.10A', '88.10C', '81.30Z'],
  sme: ['43.21A', '62.01Z', '35.11Z', '10.71C', '33.12Z', '45.20A', '70.22Z'],
  local_authority: ['84.11Z', '84.13Z'],
  research: ['72.19Z', '85.42Z'],
  training: ['85.59A', '85.59B', '85.32Z'],
  network: ['94.99Z', '94.11Z'],
  other: ['94.99Z', '82.99Z', '70.22Z'],
};

/** Name stems per theme (the commune or territory is appended). */
const THEME_NAMES: Record<Theme, string[]> = {
  insertion: ['Chantier d’insertion', 'Tremplin Emploi', 'Régie de quartier', 'Atelier Passerelle'],
  early_childhood: ['Crèche parentale Les Petits Pas', 'Maison des familles', 'Relais Petite Enfance'],
  renewable_energy: [
    'Énergie citoyenne',
    'Centrales villageoises',
    'Coopérative solaire',
    'Énerg’Y partagée',
  ],
  recycling_reuse: [
    'Ressourcerie',
    'Recyclerie',
    'Atelier du réemploi',
    'Repair Café',
    'La Fabrique à vélos',
  ],
  food_agriculture: ['Épicerie solidaire', 'Jardins de Cocagne', 'Légumerie', 'Ferme collective', 'AMAP'],
  culture: ['Tiers-lieu culturel', 'Compagnie La Traverse', 'Maison des arts', 'Friche artistique'],
  digital: ['Numérique solidaire', 'Fablab', 'Coop numérique', 'Médiation numérique'],
  mobility: ['Mobilité solidaire', 'Garage solidaire', 'Covoit’ rural', 'Auto-école sociale'],
  construction: ['Écoconstruction', 'Atelier bois', 'Coopérative du bâtiment', 'Compagnons bâtisseurs'],
  business_services: ['Coopérative d’activité et d’emploi', 'Groupement d’employeurs', 'Conseil ESS'],
  tourism: ['Tourisme solidaire', 'Gîtes coopératifs', 'Office de randonnée'],
  health_social: ['Maison de santé', 'Aide à domicile', 'Habitat inclusif', 'Accueil de jour'],
  training: ['Institut de formation', 'École de la deuxième chance', 'Centre de formation'],
};

/** Name prefixes by legal form, except for kinds whose names say what they are. */
const LEGAL_FORM_PREFIX: Record<LegalForm, string[]> = {
  association: ['Association', 'Association', ''],
  scop: ['SCOP'],
  scic: ['SCIC'],
  cooperative: ['Coopérative', 'Coop'],
  mutuelle: ['Mutuelle'],
  fondation: ['Fondation'],
  esus_company: ['SAS', ''],
  company: ['SARL', 'SAS', 'Entreprise', ''],
  public_body: ['Régie', ''],
  other: ['Collectif', ''],
};
const KIND_PREFIX: Partial<Record<Kind, string[]>> = {
  local_authority: ['Communauté de communes', 'Communauté d’agglomération', 'Syndicat intercommunal'],
  research: ['Laboratoire', 'Institut', 'Observatoire'],
  network: ['Réseau', 'Fédération', 'Union régionale', 'Collectif'],
};

/** « de » before a place name, French style: d’Orée, du Mans, des Abymes, de Lyon. */
function ofPlace(place: string): string {
  if (/^Les /.test(place)) return `des ${place.slice(4)}`;
  if (/^Le /.test(place)) return `du ${place.slice(3)}`;
  if (/^[AEIOUYÉÈÎÔH]/i.test(place)) return `d’${place}`;
  return `de ${place}`;
}

const THEME_SENTENCES: Record<Theme, string[]> = {
  insertion: [
    'Accompagne des personnes éloignées de l’emploi vers un retour durable au travail.',
    'Chantiers d’insertion et parcours vers l’emploi, en lien avec les entreprises du territoire.',
  ],
  early_childhood: ['Accueil du jeune enfant et soutien à la parentalité, horaires adaptés aux familles.'],
  renewable_energy: [
    'Production d’énergie renouvelable citoyenne : toitures solaires, petite hydroélectricité.',
    'Accompagne la transition énergétique des habitants et des collectivités ; maîtrise de l’énergie.',
  ],
  recycling_reuse: [
    'Collecte, tri et réemploi d’objets, de meubles et de textiles ; ateliers de réparation.',
    'Économie circulaire : réemploi des matériaux du bâtiment et revente à prix solidaires.',
  ],
  food_agriculture: [
    'Circuits courts et alimentation durable : maraîchage biologique, paniers et restauration collective.',
    'Épicerie solidaire et lutte contre la précarité alimentaire.',
  ],
  culture: ['Lieu culturel partagé : résidences d’artistes, spectacles et éducation populaire.'],
  digital: [
    'Inclusion numérique : ateliers, reconditionnement d’ordinateurs, accompagnement aux démarches en ligne.',
  ],
  mobility: ['Mobilité solidaire : location de véhicules, garage associatif, transport à la demande.'],
  construction: ['Écoconstruction, rénovation énergétique des logements et matériaux biosourcés.'],
  business_services: [
    'Services aux entreprises de l’économie sociale et solidaire : comptabilité, paie, conseil.',
    'Coopérative d’activité : hébergement juridique d’entrepreneurs salariés.',
  ],
  tourism: ['Tourisme durable et solidaire, hébergements et séjours accessibles à tous.'],
  health_social: ['Services à la personne, aide à domicile et habitat inclusif pour les personnes âgées.'],
  training: ['Formation professionnelle et apprentissage, qualifications reconnues.'],
};

const GENERIC_SENTENCES = [
  'Acteur de l’économie sociale et solidaire implanté sur le territoire depuis plus de dix ans.',
  'Structure engagée dans le développement local et la coopération entre acteurs.',
  'Gouvernance partagée entre salariés, usagers, bénévoles et collectivités.',
  'Membre actif des réseaux régionaux de l’Économie sociale et solidaire.',
  'Emploie une vingtaine de salariés et mobilise de nombreux bénévoles.',
  'Partenaire des collectivités locales pour des projets d’intérêt général.',
];

const POLE_NAME_PATTERNS = [
  (t: string, theme: string) => `PTCE ${theme} ${t}`,
  (t: string, theme: string) => `Pôle ${theme} du territoire ${ofPlace(t)}`,
  (t: string, _theme: string) => `Pôle territorial de coopération économique ${ofPlace(t)}`,
  (t: string, theme: string) => `Coopérative de territoire ${t} — ${theme}`,
  (t: string, _theme: string) => `Cluster économie solidaire ${t}`,
];

const POLE_THEME_WORDS: Record<Theme, string> = {
  insertion: 'Insertion',
  early_childhood: 'Petite enfance',
  renewable_energy: 'Énergie',
  recycling_reuse: 'Réemploi',
  food_agriculture: 'Alimentation',
  culture: 'Culture',
  digital: 'Numérique',
  mobility: 'Mobilités',
  construction: 'Écoconstruction',
  business_services: 'Entreprendre',
  tourism: 'Tourisme',
  health_social: 'Santé & social',
  training: 'Formation',
};

const slugify = (value: string) => normalizeName(value).replace(/ /g, '-').slice(0, 70).replace(/-+$/, '');

// --- Generation ---------------------------------------------------------------------------------------

interface CommuneRow {
  code: string;
  name: string;
  departement: string;
  region: string;
  lat: number | null;
  lon: number | null;
  population: number;
}

/** Cumulative-weight sampler over communes: mostly by population, with a share of small places. */
function communeSampler(random: Random, rows: CommuneRow[]) {
  const cumulative: number[] = [];
  let total = 0;
  for (const row of rows) {
    total += row.population;
    cumulative.push(total);
  }
  return (): CommuneRow => {
    if (random() < 0.15) return pick(random, rows); // rural spread: any commune
    const r = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return rows[lo]!;
  };
}

/** INSERT statements per transaction: one commit (and one WAL sync) per this many batches. */
const BATCHES_PER_TRANSACTION = 20;

/**
 * Inserts rows `batchSize` at a time, `BATCHES_PER_TRANSACTION` statements per transaction (one
 * `db.batch`): committing every statement on its own costs a WAL sync each.
 */
async function insertInBatches<T>(
  db: Db,
  rows: T[],
  batchSize: number,
  insert: (chunk: T[]) => BatchItem<'sqlite'>,
) {
  const statements: BatchItem<'sqlite'>[] = [];
  for (let i = 0; i < rows.length; i += batchSize) statements.push(insert(rows.slice(i, i + batchSize)));
  for (let i = 0; i < statements.length; i += BATCHES_PER_TRANSACTION) {
    const [first, ...rest] = statements.slice(i, i + BATCHES_PER_TRANSACTION);
    if (first) await db.batch([first, ...rest]);
  }
}

export async function generateData(
  { client, db }: { client: Client; db: Db },
  options: GenerateOptions,
): Promise<GeneratedData> {
  const random = seededRandom(options.seed);
  const communeRows: CommuneRow[] = await db
    .select({
      code: communes.code,
      name: communes.name,
      departement: communes.departement,
      region: communes.region,
      lat: communes.lat,
      lon: communes.lon,
      population: communes.population,
    })
    .from(communes)
    .where(and(sql`${communes.type} = 'COM'`, isNotNull(communes.lat)));
  if (communeRows.length === 0) throw new Error('The communes table is empty: were migrations applied?');
  const nextCommune = communeSampler(random, communeRows);
  const now = new Date('2026-06-01T09:00:00Z');
  const timestamp = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();

  // Organisations ------------------------------------------------------------------------------------
  const sirets = new Set<string>();
  const orgRows: (typeof organisations.$inferInsert)[] = [];
  const orgThemeRows: (typeof organisationThemes.$inferInsert)[] = [];
  const orgsByDepartement = new Map<string, { id: number; kind: Kind }[]>();
  const orgsByRegion = new Map<string, { id: number; kind: Kind }[]>();
  const orgPlaces: ListingOrganisation[] = [];
  for (let id = 1; id <= options.organisations; id++) {
    const commune = nextCommune();
    const kind = pickWeighted(random, KIND_WEIGHTS);
    const legalForm = pickWeighted(random, LEGAL_FORMS_BY_KIND[kind]);
    const themes = sample(
      random,
      THEMES,
      pickWeighted(random, [
        [1, 45],
        [2, 35],
        [3, 20],
      ] as const),
    );
    const mainTheme = themes[0]!;
    const stem = pick(random, THEME_NAMES[mainTheme]);
    const prefixes = KIND_PREFIX[kind] ?? LEGAL_FORM_PREFIX[legalForm];
    // No « Association Association… » or « Coopérative Coopérative solaire ».
    const prefix = pick(random, prefixes.filter((p) => !stem.startsWith(p.split(' ')[0]!)).concat(''));
    const where =
      random() < 0.8 ? commune.name : pick(random, ['du Pays', 'des Vallées', 'du Bassin', 'Sud']);
    let name = `${prefix ? `${prefix} ` : ''}${stem} ${where}`.replace(/\s+/g, ' ').trim();
    if (random() < 0.08) name = `${name} — Économie solidaire`;
    if (random() < 0.3) name = `${name} ${int(random, 2, 99)}`; // homonyms are common; keep them apart
    const sentences = [
      pick(random, THEME_SENTENCES[mainTheme]),
      ...themes.slice(1).map((t) => pick(random, THEME_SENTENCES[t])),
      pick(random, GENERIC_SENTENCES),
    ];
    if (random() < 0.5) sentences.push(pick(random, GENERIC_SENTENCES));
    let siret = randomSiret(random);
    while (sirets.has(siret)) siret = randomSiret(random);
    sirets.add(siret);
    const created = int(random, 1, 900);
    const slugBase = slugify(name).slice(0, 30) || 'organisation';
    orgRows.push({
      id,
      siret,
      name,
      sortName: normalizeName(name),
      kind,
      legalForm,
      nafCode: random() < 0.85 ? pick(random, NAF_BY_KIND[kind]) : null,
      themes,
      communeCode: commune.code,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
      description: sentences.join(' '),
      website: random() < 0.6 ? `https://${slugBase}.example.fr` : null,
      contactEmail: random() < 0.7 ? `contact@${slugBase}.example.fr` : null,
      isDemo: false,
      version: 1,
      createdAt: timestamp(created),
      updatedAt: timestamp(int(random, 0, created)),
    });
    for (const theme of themes) orgThemeRows.push({ theme, organisationId: id });
    orgPlaces.push({
      id,
      communeCode: commune.code,
      communeName: commune.name,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
      poleIds: [],
    });
    const entry = { id, kind };
    if (!orgsByDepartement.has(commune.departement)) orgsByDepartement.set(commune.departement, []);
    orgsByDepartement.get(commune.departement)!.push(entry);
    if (!orgsByRegion.has(commune.region)) orgsByRegion.set(commune.region, []);
    orgsByRegion.get(commune.region)!.push(entry);
  }
  await insertInBatches(db, orgRows, options.batchSize, (chunk) => db.insert(organisations).values(chunk));
  await insertInBatches(db, orgThemeRows, options.batchSize, (chunk) =>
    db.insert(organisationThemes).values(chunk),
  );

  // Pôles --------------------------------------------------------------------------------------------
  const departementsByRegion = new Map<string, Set<string>>();
  for (const c of communeRows) {
    const set = departementsByRegion.get(c.region) ?? new Set<string>();
    set.add(c.departement);
    departementsByRegion.set(c.region, set);
  }
  const slugs = new Set<string>();
  const poleRows: (typeof poles.$inferInsert)[] = [];
  const poleThemeRows: (typeof poleThemes.$inferInsert)[] = [];
  const poleDepartementRows: (typeof poleDepartements.$inferInsert)[] = [];
  const poleMemberRows: (typeof poleMembers.$inferInsert)[] = [];
  const everyone = orgRows.map((o) => ({ id: o.id!, kind: o.kind }));
  let sampleSlug = '';
  let sampleMembers = 0;
  for (let id = 1; id <= options.poles; id++) {
    const commune = nextCommune();
    const themes = sample(random, THEMES, int(random, 1, 3));
    const mainTheme = themes[0]!;
    const territory = random() < 0.7 ? commune.name : `Pays ${ofPlace(commune.name)}`;
    const name = pick(random, POLE_NAME_PATTERNS)(territory, POLE_THEME_WORDS[mainTheme]);
    let slug = slugify(name);
    for (let n = 2; slugs.has(slug); n++) slug = `${slugify(name).slice(0, 66)}-${n}`;
    slugs.add(slug);
    const neighbours = [...(departementsByRegion.get(commune.region) ?? [])].filter(
      (d) => d !== commune.departement,
    );
    const departements = [
      commune.departement,
      ...sample(
        random,
        neighbours,
        pickWeighted(random, [
          [0, 60],
          [1, 25],
          [2, 15],
        ] as const),
      ),
    ];
    const status = pickWeighted<PoleStatus>(random, [
      ['emerging', 45],
      ['established', 35],
      ['laureate', 20],
    ]);
    const description = [
      `Pôle territorial de coopération économique réunissant des acteurs de l’économie sociale et solidaire, des entreprises et des collectivités autour de ${POLE_THEME_WORDS[mainTheme].toLowerCase()}.`,
      ...themes.map((t) => pick(random, THEME_SENTENCES[t])),
      pick(random, GENERIC_SENTENCES),
    ].join(' ');
    const created = int(random, 1, 900);
    poleRows.push({
      id,
      slug,
      name,
      description,
      communeCode: commune.code,
      departement: commune.departement,
      region: commune.region,
      lat: commune.lat,
      lon: commune.lon,
      departements,
      themes,
      status,
      isDemo: false,
      version: 1,
      createdAt: timestamp(created),
      updatedAt: timestamp(int(random, 0, created)),
    });
    for (const theme of themes) poleThemeRows.push({ theme, poleId: id });
    for (const departement of departements) poleDepartementRows.push({ departement, poleId: id });

    // Members: local organisations first, then from the région, then anywhere.
    const wanted = int(random, 3, 8);
    const local = orgsByDepartement.get(commune.departement) ?? [];
    const regional = orgsByRegion.get(commune.region) ?? [];
    const chosen = new Map<number, Kind>();
    for (const pool of [local, regional, everyone]) {
      for (const org of sample(random, pool, wanted - chosen.size)) chosen.set(org.id, org.kind);
      if (chosen.size >= wanted) break;
    }
    let first = true;
    for (const [organisationId] of chosen) {
      const memberStatus = first
        ? 'active'
        : pickWeighted(random, [
            ['active', 85],
            ['invited', 8],
            ['requested', 7],
          ] as const);
      poleMemberRows.push({
        poleId: id,
        organisationId,
        role: first ? 'coordinator' : 'member',
        status: memberStatus,
        createdAt: timestamp(created),
        updatedAt: timestamp(created),
      });
      first = false;
    }
    if (chosen.size > sampleMembers) {
      sampleMembers = chosen.size;
      sampleSlug = slug;
    }
  }
  await insertInBatches(db, poleRows, options.batchSize, (chunk) => db.insert(poles).values(chunk));
  await insertInBatches(db, poleThemeRows, options.batchSize, (chunk) => db.insert(poleThemes).values(chunk));
  await insertInBatches(db, poleDepartementRows, options.batchSize, (chunk) =>
    db.insert(poleDepartements).values(chunk),
  );
  await insertInBatches(db, poleMemberRows, options.batchSize, (chunk) =>
    db.insert(poleMembers).values(chunk),
  );

  // Listings -----------------------------------------------------------------------------------------
  let listingsReport: ListingsReport | undefined;
  if (options.listings) {
    for (const member of poleMemberRows) {
      if (member.status === 'active') orgPlaces[member.organisationId - 1]!.poleIds.push(member.poleId);
    }
    listingsReport = await generateListings(client, seededRandom(options.seed + 1), orgPlaces, {
      count: options.listings,
      now: options.listingsNow ?? startOfToday(),
      batchSize: Math.min(options.batchSize, 500),
      transactionRows: 10_000,
    });
  }

  const tableRows: Record<string, number> = {};
  const tables = await db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'`,
  );
  for (const { name } of tables) {
    const [row] = await db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM "${name}"`));
    tableRows[name] = row?.n ?? 0;
  }

  return {
    organisations: orgRows.length,
    organisationThemes: orgThemeRows.length,
    poles: poleRows.length,
    poleThemes: poleThemeRows.length,
    poleDepartements: poleDepartementRows.length,
    poleMembers: poleMemberRows.length,
    ...(listingsReport ? { listings: listingsReport } : {}),
    sampleSlug,
    tableRows,
  };
}

/** Listings when none is asked: three per organisation, at most 300,000. */
export const defaultListings = (organisations: number) => Math.min(3 * organisations, 300_000);

/** One line of what a fill generated and how fast (`npm run bench:data`, `npm run bench`). */
export function describeFill(report: FillReport): string {
  const rate = (n: number) => Math.round(n).toLocaleString('en');
  const listed = report.listings
    ? `, ${report.listings.listings} listings (${report.listings.searchable} searchable; ` +
      `${Object.entries(report.listings.byStatus)
        .map(([status, count]) => `${count} ${status}`)
        .join(
          ', ',
        )}) in ${report.listings.seconds.toFixed(1)} s, ${rate(report.listingsPerSecond ?? 0)} listings/s`
    : '';
  return (
    `${report.organisations} organisations (${report.organisationThemes} themes), ${report.poles} pôles ` +
    `(${report.poleThemes} themes, ${report.poleDepartements} départements, ${report.poleMembers} members)` +
    `${listed}; ${report.seconds.toFixed(1)} s in all — ${rate(report.rowsPerSecond)} rows/s`
  );
}

/** Midnight UTC today: generated listings are relative to it (so a day's runs share one database). */
export function startOfToday(): Date {
  return new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
}

/**
 * Moves every listing date `days` forward (a cached benchmark database generated on an earlier day
 * keeps its shape: as many listings published, expired, closed as on its first day). Dates only:
 * the FTS triggers do not fire.
 */
export async function shiftListingDates(client: Client, days: number): Promise<void> {
  const shift = `'${days >= 0 ? '+' : ''}${Math.trunc(days)} days'`;
  const instant = (column: string) => `${column} = strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, ${shift})`;
  const day = (column: string) => `${column} = date(${column}, ${shift})`;
  await client.execute(
    `UPDATE listings SET ${[
      ...['created_at', 'updated_at', 'published_at', 'closed_at', 'expires_at'].map(instant),
      ...['available_from', 'available_until'].map(day),
    ].join(', ')}`,
  );
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
}

export interface FillReport extends GeneratedData {
  migrated: boolean;
  seconds: number;
  /** Rows inserted (organisations, pôles and their link tables, listings), per second. */
  rowsPerSecond: number;
  /** Listings inserted per second (stems computed and FTS triggers run), when asked for. */
  listingsPerSecond?: number;
}

/**
 * Fills the database at `url` with generated data (migrated first when new): `npm run bench:data`,
 * and the benchmark's cached database. Refuses a database that already holds organisations (the
 * generator writes ids from 1).
 */
export async function fillDatabase(
  url: string,
  options: Omit<GenerateOptions, 'batchSize'> & { batchSize?: number },
): Promise<FillReport> {
  const { openDatabase } = await import('../src/db/local.ts');
  const { applyMigrations } = await import('../src/db/migrate.ts');
  const { client, db } = await openDatabase(url);
  try {
    const tables = await client.execute("SELECT 1 FROM sqlite_master WHERE name = 'organisations'");
    const migrated = tables.rows.length === 0;
    await applyMigrations(db);
    const existing = await client.execute('SELECT count(*) AS n FROM organisations');
    if (Number(existing.rows[0]?.n) > 0)
      throw new Error(`${url} already holds ${existing.rows[0]?.n} organisations: use an empty database`);
    const started = performance.now();
    const data = await generateData({ client, db }, { batchSize: 500, ...options });
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const seconds = (performance.now() - started) / 1000;
    const rows =
      data.organisations +
      data.organisationThemes +
      data.poles +
      data.poleThemes +
      data.poleDepartements +
      data.poleMembers +
      (data.listings?.listings ?? 0);
    return {
      ...data,
      migrated,
      seconds,
      rowsPerSecond: rows / seconds,
      ...(data.listings ? { listingsPerSecond: data.listings.listings / data.listings.seconds } : {}),
    };
  } finally {
    client.close();
  }
}
