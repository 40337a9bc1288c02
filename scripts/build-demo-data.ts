/**
 * Regenerates the demonstration data module from the shared reference files:
 *   npx tsx scripts/build-demo-data.ts [path/to/shared/data]
 * Reads ptce-reference.csv (real PTCE) and communes.csv (COG with coordinates), places every pôle
 * on a real commune (the named one; else the département's préfecture; else the région's chef-lieu,
 * said so in its description), derives themes and status, and invents 3–6 member organisations per
 * pôle (fictional names, deterministic Luhn-valid SIRETs, real communes near the pôle).
 * Writes src/features/demo/demo-data.ts: the app never reads ../shared at run time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DemoMember, DemoOrganisation, DemoPole } from '../src/features/demo/demo.ts';
import { withLuhnKey } from '../src/features/organisations/siret.ts';
import { slugify, slugWithSuffix } from '../src/features/poles/composition.ts';
import { normalizeName } from '../src/lib/normalize.ts';

const root = join(import.meta.dirname, '..');
const source = process.argv[2] ?? join(root, '..', 'shared', 'data');
const target = join(root, 'src', 'features', 'demo', 'demo-data.ts');

// ————————————————————————————————————————— CSV

/** CSV text → one record per row, keyed by the header's column names. */
function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, trim: true, skip_empty_lines: true, bom: true });
}

interface CommuneRow {
  code: string;
  type: string;
  name: string;
  departement: string;
  region: string;
  lat: number;
  lon: number;
  population: number;
}

const communes: CommuneRow[] = parseCsv(readFileSync(join(source, 'communes.csv'), 'utf8'))
  .filter((row) => row.lat && row.lon)
  .map((row) => ({
    code: row.code!,
    type: row.type!,
    name: row.name!,
    departement: row.departement!,
    region: row.region!,
    lat: Number(row.lat),
    lon: Number(row.lon),
    population: Number(row.population || 0),
  }));
const communeByCode = new Map(communes.map((c) => [c.code, c]));

const REGION_CODES: Record<string, string> = {
  Guadeloupe: '01',
  Martinique: '02',
  Guyane: '03',
  'La Réunion': '04',
  Mayotte: '06',
  'Île-de-France': '11',
  'Centre-Val de Loire': '24',
  'Bourgogne-Franche-Comté': '27',
  Normandie: '28',
  'Hauts-de-France': '32',
  'Grand Est': '44',
  'Pays de la Loire': '52',
  Bretagne: '53',
  'Nouvelle-Aquitaine': '75',
  Occitanie: '76',
  'Auvergne-Rhône-Alpes': '84',
  "Provence-Alpes-Côte d'Azur": '93',
  Corse: '94',
};

