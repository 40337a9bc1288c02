/**
 * Benchmark listings (offers and needs), for bench/generate.ts: French titles and descriptions
 * varied from per-category vocabularies (singular and plural, accents, gender agreement), both
 * types, every category and terms, measures, availability, published within the last 90 days
 * before the anchor day with some drafts, closed, moderated and expired listings. Each listing sits
 * at its organisation's commune; its stem columns come from `searchColumns` (the app's own), so the
 * FTS triggers index exactly what the app would. Ids follow creation time, as in real use.
 */
import type { Client, InValue } from '@libsql/client';
import { getTableColumns } from 'drizzle-orm';
import {
  type LISTING_CATEGORIES,
  type LISTING_CLOSE_REASONS,
  type LISTING_STATUSES,
  type LISTING_TERMS,
  type LISTING_TYPES,
  listings,
} from '../src/db/schema.ts';
import { searchColumns } from '../src/features/listings/queries.ts';
import { LISTING_TTL_DAYS } from '../src/features/listings/schemas.ts';

type Category = (typeof LISTING_CATEGORIES)[number];
type ListingType = (typeof LISTING_TYPES)[number];
type Terms = (typeof LISTING_TERMS)[number];
type Status = (typeof LISTING_STATUSES)[number];
type CloseReason = (typeof LISTING_CLOSE_REASONS)[number];
type Random = () => number;

const DAY_MS = 86_400_000;
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

// --- Vocabulary --------------------------------------------------------------------------------------

/** A thing one can offer or need: singular, plural, gender (for « un/une », « disponible·s »…). */
interface Noun {
  s: string;
  p: string;
  g: 'm' | 'f';
}
const n = (s: string, p: string, g: 'm' | 'f' = 'm'): Noun => ({ s, p, g });