/** Chef-lieu of each département (préfecture), by INSEE code. */
const PREFECTURES: Record<string, string> = {
  '01': '01053', // Bourg-en-Bresse
  '02': '02408', // Laon
  '03': '03190', // Moulins
  '04': '04070', // Digne-les-Bains
  '05': '05061', // Gap
  '06': '06088', // Nice
  '07': '07186', // Privas
  '08': '08105', // Charleville-Mézières
  '09': '09122', // Foix
  '10': '10387', // Troyes
  '11': '11069', // Carcassonne
  '12': '12202', // Rodez
  '13': '13055', // Marseille
  '14': '14118', // Caen
  '15': '15014', // Aurillac
  '16': '16015', // Angoulême
  '17': '17300', // La Rochelle
  '18': '18033', // Bourges
  '19': '19272', // Tulle
  '2A': '2A004', // Ajaccio
  '2B': '2B033', // Bastia
  '21': '21231', // Dijon
  '22': '22278', // Saint-Brieuc
  '23': '23096', // Guéret
  '24': '24322', // Périgueux
  '25': '25056', // Besançon
  '26': '26362', // Valence
  '27': '27229', // Évreux
  '28': '28085', // Chartres
  '29': '29232', // Quimper
  '30': '30189', // Nîmes
  '31': '31555', // Toulouse
  '32': '32013', // Auch
  '33': '33063', // Bordeaux
  '34': '34172', // Montpellier
  '35': '35238', // Rennes
  '36': '36044', // Châteauroux
  '37': '37261', // Tours
  '38': '38185', // Grenoble
  '39': '39300', // Lons-le-Saunier
  '40': '40192', // Mont-de-Marsan
  '41': '41018', // Blois
  '42': '42218', // Saint-Étienne
  '43': '43157', // Le Puy-en-Velay
  '44': '44109', // Nantes
  '45': '45234', // Orléans
  '46': '46042', // Cahors
  '47': '47001', // Agen
  '48': '48095', // Mende
  '49': '49007', // Angers
  '50': '50502', // Saint-Lô
  '51': '51108', // Châlons-en-Champagne
  '52': '52121', // Chaumont
  '53': '53130', // Laval
  '54': '54395', // Nancy
  '55': '55029', // Bar-le-Duc
  '56': '56260', // Vannes
  '57': '57463', // Metz
  '58': '58194', // Nevers
  '59': '59350', // Lille
  '60': '60057', // Beauvais
  '61': '61001', // Alençon
  '62': '62041', // Arras
  '63': '63113', // Clermont-Ferrand
  '64': '64445', // Pau
  '65': '65440', // Tarbes
  '66': '66136', // Perpignan
  '67': '67482', // Strasbourg
  '68': '68066', // Colmar
  '69': '69123', // Lyon
  '70': '70550', // Vesoul
  '71': '71270', // Mâcon
  '72': '72181', // Le Mans
  '73': '73065', // Chambéry
  '74': '74010', // Annecy
  '75': '75056', // Paris
  '76': '76540', // Rouen
  '77': '77288', // Melun
  '78': '78646', // Versailles
  '79': '79191', // Niort
  '80': '80021', // Amiens
  '81': '81004', // Albi
  '82': '82121', // Montauban
  '83': '83137', // Toulon
  '84': '84007', // Avignon
  '85': '85191', // La Roche-sur-Yon
  '86': '86194', // Poitiers
  '87': '87085', // Limoges
  '88': '88160', // Épinal
  '89': '89024', // Auxerre
  '90': '90010', // Belfort
  '91': '91228', // Évry-Courcouronnes
  '92': '92050', // Nanterre
  '93': '93008', // Bobigny
  '94': '94028', // Créteil
  '95': '95500', // Pontoise
  '971': '97105', // Basse-Terre
  '972': '97209', // Fort-de-France
  '973': '97302', // Cayenne
  '974': '97411', // Saint-Denis
  '976': '97611', // Mamoudzou
};

/** Chef-lieu of each région, by INSEE code. */
const REGION_CAPITALS: Record<string, string> = {
  '01': '97105',
  '02': '97209',
  '03': '97302',
  '04': '97411',
  '06': '97611',
  '11': '75056',
  '24': '45234',
  '27': '21231',
  '28': '76540',
  '32': '59350',
  '44': '67482',
  '52': '44109',
  '53': '35238',
  '75': '33063',
  '76': '31555',
  '84': '69123',
  '93': '13055',
  '94': '2A004',
};

for (const [key, code] of [...Object.entries(PREFECTURES), ...Object.entries(REGION_CAPITALS)]) {
  if (!communeByCode.has(code)) throw new Error(`chef-lieu ${code} (${key}) missing from communes.csv`);
}

// ————————————————————————————————————————— pôles

interface SourcePole {
  name: string;
  commune: string;
  departement: string;
  region: string;
  secteur: string;
  reconnaissance: string;
  sources: string[];
  precision: string;
}

const reference: SourcePole[] = parseCsv(readFileSync(join(source, 'ptce-reference.csv'), 'utf8')).map(
  (row) => ({
    name: row.nom!,
    commune: row.commune!,
    departement: row.code_departement!,
    region: REGION_CODES[row.region!] ?? '',
    secteur: row.secteur!,
    reconnaissance: row.reconnaissance!,
    sources: row.source_url!.split(' ; ').map((s) => s.trim()),
    precision: row.precision!,
  }),
);
for (const row of reference) if (!row.region) throw new Error(`unknown région for ${row.name}`);

/**
 * Communes chosen by hand where the reference names a territory or quarter rather than a commune,
 * or where the name itself designates the place. Each one says why in the pôle's description.
 */
const PLACES: Record<string, { code: string; note: string }> = {
  'La Place des Possibles': { code: '26307', note: 'placé à Saint-Jean-en-Royans, bourg du Royans drômois' },
  'Émergence Hénin-Carvin': {
    code: '62427',
    note: 'placé à Hénin-Beaumont, dans l’agglomération Hénin-Carvin',
  },
  "Pôle de la Goutte d'Or (mode et design)": { code: '75118', note: 'quartier de la Goutte d’Or (18e)' },
  "PECCS – Pôle d'Économie Circulaire en Cœur de Savoie": {
    code: '73171',
    note: 'placé à Montmélian, au centre de Cœur de Savoie',
  },
  'Énergies Citoyennes en Pays de Vilaine': {
    code: '35236',
    note: 'placé à Redon, au centre du Pays de Vilaine',
  },
  'PTCE filière vélo du Grand Paris': { code: '75056', note: 'placé à Paris (Grand Paris)' },
  "PTCE Turfu Productions en Val d'Allier": {
    code: '63113',
    note: 'la source ne nomme que le Val d’Allier ; le pôle est placé à Clermont-Ferrand, préfecture du Puy-de-Dôme que traverse l’Allier',
  },
};

/** Territories beyond the seat's département, where the reference describes a wider area. */
const COVERED: Record<string, string[]> = {
  "Recyclo'Occ textile – Cluster des acteurs de l'économie textile circulaire en Occitanie": [
    '09',
    '11',
    '12',
    '30',
    '31',
    '32',
    '34',
    '46',
    '48',
    '65',
    '66',
    '81',
    '82',
  ],
  'Micro-filière Meunerie sur la Margeride (Association Terres de Vie)': ['48', '43', '15'],
  'PTCE filière vélo du Grand Paris': ['75', '92', '93', '94'],
  'Énergies Citoyennes en Pays de Vilaine': ['35', '56', '44'],
  'Pôle Laine du Pays de Saugues': ['43', '48'],
  'PTCE Centre Isère': ['38'],
};

/** Pôles named in the founding documents and absent from the reference file. */
const FOUNDING: SourcePole[] = [
  {
    name: 'La Serre – Le Multiple',
    commune: 'Toulouse',
    departement: '31',
    region: '76',
    secteur: 'Tiers-lieu de coopération : économie circulaire, culture, services partagés',
    reconnaissance: 'Pôle cité dans les documents fondateurs de la plateforme',
    sources: [],
    precision: 'activités indiquées à titre d’illustration',
  },
  {
    name: 'Coopaxis',
    commune: 'Tours',
    departement: '37',
    region: '24',
    secteur: 'Coopération entre entreprises, accompagnement et services aux entreprises, numérique',
    reconnaissance: 'Pôle cité dans les documents fondateurs de la plateforme',
    sources: [],
    precision: 'activités indiquées à titre d’illustration',
  },
  {
    name: 'Le Damier',
    commune: 'Clermont-Ferrand',
    departement: '63',
    region: '84',
    secteur: 'Industries culturelles et créatives, numérique',
    reconnaissance: 'Pôle cité dans les documents fondateurs de la plateforme',
    sources: [],
    precision: 'activités indiquées à titre d’illustration',
  },
  {
    name: 'PTCE Centre Isère',
    commune: 'Voiron',
    departement: '38',
    region: '84',
    secteur: 'Insertion, réemploi, mobilité et alimentation autour de Voiron',
    reconnaissance: 'Pôle cité dans les documents fondateurs de la plateforme',
    sources: [],
    precision: 'activités indiquées à titre d’illustration',
  },
  {
    name: 'Pôle Sud',
    commune: '',
    departement: '26',
    region: '84',
    secteur: 'Insertion et coopération économique dans la Drôme',
    reconnaissance: 'Pôle cité dans les documents fondateurs de la plateforme',
    sources: [],
    precision: 'commune non précisée',
  },
];