const NOUNS: Record<Category, Noun[]> = {
  premises: [
    n('local', 'locaux'),
    n('local d’activité', 'locaux d’activité'),
    n('local commercial', 'locaux commerciaux'),
    n('bureau', 'bureaux'),
    n('salle de réunion', 'salles de réunion', 'f'),
    n('atelier', 'ateliers'),
    n('entrepôt', 'entrepôts'),
    n('cuisine professionnelle', 'cuisines professionnelles', 'f'),
    n('espace de stockage', 'espaces de stockage'),
    n('chambre froide', 'chambres froides', 'f'),
    n('terrain maraîcher', 'terrains maraîchers'),
    n('salle polyvalente', 'salles polyvalentes', 'f'),
    n('poste de travail en coworking', 'postes de travail en coworking'),
  ],
  equipment: [
    n('véhicule utilitaire', 'véhicules utilitaires'),
    n('camion frigorifique', 'camions frigorifiques'),
    n('vélo cargo', 'vélos cargos'),
    n('minibus de neuf places', 'minibus de neuf places'),
    n('remorque', 'remorques', 'f'),
    n('matériel de sonorisation', 'matériels de sonorisation'),
    n('matériel de cuisine', 'matériels de cuisine'),
    n('outil électroportatif', 'outils électroportatifs'),
    n('ordinateur reconditionné', 'ordinateurs reconditionnés'),
    n('chapiteau', 'chapiteaux'),
    n('broyeur de végétaux', 'broyeurs de végétaux'),
    n('imprimante 3D', 'imprimantes 3D', 'f'),
    n('tracteur', 'tracteurs'),
    n('machine à coudre', 'machines à coudre', 'f'),
  ],
  skills: [
    n('compétence en comptabilité', 'compétences en comptabilité', 'f'),
    n('accompagnement juridique', 'accompagnements juridiques'),
    n('conseil en communication', 'conseils en communication'),
    n('graphiste bénévole', 'graphistes bénévoles'),
    n('développeur web', 'développeurs web'),
    n('expertise en marchés publics', 'expertises en marchés publics', 'f'),
    n('menuisier pour un chantier', 'menuisiers pour un chantier'),
    n('électricien', 'électriciens'),
    n('mécénat de compétences', 'mécénats de compétences'),
    n('traduction de documents', 'traductions de documents', 'f'),
  ],
  shared_jobs: [
    n('comptable à temps partagé', 'comptables à temps partagé'),
    n('chargé de communication partagé', 'chargés de communication partagés'),
    n('animatrice de réseau', 'animatrices de réseau', 'f'),
    n('agent d’entretien', 'agents d’entretien'),
    n('chauffeur-livreur', 'chauffeurs-livreurs'),
    n('assistante administrative', 'assistantes administratives', 'f'),
    n('coordinateur de projets', 'coordinateurs de projets'),
    n('cuisinier', 'cuisiniers'),
    n('encadrant technique d’insertion', 'encadrants techniques d’insertion'),
  ],
  services: [
    n('service de paie', 'services de paie'),
    n('ménage des locaux', 'ménages des locaux'),
    n('standard téléphonique', 'standards téléphoniques'),
    n('service de reprographie', 'services de reprographie'),
    n('maintenance informatique', 'maintenances informatiques', 'f'),
    n('secrétariat partagé', 'secrétariats partagés'),
    n('conciergerie d’entreprise', 'conciergeries d’entreprise', 'f'),
    n('service de traiteur', 'services de traiteur'),
    n('blanchisserie', 'blanchisseries', 'f'),
  ],
  purchasing: [
    n('achat groupé de fournitures', 'achats groupés de fournitures'),
    n('produit biologique local', 'produits biologiques locaux'),
    n('légume de saison', 'légumes de saison'),
    n('ramette de papier recyclé', 'ramettes de papier recyclé', 'f'),
    n('équipement de protection', 'équipements de protection'),
    n('débouché pour nos confitures', 'débouchés pour nos confitures'),
    n('commande groupée de matériel', 'commandes groupées de matériel', 'f'),
    n('contrat d’électricité verte', 'contrats d’électricité verte'),
  ],
  training: [
    n('formation aux premiers secours', 'formations aux premiers secours', 'f'),
    n('formation à la comptabilité', 'formations à la comptabilité', 'f'),
    n('atelier numérique', 'ateliers numériques'),
    n('formation au management', 'formations au management', 'f'),
    n('formation CACES', 'formations CACES', 'f'),
    n('sensibilisation à l’économie circulaire', 'sensibilisations à l’économie circulaire', 'f'),
    n('formation HACCP', 'formations HACCP', 'f'),
    n('session d’accueil des bénévoles', 'sessions d’accueil des bénévoles', 'f'),
  ],
  logistics: [
    n('tournée de livraison', 'tournées de livraison', 'f'),
    n('transport de marchandises', 'transports de marchandises'),
    n('stockage de palettes', 'stockages de palettes'),
    n('entrepôt logistique', 'entrepôts logistiques'),
    n('livraison du dernier kilomètre', 'livraisons du dernier kilomètre', 'f'),
    n('collecte mutualisée', 'collectes mutualisées', 'f'),
    n('quai de chargement', 'quais de chargement'),
  ],
  energy_resources: [
    n('panneau solaire', 'panneaux solaires'),
    n('bois de chauffage', 'bois de chauffage'),
    n('matériau de réemploi', 'matériaux de réemploi'),
    n('palette en bois', 'palettes en bois', 'f'),
    n('compost', 'composts'),
    n('toiture pour centrale solaire', 'toitures pour centrales solaires', 'f'),
    n('récupérateur d’eau de pluie', 'récupérateurs d’eau de pluie'),
    n('chute de tissu', 'chutes de tissu', 'f'),
    n('biodéchet', 'biodéchets'),
  ],
  other: [
    n('bénévole', 'bénévoles'),
    n('partenaire pour un projet', 'partenaires pour un projet'),
    n('mobilier de bureau', 'mobiliers de bureau'),
    n('stand sur le marché', 'stands sur le marché'),
    n('jardin partagé', 'jardins partagés'),
    n('parrainage d’entrepreneurs', 'parrainages d’entrepreneurs'),
  ],
};

const CATEGORY_WEIGHTS: [Category, number][] = [
  ['equipment', 18],
  ['premises', 16],
  ['skills', 10],
  ['services', 10],
  ['purchasing', 9],
  ['training', 8],
  ['energy_resources', 8],
  ['shared_jobs', 7],
  ['logistics', 7],
  ['other', 7],
];

/** Sentences of a description, by category, for offers and for needs. */
const SENTENCES: Record<Category, Record<ListingType, string[]>> = {
  premises: {
    offer: [
      'Nos locaux sont disponibles plusieurs jours par semaine, accessibles aux personnes à mobilité réduite.',
      'Le local est chauffé, équipé du wifi et d’un point d’eau ; stationnement facile devant le bâtiment.',
      'Espace lumineux au rez-de-chaussée, idéal pour des permanences, des ateliers ou du stockage.',
      'Nous partageons notre cuisine professionnelle équipée (four mixte, chambre froide, plonge) les après-midi.',
    ],
    need: [
      'Nous cherchons un local pour accueillir nos activités deux jours par semaine.',
      'Notre association a besoin d’un espace de stockage sec et sécurisé, proche du centre-ville.',
      'À la recherche de bureaux partagés pour une équipe de trois salariés.',
      'Besoin d’une salle pour des réunions mensuelles et des formations de groupe.',
    ],
  },
  equipment: {
    offer: [
      'Le véhicule est entretenu régulièrement et prêté avec son carnet de bord.',
      'Matériel en bon état, disponible en semaine ; une courte prise en main est proposée.',
      'Nos véhicules utilitaires restent souvent au garage le week-end : autant les partager.',
      'Le matériel est assuré et peut être retiré sur place ou livré dans un rayon de quelques kilomètres.',
    ],
    need: [
      'Nous recherchons un véhicule pour nos tournées de collecte deux matinées par semaine.',
      'Besoin de matériel pour un événement de quartier au printemps.',
      'Notre chantier d’insertion cherche du matériel et des outils pour équiper un nouvel atelier.',
      'Un prêt ou une location solidaire nous conviendrait, avec une participation à l’entretien.',
    ],
  },
  skills: {
    offer: [
      'Une salariée expérimentée peut consacrer quelques heures par mois à une structure du réseau.',
      'Nous proposons notre savoir-faire en échange d’un coup de main sur un autre sujet.',
      'Accompagnement ponctuel ou suivi régulier, selon vos besoins.',
    ],
    need: [
      'Nous avons besoin d’un regard extérieur pour structurer notre projet.',
      'Recherche des compétences ponctuelles pour la préparation de notre bilan annuel.',
      'Un accompagnement de quelques heures nous permettrait de lancer notre nouvelle activité.',
    ],
  },
  shared_jobs: {
    offer: [
      'Notre groupement d’employeurs propose un poste à temps partagé entre plusieurs structures.',
      'Le salarié travaille déjà deux jours chez nous et souhaite compléter son temps de travail.',
      'Contrat à durée indéterminée, temps partiel, partagé entre deux ou trois employeurs.',
    ],
    need: [
      'Nous cherchons des structures pour partager un emploi à temps plein.',
      'Besoin d’un salarié une journée par semaine, idéalement mutualisé avec une autre structure.',
      'Un emploi partagé permettrait de pérenniser ce poste au-delà de la subvention.',
    ],
  },
  services: {
    offer: [
      'Nous mutualisons ce service entre les membres du pôle à prix coûtant.',
      'Service assuré par notre équipe, avec une convention simple entre structures.',
      'Déjà utilisé par plusieurs associations du territoire, avec de bons retours.',
    ],
    need: [
      'Nous cherchons à mutualiser ce service avec d’autres structures proches.',
      'Besoin d’un prestataire de l’économie sociale et solidaire pour ce service.',
      'Notre équipe est trop petite pour assurer ce service seule.',
    ],
  },
  purchasing: {
    offer: [
      'Nous organisons une commande groupée chaque trimestre : rejoignez-la pour réduire les coûts.',
      'Production locale et biologique, livrée chaque semaine aux structures partenaires.',
      'Les volumes commandés ensemble permettent de négocier de meilleurs prix.',
    ],
    need: [
      'Nous cherchons des partenaires pour un achat groupé de fournitures et de matériel.',
      'Recherche des débouchés réguliers pour nos produits transformés localement.',
      'Un groupement d’achats nous aiderait à passer aux produits biologiques.',
    ],
  },
  training: {
    offer: [
      'Formation animée par un formateur certifié, en petits groupes de huit à douze personnes.',
      'Nous ouvrons des places dans nos sessions de formation aux autres membres du pôle.',
      'Les formations ont lieu dans nos locaux ou chez vous, selon le nombre de participants.',
    ],
    need: [
      'Nous cherchons une formation pour nos salariés et nos bénévoles.',
      'Besoin de former une dizaine de personnes avant l’ouverture de la saison.',
      'Une session mutualisée entre plusieurs structures réduirait les coûts de formation.',
    ],
  },
  logistics: {
    offer: [
      'Nos tournées passent chaque semaine par plusieurs communes : il reste de la place dans le camion.',
      'Entrepôt avec quai de chargement et transpalettes, accessible en semaine.',
      'Nous proposons de mutualiser nos livraisons pour réduire les trajets à vide.',
    ],
    need: [
      'Nous cherchons une solution de transport pour livrer nos clients chaque semaine.',
      'Besoin de stocker quelques palettes pendant la saison haute.',
      'Une logistique partagée réduirait nos coûts et nos émissions.',
    ],
  },
  energy_resources: {
    offer: [
      'Matériaux issus de chantiers de déconstruction, triés et prêts au réemploi.',
      'Notre toiture peut accueillir une centrale solaire citoyenne.',
      'Ressources disponibles gratuitement contre enlèvement sur place.',
    ],
    need: [
      'Nous recherchons des matériaux de réemploi pour la rénovation de notre bâtiment.',
      'Besoin de ressources pour un projet d’économie circulaire et de réduction des déchets.',
      'Projet de rénovation énergétique : nous cherchons des partenaires et du matériel.',
    ],
  },
  other: {
    offer: [
      'Nous proposons notre aide aux structures du territoire qui en ont besoin.',
      'Une occasion de coopérer entre acteurs locaux de l’économie sociale et solidaire.',
    ],
    need: [
      'Nous cherchons des partenaires motivés pour un projet collectif.',
      'Toute proposition est la bienvenue, même ponctuelle.',
    ],
  },
};