/** "Le PHARES" of the reference is the Cité Phares of the founding documents. */
const RENAMED: Record<string, string> = { 'Le PHARES': 'Cité Phares' };

function findCommune(name: string, departement: string, region: string): CommuneRow | undefined {
  const wanted = normalizeName(name);
  const matches = communes.filter(
    (c) =>
      c.type === 'COM' &&
      normalizeName(c.name) === wanted &&
      (departement ? c.departement === departement : c.region === region),
  );
  return matches.sort((a, b) => b.population - a.population)[0];
}

/** The commune a pôle is placed at, and a note when it is an approximation. */
function placePole(pole: SourcePole): { commune: CommuneRow; note?: string } {
  const manual = PLACES[pole.name];
  if (manual) return { commune: communeByCode.get(manual.code)!, note: `Localisation : ${manual.note}.` };
  const today = /auj\. ([^)]+)\)/.exec(pole.commune)?.[1];
  const named = (today ?? pole.commune.replace(/\([^)]*\)/g, '')).trim();
  if (named) {
    const commune = findCommune(named, pole.departement, pole.region);
    if (commune) return { commune };
    notes.push(`${pole.name}: commune « ${pole.commune} » not found, using the préfecture`);
  }
  if (pole.departement) {
    return {
      commune: communeByCode.get(PREFECTURES[pole.departement]!)!,
      note: 'Localisation approximative : la source ne précise pas la commune, le pôle est placé à la préfecture du département.',
    };
  }
  return {
    commune: communeByCode.get(REGION_CAPITALS[pole.region]!)!,
    note: 'Localisation approximative : la source ne précise que la région, le pôle est placé à son chef-lieu.',
  };
}

const THEME_RULES: Array<[string, RegExp]> = [
  ['insertion', /insertion|(?<![a-zé])emploi|IAE|GEIQ|chantier|régie/i],
  ['early_childhood', /petite enfance|crèche/i],
  ['renewable_energy', /énergie/i],
  ['recycling_reuse', /réemploi|recycl|circulaire|déchet|réparation|ressourcerie/i],
  [
    'food_agriculture',
    /aliment|agri|maraîch|meunerie|nourricier|circuits courts|\blaine\b|manger|vignerons/i,
  ],
  ['culture', /cultur|créati|design|mode|artist|zarts|herbes folles/i],
  ['digital', /numérique|informatique|ordi/i],
  ['mobility', /mobilit|vélo/i],
  ['construction', /bâtiments? durables?|rénovation|renov|matériaux|bois|echobat/i],
  [
    'business_services',
    /accompagnement|coworking|entrepreneuriat|services aux entreprises|tiers-lieu|coopération/i,
  ],
  ['tourism', /tourisme/i],
  ['health_social', /santé|médico|social|autonomie|vieillir|services à la personne|sport/i],
  ['training', /formation|qualification/i],
];

function themesOf(pole: SourcePole): string[] {
  const text = `${pole.secteur} ${pole.name}`;
  const themes = THEME_RULES.filter(([, rule]) => rule.test(text)).map(([theme]) => theme);
  return themes.length > 0 ? themes.slice(0, 4) : ['business_services'];
}

function statusOf(pole: SourcePole): 'emerging' | 'established' | 'laureate' {
  if (/lauréat/i.test(pole.reconnaissance) && !/non vérifié/i.test(pole.reconnaissance)) return 'laureate';
  if (/rencontre régionale|émergent/i.test(pole.reconnaissance)) return 'emerging';
  return 'established';
}

// ————————————————————————————————————————— organisations