const GENERIC_SENTENCES = [
  'Nous privilégions les coopérations avec les acteurs locaux et les structures de l’ESS.',
  'Contactez-nous pour organiser une visite ou en discuter.',
  'Projet soutenu par le pôle territorial de coopération économique.',
  'Une convention de mise à disposition précisera les modalités.',
  'Les horaires sont souples et peuvent s’adapter aux contraintes de chacun.',
  'Nous répondons à toutes les demandes sous une semaine.',
  'Notre ancrage local nous permet de réagir vite.',
];

const TERMS_SENTENCES: Record<Terms, string[]> = {
  free: ['Mise à disposition gratuite.', 'Gratuit pour les membres du pôle.'],
  cost_sharing: ['Participation aux frais selon l’usage.', 'Les coûts sont partagés au prorata.'],
  paid: ['Tarif solidaire sur demande.', 'Prix coûtant, facture à l’appui.'],
  exchange: ['En échange de services ou de matériel.', 'Échange de bons procédés bienvenu.'],
};

const TERMS_WEIGHTS: [Terms, number][] = [
  ['cost_sharing', 35],
  ['free', 25],
  ['paid', 22],
  ['exchange', 18],
];

/** The measure of a listing: the category's unit where one fits, a quantity and a free unit otherwise. */
function measureOf(random: Random, category: Category): { value: number; unit: string } | null {
  if (random() < 0.2) return null;
  switch (category) {
    case 'premises':
      return { value: pick(random, [12, 20, 35, 50, 80, 120, 200, 350, 600]), unit: 'm²' };
    case 'shared_jobs':
      return { value: pick(random, [0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8]), unit: 'ETP' };
    case 'skills':
    case 'training':
      return { value: pick(random, [2, 4, 7, 14, 21, 35, 70, 140]), unit: 'heures' };
    case 'equipment':
      return {
        value: int(random, 1, 6),
        unit: pick(random, ['véhicules', 'unités', 'lots', 'jours par mois']),
      };
    case 'purchasing':
      return {
        value: pick(random, [50, 100, 300, 500, 1000, 2500]),
        unit: pick(random, ['kg', 'colis', 'unités']),
      };
    case 'logistics':
      return { value: int(random, 2, 40), unit: pick(random, ['palettes', 'tournées par mois', 'm³']) };
    case 'energy_resources':
      return { value: int(random, 3, 120), unit: pick(random, ['kWc', 'stères', 'tonnes', 'm³']) };
    default:
      return { value: int(random, 1, 20), unit: pick(random, ['personnes', 'demi-journées', 'unités']) };
  }
}

const measureText = (m: { value: number; unit: string }) => `${String(m.value).replace('.', ',')} ${m.unit}`;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const startsWithVowel = (word: string) => /^[aeiouyéèêàâîôh]/i.test(word);
const deOf = (phrase: string) => (startsWithVowel(phrase) ? `d’${phrase}` : `de ${phrase}`);
const agree = (adjective: string, noun: Noun, plural: boolean) =>
  `${adjective}${noun.g === 'f' && !adjective.endsWith('e') ? 'e' : ''}${plural && !adjective.endsWith('s') ? 's' : ''}`;

/** A title: a noun of the category (singular or plural), a type-specific phrasing, sometimes a place or the measure. */
function titleOf(
  random: Random,
  type: ListingType,
  category: Category,
  communeName: string,
  measure: { value: number; unit: string } | null,
): string {
  const noun = pick(random, NOUNS[category]);
  const plural = random() < 0.4;
  const form = plural ? noun.p : noun.s;
  const indefinite = plural ? `des ${form}` : `${noun.g === 'f' ? 'une' : 'un'} ${form}`;
  let title =
    type === 'offer'
      ? pick(random, [
          () => `${capitalise(form)} à partager`,
          () => `${capitalise(form)} ${agree('disponible', noun, plural)}`,
          () => `Mise à disposition ${plural ? deOf(form) : deOf(indefinite)}`,
          () => `Propose ${indefinite}`,
          () => `${capitalise(form)} en prêt`,
          () => `${capitalise(form)} ${agree('mutualisé', noun, plural)}`,
        ])()
      : pick(random, [
          () => `Recherche ${indefinite}`,
          () => `Besoin ${plural ? deOf(form) : deOf(indefinite)}`,
          () => `${capitalise(form)} ${agree('recherché', noun, plural)}`,
          () => `Cherche ${indefinite}`,
          () => `À la recherche ${plural ? deOf(form) : deOf(indefinite)}`,
        ])();
  const extra = random();
  if (extra < 0.3) title += ` à ${communeName}`;
  else if (extra < 0.45) title += ` près ${deOf(communeName)}`;
  else if (extra < 0.65 && measure) title += ` (${measureText(measure)})`;
  return title.slice(0, 120);
}

/** A description as its sentences: two paragraphs (line breaks kept, as the form keeps them). */
function descriptionOf(
  random: Random,
  type: ListingType,
  category: Category,
  terms: Terms,
  measure: { value: number; unit: string } | null,
  availableFrom: string | null,
): { text: string; sentences: string[] } {
  const own = SENTENCES[category][type];
  const first = pick(random, own);
  const sentences = [first];
  if (random() < 0.6)
    sentences.push(
      pick(
        random,
        own.filter((s) => s !== first),
      ),
    );
  if (random() < 0.3) sentences.push(pick(random, SENTENCES[category][type === 'offer' ? 'need' : 'offer']));
  if (measure) sentences.push(`Mesure : ${measureText(measure)}.`);
  sentences.push(pick(random, GENERIC_SENTENCES));
  if (random() < 0.5) sentences.push(pick(random, GENERIC_SENTENCES));
  sentences.push(pick(random, TERMS_SENTENCES[terms]));
  if (availableFrom)
    sentences.push(`Disponible à partir du ${availableFrom.split('-').reverse().join('/')}.`);
  const cut = Math.max(1, Math.floor(sentences.length / 2));
  return {
    text: `${sentences.slice(0, cut).join(' ')}\n\n${sentences.slice(cut).join(' ')}`,
    sentences,
  };
}