/** Deterministic pseudo-random numbers (mulberry32), seeded by a string. */
function random(seed: string): () => number {
  let h = 1779033703;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** The n-th demo SIRET: a Luhn-valid SIREN in the 9xx xxx xxx range (never La Poste's), then a Luhn-valid SIRET. */
function demoSiret(n: number): string {
  const siren = withLuhnKey(String(90_000_000 + n * 7_919));
  return withLuhnKey(`${siren}${String(10 + (n % 90)).padStart(4, '0')}`);
}

type Kind = DemoOrganisation['kind'];

const SURNAMES = [
  'Martin',
  'Bernard',
  'Roux',
  'Fournier',
  'Girard',
  'Lambert',
  'Bonnet',
  'Faure',
  'Mercier',
  'Blanc',
  'Guerin',
  'Chevalier',
  'Robin',
  'Gauthier',
  'Perrin',
  'Morel',
  'Masson',
  'Marchand',
  'Duval',
  'Renaud',
];
const WORDS = [
  'Horizons',
  'Trait d’Union',
  'Passerelles',
  'Racines',
  'Boussole',
  'Ricochet',
  'Cordée',
  'Éclaircie',
  'Canopée',
  'Filature',
  'Établi',
  'Escale',
  'Sillon',
  'Ancrage',
  'Confluence',
  'Archipel',
];
const AREAS = [
  'des Trois Rivières',
  'du Val Fleuri',
  'des Hautes Terres',
  'des Coteaux',
  'de la Plaine Verte',
  'des Deux Vallées',
  'du Plateau',
  'des Collines Bleues',
  'de la Haute Lande',
  'du Bocage',
];

/** A kind of fictional organisation: how it is named, its legal forms and its NAF code. */
interface Template {
  name: (place: string, rand: () => number) => string;
  legalForms: Array<DemoOrganisation['legalForm']>;
  naf: string;
}

const TEMPLATES: Record<Kind, Template[]> = {
  ess: [
    { name: (place) => `Recyclerie ${place}`, legalForms: ['association', 'scic'], naf: '38.32Z' },
    { name: (place) => `Régie de quartier ${place}`, legalForms: ['association'], naf: '81.30Z' },
    { name: (_, r) => `SCIC ${pick(r, WORDS)}`, legalForms: ['scic'], naf: '88.99B' },
    { name: (place) => `Atelier chantier d’insertion ${place}`, legalForms: ['association'], naf: '88.99B' },
    {
      name: (_, r) => `Coopérative d’activité et d’emploi ${pick(r, WORDS)}`,
      legalForms: ['scop', 'scic'],
      naf: '70.22Z',
    },
    { name: (_, r) => `Association ${pick(r, WORDS)} solidaire`, legalForms: ['association'], naf: '88.99B' },
    {
      name: (place) => `Épicerie solidaire ${place}`,
      legalForms: ['association', 'esus_company'],
      naf: '47.11B',
    },
  ],
  sme: [
    { name: (_, r) => `Menuiserie ${pick(r, SURNAMES)}`, legalForms: ['company'], naf: '16.23Z' },
    { name: (_, r) => `Transports ${pick(r, SURNAMES)} et fils`, legalForms: ['company'], naf: '49.41A' },
    { name: (_, r) => `${pick(r, SURNAMES)} Bâtiment`, legalForms: ['company'], naf: '43.99C' },
    { name: (_, r) => `Imprimerie ${pick(r, SURNAMES)}`, legalForms: ['company'], naf: '18.12Z' },
    { name: (_, r) => `Studio ${pick(r, WORDS)}`, legalForms: ['company'], naf: '62.01Z' },
    { name: (place) => `Maraîchage ${place}`, legalForms: ['company'], naf: '01.13Z' },
    { name: (_, r) => `Bureau d’études ${pick(r, WORDS)}`, legalForms: ['company'], naf: '71.12B' },
  ],
  local_authority: [
    {
      name: (_, r) => `Communauté de communes ${pick(r, AREAS)}`,
      legalForms: ['public_body'],
      naf: '84.11Z',
    },
    { name: (_, r) => `Syndicat mixte ${pick(r, AREAS)}`, legalForms: ['public_body'], naf: '84.11Z' },
    {
      name: (_, r) => `Pôle d’équilibre territorial ${pick(r, AREAS)}`,
      legalForms: ['public_body'],
      naf: '84.13Z',
    },
  ],
  research: [
    {
      name: (_, r) => `Laboratoire ${pick(r, WORDS)} — économie sociale`,
      legalForms: ['public_body'],
      naf: '72.20Z',
    },
    { name: (_, r) => `Institut de recherche ${pick(r, WORDS)}`, legalForms: ['association'], naf: '72.20Z' },
  ],
  training: [
    { name: (place) => `Centre de formation ${place}`, legalForms: ['association'], naf: '85.59A' },
    {
      name: (_, r) => `Lycée professionnel ${pick(r, SURNAMES)}`,
      legalForms: ['public_body'],
      naf: '85.32Z',
    },
    { name: (_, r) => `Campus des métiers ${pick(r, WORDS)}`, legalForms: ['public_body'], naf: '85.32Z' },
  ],
  network: [{ name: (_, r) => `Réseau ${pick(r, WORDS)}`, legalForms: ['association'], naf: '94.99Z' }],
  other: [{ name: (_, r) => `Fondation ${pick(r, WORDS)}`, legalForms: ['fondation'], naf: '94.99Z' }],
};

/** "de Voiron", "d’Angers", "du Mans", "des Abymes", "de L’Île-Saint-Denis" → for names. */
function ofPlace(name: string): string {
  if (/^Le /.test(name)) return `du ${name.slice(3)}`;
  if (/^Les /.test(name)) return `des ${name.slice(4)}`;
  if (/^[AEIOUYÉÈÊÎÏÔÂ]/i.test(name)) return `d’${name}`;
  return `de ${name}`;
}

/** Communes near a point (within `km`), the larger ones first. */
function communesNear(lat: number, lon: number, km: number): CommuneRow[] {
  const toRad = Math.PI / 180;
  return communes
    .filter((c) => c.type === 'COM' && c.population >= 1500)
    .filter((c) => {
      const dLat = (c.lat - lat) * toRad;
      const dLon = (c.lon - lon) * toRad;
      const a =
        Math.sin(dLat / 2) ** 2 + Math.cos(lat * toRad) * Math.cos(c.lat * toRad) * Math.sin(dLon / 2) ** 2;
      return 2 * 6371 * Math.asin(Math.sqrt(a)) <= km;
    })
    .sort((a, b) => b.population - a.population)
    .slice(0, 12);
}

const notes: string[] = [];
const organisations: DemoOrganisation[] = [];
const usedNames = new Set<string>();
const usedSlugs = new Set<string>(['nouveau']);

function newOrganisation(kind: Kind, commune: CommuneRow, themes: string[], rand: () => number) {
  const template = pick(rand, TEMPLATES[kind]);
  let name = template.name(ofPlace(commune.name), rand);
  if (usedNames.has(name)) name = `${name} ${ofPlace(commune.name)}`;
  for (let n = 2; usedNames.has(name); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
  usedNames.add(name);
  const organisation: DemoOrganisation = {
    siret: demoSiret(organisations.length + 1),
    name,
    kind,
    legalForm: pick(rand, template.legalForms),
    nafCode: template.naf,
    themes: themes.filter(() => rand() < 0.7).slice(0, 3),
    communeCode: commune.code,
  };
  organisations.push(organisation);
  return organisation;
}

/**
 * The members of a pôle: an ESS coordinator at the seat, then a company and a collectivité,
 * research or training body (so that the pôle meets the PTCE definition) — except every sixth
 * pôle, left without the third kind to show the indicator — then one to three more of any kind.
 */
function membersOf(pole: DemoPole, index: number, seat: CommuneRow): DemoMember[] {
  const rand = random(pole.name);
  const near = communesNear(seat.lat, seat.lon, 30);
  const places = near.length > 0 ? near : [seat];
  const kinds: Kind[] = ['ess', 'sme'];
  if (index % 6 !== 5) kinds.push(pick(rand, ['local_authority', 'research', 'training'] as const));
  else kinds.push('ess');
  const extra = Math.floor(rand() * 4);
  for (let i = 0; i < extra; i++)
    kinds.push(pick(rand, ['ess', 'sme', 'sme', 'local_authority', 'training', 'network', 'other'] as const));
  return kinds.map((kind, i) => {
    const commune = i === 0 ? seat : pick(rand, places);
    const organisation = newOrganisation(kind, commune, pole.themes, rand);
    return { siret: organisation.siret, role: i === 0 ? 'coordinator' : 'member', status: 'active' };
  });
}

function describe(pole: SourcePole, note: string | undefined, formerName: string | undefined): string {
  const sourced = pole.sources.length > 0;
  const parts = [
    pole.secteur && !/^Non précisé/.test(pole.secteur) ? `${pole.secteur}.` : '',
    formerName ? `Appelé « ${formerName} » dans la liste de référence.` : '',
    `Reconnaissance : ${pole.reconnaissance}.`,
    sourced
      ? `Sources publiques : ${pole.sources.join(' ; ')}`
      : 'Activités indiquées à titre d’illustration.',
    note ?? '',
    sourced
      ? 'Donnée de démonstration construite à partir de sources publiques : les organisations membres présentées ici sont fictives.'
      : 'Donnée de démonstration : les organisations membres présentées ici sont fictives.',
  ];
  return parts.filter(Boolean).join('\n\n');
}

const poles: DemoPole[] = [];
for (const source of [...reference, ...FOUNDING]) {
  const name = RENAMED[source.name] ?? source.name;
  const { commune, note } = placePole(source);
  let slug = slugify(name.replace(/\s*\(.*\)$/, ''));
  for (let n = 2; usedSlugs.has(slug); n++) slug = slugWithSuffix(slugify(name), n);
  usedSlugs.add(slug);
  const pole: DemoPole = {
    slug,
    name,
    description: describe(source, note, RENAMED[source.name] ? source.name : undefined),
    communeCode: commune.code,
    departements: COVERED[source.name] ?? [commune.departement],
    themes: themesOf(source),
    status: statusOf(source),
    members: [],
  };
  pole.members = membersOf(pole, poles.length, commune);
  poles.push(pole);
}

// The demo member account: owner of the PTCE Centre Isère's coordinator and of a company in Grenoble
// that belongs to no pôle yet, invited by Pôle Sud; a pending request waits on the PTCE Centre Isère.
const centreIsere = poles.find((p) => p.slug === 'ptce-centre-isere')!;
const poleSud = poles.find((p) => p.slug === 'pole-sud')!;
const demoCompany = newOrganisation(
  'sme',
  communeByCode.get('38185')!,
  ['construction', 'recycling_reuse'],
  random('demo'),
);
poleSud.members.push({ siret: demoCompany.siret, role: 'member', status: 'invited' });
const applicant = newOrganisation('training', communeByCode.get('38563')!, ['training'], random('candidat'));
centreIsere.members.push({ siret: applicant.siret, role: 'member', status: 'requested' });
const demoAccountSirets = [centreIsere.members[0]!.siret, demoCompany.siret];

// ————————————————————————————————————————— output

/** One record per line: compact, and a regenerated file diffs record by record. */
const lines = (records: unknown[]) => `[\n${records.map((r) => `  ${JSON.stringify(r)},`).join('\n')}\n]`;

const body = `// Generated by scripts/build-demo-data.ts from ../shared/data (ptce-reference.csv, communes.csv).
// Do not edit by hand: change the script and run \`npx tsx scripts/build-demo-data.ts\`.
// Pôles are real PTCE from public sources (with their sources in the description); their member
// organisations are fictional. Départements, régions and coordinates come from the communes table.

import type { DemoOrganisation, DemoPole } from './demo.ts';

/** SIRETs of the organisations the demo member account owns. */
export const DEMO_ACCOUNT_SIRETS: string[] = ${JSON.stringify(demoAccountSirets)};

// biome-ignore format: generated data, one record per line
export const DEMO_ORGANISATIONS: DemoOrganisation[] = ${lines(organisations)};

// biome-ignore format: generated data, one record per line
export const DEMO_POLES: DemoPole[] = ${lines(poles)};
`;
writeFileSync(target, body);
execFileSync('npx', ['biome', 'format', '--write', target], { cwd: root, stdio: 'ignore' });

for (const note of notes) console.warn(`note: ${note}`);
console.log(
  `${poles.length} pôles, ${organisations.length} organisations, ${poles.reduce((n, p) => n + p.members.length, 0)} memberships → ${target}`,
);