/**
 * `searchColumns` of many generated texts, fast: the stems of a text are the stems of its words in
 * order (search-text.ts), so those of a text made of sentences are its sentences' stems joined —
 * each sentence stemmed once by the app's own function. Every `CHECK_EVERY`th listing is also
 * stemmed whole by `searchColumns` and must give the same columns (else the generator stops).
 */
function stemCache() {
  const cache = new Map<string, string>();
  const stem = (text: string) => {
    let stems = cache.get(text);
    if (stems === undefined) {
      stems = searchColumns(text, '').stemTitle;
      cache.set(text, stems);
    }
    return stems;
  };
  return (title: string, sentences: string[]) => ({
    stemTitle: stem(title),
    stemBody: sentences.map(stem).filter(Boolean).join(' '),
  });
}
const CHECK_EVERY = 101;

// --- Generation ---------------------------------------------------------------------------------------

/** What a listing needs of its organisation: where it is, and the pôles it is an active member of. */
export interface ListingOrganisation {
  id: number;
  communeCode: string;
  communeName: string;
  departement: string;
  region: string;
  lat: number | null;
  lon: number | null;
  poleIds: number[];
}

export interface ListingsOptions {
  count: number;
  /** The day the listings are generated relative to (published within the 90 days before it). */
  now: Date;
  batchSize: number;
  /** Rows per transaction (a batch of INSERT statements). */
  transactionRows: number;
}

export interface ListingsReport {
  listings: number;
  byStatus: Record<string, number>;
  /** Published, unexpired at `now`: what public search sees. */
  searchable: number;
  seconds: number;
}

type ListingInsert = typeof listings.$inferInsert;

const COLUMNS = Object.entries(getTableColumns(listings));

/**
 * One multi-row INSERT of listings on the libSQL client: drizzle's query builder costs as much as
 * SQLite itself at this volume (500 rows × 34 parameters per statement). Columns are the schema's.
 */
function insertStatement(chunk: ListingInsert[]) {
  const row = `(${COLUMNS.map(() => '?').join(', ')})`;
  const args: InValue[] = [];
  for (const listing of chunk) {
    for (const [key] of COLUMNS) {
      const value = listing[key as keyof ListingInsert];
      args.push(typeof value === 'boolean' ? Number(value) : (value ?? null));
    }
  }
  return {
    sql: `INSERT INTO listings (${COLUMNS.map(([, column]) => `"${column.name}"`).join(', ')}) VALUES ${chunk.map(() => row).join(', ')}`,
    args,
  };
}

/**
 * Generates and inserts `count` listings of these organisations: a third from pôle members (who
 * publish more), the rest from any organisation. Batched: `batchSize` rows per INSERT,
 * `transactionRows` per transaction (one `client.batch`), so the FTS triggers run inside few commits.
 */
export async function generateListings(
  client: Client,
  random: Random,
  organisations: readonly ListingOrganisation[],
  options: ListingsOptions,
): Promise<ListingsReport> {
  const started = performance.now();
  const members = organisations.filter((o) => o.poleIds.length > 0);
  const now = options.now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const day = (ms: number) => iso(ms).slice(0, 10);
  const stemmed = stemCache();
  const rows: ListingInsert[] = [];
  const byStatus: Record<string, number> = {};
  let searchable = 0;
  for (let i = 0; i < options.count; i++) {
    const org = members.length > 0 && random() < 0.35 ? pick(random, members) : pick(random, organisations);
    const type: ListingType = random() < 0.55 ? 'offer' : 'need';
    const category = pickWeighted(random, CATEGORY_WEIGHTS);
    const terms = pickWeighted(random, TERMS_WEIGHTS);
    const measure = measureOf(random, category);
    const state = pickWeighted<Status | 'expired'>(random, [
      ['published', 76],
      ['expired', 5],
      ['draft', 8],
      ['closed', 10],
      ['unpublished', 1],
    ]);
    let publishedAt: number | null = null;
    let closedAt: number | null = null;
    let closedReason: CloseReason | null = null;
    let status: Status = state === 'expired' ? 'published' : state;
    if (state === 'published') {
      publishedAt = now - random() * LISTING_TTL_DAYS * DAY_MS;
    } else if (state === 'expired') {
      // Past its expiry, not yet closed by the expiry job: still « published », out of search.
      publishedAt = now - (LISTING_TTL_DAYS + 1 + random() * 60) * DAY_MS;
    } else if (state === 'closed' || state === 'unpublished') {
      publishedAt = now - random() * 180 * DAY_MS;
      closedAt = Math.min(now, publishedAt + random() * LISTING_TTL_DAYS * DAY_MS);
      if (state === 'closed') {
        closedReason = pickWeighted<CloseReason>(random, [
          ['fulfilled', 55],
          ['withdrawn', 30],
          ['expired', 15],
        ]);
        if (closedReason === 'expired') closedAt = publishedAt + LISTING_TTL_DAYS * DAY_MS;
      }
    } else status = 'draft';
    const createdAt = (publishedAt ?? now - random() * 60 * DAY_MS) - random() * 3 * DAY_MS;
    if (closedAt !== null && closedAt > now) closedAt = now;
    const expiresAt = (publishedAt ?? createdAt) + LISTING_TTL_DAYS * DAY_MS;

    const from = random() < 0.5 ? null : createdAt + (random() * 70 - 10) * DAY_MS;
    const availableFrom = from === null ? null : day(from);
    const availableUntil = random() < 0.6 ? null : day((from ?? createdAt) + int(random, 7, 365) * DAY_MS);
    const title = titleOf(random, type, category, org.communeName, measure);
    const description = descriptionOf(random, type, category, terms, measure, availableFrom);
    const stems = stemmed(title, description.sentences);
    if (i % CHECK_EVERY === 0) {
      const exact = searchColumns(title, description.text);
      if (exact.stemTitle !== stems.stemTitle || exact.stemBody !== stems.stemBody)
        throw new Error(`generated stems differ from searchColumns for listing « ${title} »`);
    }
    const poleId = org.poleIds.length > 0 && random() < 0.5 ? pick(random, org.poleIds) : null;
    const onBehalfOfPoleId = poleId !== null && type === 'need' && random() < 0.08 ? poleId : null;
    const updatedAt = Math.max(createdAt, closedAt ?? publishedAt ?? createdAt);

    rows.push({
      organisationId: org.id,
      poleId,
      onBehalfOfPoleId,
      type,
      category,
      title,
      description: description.text,
      communeCode: org.communeCode,
      departement: org.departement,
      region: org.region,
      lat: org.lat,
      lon: org.lon,
      radiusKm: pickWeighted(random, [
        [10, 10],
        [20, 15],
        [30, 50],
        [50, 15],
        [100, 10],
      ] as const),
      availableFrom,
      availableUntil,
      terms,
      measureValue: measure?.value ?? null,
      measureUnit: measure?.unit ?? null,
      status,
      closedReason,
      publishedAt: publishedAt === null ? null : iso(publishedAt),
      closedAt: closedAt === null ? null : iso(closedAt),
      expiresAt: iso(expiresAt),
      ...stems,
      isDemo: false,
      version: 1 + (publishedAt === null ? 0 : 1) + (closedAt === null ? 0 : 1),
      createdAt: iso(createdAt),
      updatedAt: iso(updatedAt),
    });
    byStatus[state] = (byStatus[state] ?? 0) + 1;
    if (status === 'published' && expiresAt > now) searchable++;
  }
  // Ids in creation order, as the platform would have given them.
  rows.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  rows.forEach((row, index) => {
    row.id = index + 1;
  });

  for (let start = 0; start < rows.length; start += options.transactionRows) {
    const statements = [];
    const end = Math.min(rows.length, start + options.transactionRows);
    for (let i = start; i < end; i += options.batchSize)
      statements.push(insertStatement(rows.slice(i, Math.min(end, i + options.batchSize))));
    await client.batch(statements, 'write');
  }
  return { listings: rows.length, byStatus, searchable, seconds: (performance.now() - started) / 1000 };
}
