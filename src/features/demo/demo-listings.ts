/**
 * Demo offers and needs of the demo pôles' members, and the threads between them (answers,
 * agreements, refusals, cooperations concluded with their outcomes). Written by hand: the
 * organisations are those of demo-data.ts, named by SIRET, the pôles by slug. Dates are days
 * before the load; the loader (listings.ts) turns them into dates relative to its clock.
 */
import type {
  LISTING_CATEGORIES,
  LISTING_TERMS,
  LISTING_TYPES,
  THREAD_DECLINE_REASONS,
} from '../../db/schema.ts';
import type { OutcomeInput } from '../threads/schemas.ts';

export interface DemoListing {
  /** How threads refer to it. */
  key: string;
  /** The publishing organisation. */
  siret: string;
  /** The pôle it is shown on (one the organisation is an active member of). */
  pole?: string;
  /** Published by this pôle's coordination on the organisation's behalf (« besoins d’abord »). */
  onBehalfOf?: string;
  type: (typeof LISTING_TYPES)[number];
  category: (typeof LISTING_CATEGORIES)[number];
  title: string;
  description: string;
  /** Defaults to the organisation's commune. */
  communeCode?: string;
  radiusKm?: number;
  terms: (typeof LISTING_TERMS)[number];
  measure?: { value: number; unit: string };
  /** Availability, in days from the load (until: null = open-ended). */
  available?: { fromDays: number; untilDays: number | null };
  /** Published (drafts: written) this many days before the load. */
  daysAgo: number;
  /** Number of generated photos (default: 1 for offers, none for needs). */
  photos?: number;
  /** Default: published. A closed listing was fulfilled. */
  status?: 'draft' | 'closed';
}

export interface DemoThread {
  listing: string;
  /** The answering organisation. */
  responder: string;
  /** Alternating, the responder first (« Je suis intéressé·e »). */
  messages: string[];
  status: 'open' | 'accepted' | 'declined' | 'concluded';
  decline?: { reason: (typeof THREAD_DECLINE_REASONS)[number]; note?: string };
  outcome?: OutcomeInput;
  /** The outcome's note (concluded threads). */
  note?: string;
}

/** Organisations, by SIRET (see demo-data.ts). */
const ORG = {
  // PTCE Centre Isère (Voiron); the demo account owns the Recyclerie de Voiron.
  recyclerieVoiron: '92320267500339',
  imprimerieBonnetVoiron: '92328186900340',
  institutBoussoleVoreppe: '92336105900358',
  bureauRicochetSeyssinet: '92344024200363',
  imprimerieFournierSaintEgreve: '92351943300372',
  petrDeuxVallees: '92359862700381',
  // Pôle Sud (Valence); the demo account also owns the Maraîchage de Grenoble (invited).
  epicerieValence: '92367781900396',
  bureauArchipelRomans: '92375700900405',
  lyceeBernardRomans: '92383619100414',
  fondationEscaleValence: '92391538300429',
  transportsRobin: '92399457800436',
  reseauEclaircieRomans: '92407376000440',
  maraichageGrenoble: '92415295200454',
  // La Place des Possibles (Royans, Vercors)
  scicRicochetRoyans: '90039595500157',
  perrinBatimentVillard: '90047514600164',
  maraichageVillard: '90063352000185',
  cordeeSolidaire: '90071271200190',
  regieBourgDePeage: '90079190600200',
  // Cité Phares (Seine-Saint-Denis)
  filatureSolidaire: '91298716100847',
  imprimerieLambertSaintDenis: '91306635300859',
  recyclerieMontreuil: '91314554600861',
  lyceeFaureAulnay: '91330392100880',
  // Le Damier (Clermont-Ferrand)
  regieClermont: '92272753200272',
  menuiserieLambertClermont: '92280672400287',
  campusConfluenceCournon: '92312348300326',
  // Coopaxis (Tours)
  epicerieTours: '92233158200226',
  menuiserieGauthier: '92241077400231',
  campusRicochetChambray: '92256915700253',
  transportsMercierAmboise: '92264834000268',
  // La Serre – Le Multiple (Toulouse)
  caeRicochetToulouse: '92201482400184',
  menuiserieRoux: '92209401600198',
  // PTCE Stras Eco Renov (Strasbourg)
  regieStrasbourg: '90134623900279',
  campusSillonErstein: '90150461300299',
  // Tiers-lieu ESS Level (Nantes)
  recyclerieNantes: '90475140100707',
  syndicatNantes: '90490978500720',
  transportsMasson: '90506816900747',
  // Micro-filière Meunerie sur la Margeride (Mende)
  scicFilatureMende: '90601844500864',
  menuiserieMercierCanourgue: '90609763900874',
  // PTCE filière vélo du Grand Paris
  aciParis: '90229651600393',
  fondationFilatureVitry: '90253408000426',
  centreFormationBoulogne: '90261327200431',
  // PTCE Gâtinais Montargois
  maraichageChateauLandon: '90118785600256',
  lyceeMarchandAmilly: '90110866200247',
  caePasserellesMontargis: '90087109600211',
  // La Coursive Boutaric (Dijon)
  recyclerieDijon: '91425420600107',
} as const;

const CENTRE_ISERE = 'ptce-centre-isere';
const POLE_SUD = 'pole-sud';
const PLACE_DES_POSSIBLES = 'la-place-des-possibles';

export const DEMO_LISTINGS: DemoListing[] = [
  // ——— PTCE Centre Isère
  {
    key: 'kitchen',
    siret: ORG.recyclerieVoiron,
    pole: CENTRE_ISERE,
    type: 'offer',
    category: 'premises',
    title: 'Cuisine professionnelle partagée à Voiron, libre deux jours par semaine',
    description:
      'Notre tiers-lieu de Voiron abrite une cuisine professionnelle de 45 m² aux normes : piano six feux, four mixte dix niveaux, cellule de refroidissement, chambre froide positive de 6 m³ et plonge séparée.\n\nElle est libre les lundis et mardis toute la journée, et les autres jours après 15 h. Nous la proposons aux traiteurs en insertion, aux associations d’aide alimentaire et aux producteurs qui veulent transformer leurs légumes (soupes, conserves, coulis).\n\nParticipation aux frais : 12 € de l’heure, fluides et produits d’entretien compris. Une personne formée à l’hygiène alimentaire (HACCP) doit être présente.',
    terms: 'cost_sharing',
    measure: { value: 45, unit: 'm²' },
    radiusKm: 40,
    daysAgo: 38,
    photos: 2,
  },
  {
    key: 'collection-truck',
    siret: ORG.recyclerieVoiron,
    pole: CENTRE_ISERE,
    type: 'need',
    category: 'equipment',
    title: 'Camion 20 m³ avec hayon pour nos collectes du samedi',
    description:
      'Nos collectes d’encombrants réutilisables se font le samedi matin dans le Pays voironnais. Notre camion est immobilisé pour deux mois : nous cherchons un 20 m³ avec hayon élévateur, de 7 h à 13 h, quatre samedis par mois.\n\nNous avons des chauffeurs titulaires du permis B et C ; le carburant et le nettoyage sont à notre charge.',
    terms: 'paid',
    measure: { value: 1, unit: 'camion' },
    available: { fromDays: 3, untilDays: 65 },
    daysAgo: 6,
  },
  {
    key: 'deee-training',
    siret: ORG.recyclerieVoiron,
    pole: CENTRE_ISERE,
    type: 'offer',
    category: 'training',
    title: 'Atelier réparation de petit électroménager (brouillon)',
    description:
      'Deux demi-journées pour apprendre à diagnostiquer et réparer le petit électroménager (bouilloires, aspirateurs, grille-pain) en sécurité. À compléter : dates et nombre de places.',
    terms: 'free',
    measure: { value: 7, unit: 'heures' },
    daysAgo: 2,
    status: 'draft',
  },
  {
    key: 'paper-storage',
    siret: ORG.imprimerieFournierSaintEgreve,
    pole: CENTRE_ISERE,
    onBehalfOf: CENTRE_ISERE,
    type: 'need',
    category: 'premises',
    title: 'Local sec de 30 m² pour stocker du papier près de Saint-Égrève',
    description:
      'L’imprimerie reçoit son papier par palettes complètes pour acheter moins cher, mais manque de place. Elle cherche un local sec, hors gel, d’environ 30 m² (une dizaine de palettes), accessible à un transpalette, à moins de 10 km de Saint-Égrève.\n\nBesoin repéré lors du dernier comité du pôle et publié par la coordination pour le compte de l’imprimerie.',
    terms: 'paid',
    measure: { value: 30, unit: 'm²' },
    radiusKm: 15,
    available: { fromDays: 14, untilDays: null },
    daysAgo: 9,
  },
  {
    key: 'print-finishing',
    siret: ORG.imprimerieBonnetVoiron,
    pole: CENTRE_ISERE,
    type: 'offer',
    category: 'equipment',
    title: 'Massicot et plieuse à disposition deux jours par semaine',
    description:
      'Notre massicot programmable (coupe 80 cm) et notre plieuse sont peu utilisés les mercredis et jeudis. Nous les proposons, avec une prise en main d’une heure, pour vos flyers, livrets ou menus.\n\nTarif : 25 € la demi-journée, papier non fourni.',
    terms: 'paid',
    measure: { value: 2, unit: 'machines' },
    daysAgo: 21,
  },
  {
    key: 'impact-evaluation',
    siret: ORG.institutBoussoleVoreppe,
    pole: CENTRE_ISERE,
    type: 'offer',
    category: 'skills',
    title: 'Accompagnement gratuit à la mesure d’impact social',
    description:
      'Deux chercheuses de l’institut accompagnent trois structures du territoire cette année pour construire leurs indicateurs d’impact social : atelier de cadrage, questionnaires, lecture des résultats.\n\nEnviron 20 heures par structure sur six mois. En échange, nous demandons l’accord pour citer (anonymement) les résultats dans nos travaux.',
    terms: 'free',
    measure: { value: 20, unit: 'heures' },
    radiusKm: 50,
    daysAgo: 27,
  },
  {
    key: 'energy-audit',
    siret: ORG.bureauRicochetSeyssinet,
    pole: CENTRE_ISERE,
    type: 'offer',
    category: 'skills',
    title: 'Diagnostic énergétique de vos locaux associatifs',
    description:
      'Notre bureau d’études thermiques propose un diagnostic simplifié des bâtiments associatifs : visite, relevés, caméra thermique l’hiver, et une liste de travaux chiffrés par ordre de priorité.\n\nComptez une journée et demie par bâtiment. Les frais sont partagés : 300 € au lieu de 1 200 €, le reste est pris en charge par le pôle.',
    terms: 'cost_sharing',
    measure: { value: 10, unit: 'heures' },
    radiusKm: 40,
    daysAgo: 15,
  },
  {
    key: 'shared-offices',
    siret: ORG.petrDeuxVallees,
    pole: CENTRE_ISERE,
    type: 'offer',
    category: 'premises',
    title: 'Trois bureaux meublés à partager au centre de Voiron',
    description:
      'Au premier étage de nos locaux, trois bureaux meublés (60 m² en tout) sont disponibles pour des structures de l’ESS : fibre, salle de réunion de 12 places à réserver, cuisine commune, accès de 7 h à 21 h.\n\nLoyer : 180 € par bureau et par mois, charges comprises. Engagement de trois mois minimum.',
    terms: 'paid',
    measure: { value: 60, unit: 'm²' },
    available: { fromDays: 0, untilDays: null },
    daysAgo: 33,
  },

  // ——— Pôle Sud (Valence, Romans-sur-Isère)
  {
    key: 'van',
    siret: ORG.transportsRobin,
    pole: POLE_SUD,
    type: 'offer',
    category: 'equipment',
    title: 'Fourgon utilitaire reconditionné de 12 m³ à partager',
    description:
      'Nous avons remis en état un fourgon de 12 m³ (2016, 142 000 km, moteur révisé, pneus neufs). Il ne nous sert que deux jours par semaine : nous cherchons une ou deux structures pour le partager les autres jours.\n\nAssurance et entretien partagés au prorata des jours d’utilisation (environ 9 € par jour). Permis B suffisant. Stationné à Bourg-de-Péage.',
    terms: 'cost_sharing',
    measure: { value: 1, unit: 'fourgon' },
    radiusKm: 25,
    daysAgo: 35,
    photos: 2,
  },
  {
    key: 'accountant',
    siret: ORG.epicerieValence,
    pole: POLE_SUD,
    type: 'need',
    category: 'shared_jobs',
    title: 'Comptable à temps partagé (0,4 ETP) entre trois structures',
    description:
      'L’épicerie solidaire, la Fondation Escale et une association de Romans cherchent ensemble un ou une comptable : saisie, rapprochements, paie de 25 salariés au total, préparation du bilan avec l’expert-comptable.\n\nPoste en CDI via un groupement d’employeurs, 0,4 ETP pour l’épicerie (deux jours par semaine), le reste chez les deux autres structures. Bureaux à Valence et Romans-sur-Isère.',
    terms: 'paid',
    measure: { value: 0.4, unit: 'ETP' },
    radiusKm: 30,
    available: { fromDays: 20, untilDays: null },
    daysAgo: 31,
  },
  {
    key: 'haccp',
    siret: ORG.epicerieValence,
    pole: POLE_SUD,
    type: 'offer',
    category: 'training',
    title: 'Formation hygiène alimentaire HACCP : places pour les partenaires',
    description:
      'Nous organisons une session de formation à l’hygiène alimentaire (14 heures, deux jours) pour nos bénévoles. Il reste six places pour des salariés ou bénévoles d’autres structures.\n\nFormatrice agréée, attestation remise. Participation : 60 € par personne, repas compris.',
    terms: 'cost_sharing',
    measure: { value: 14, unit: 'heures' },
    available: { fromDays: 18, untilDays: 19 },
    daysAgo: 12,
  },
  {
    key: 'cold-room',
    siret: ORG.epicerieValence,
    pole: POLE_SUD,
    type: 'need',
    category: 'logistics',
    title: 'Remorque frigorifique pour la collecte des invendus',
    description:
      'Trois fois par semaine, nous collectons les invendus de deux supermarchés de Valence. Il nous manque une remorque frigorifique (ou un utilitaire frigorifique) le lundi, le mercredi et le vendredi de 8 h à 11 h.\n\nNous pouvons échanger contre des heures de notre équipe logistique ou partager les frais.',
    terms: 'exchange',
    measure: { value: 1, unit: 'remorque' },
    radiusKm: 20,
    daysAgo: 4,
  },
  {
    key: 'workshop',
    siret: ORG.lyceeBernardRomans,
    pole: POLE_SUD,
    type: 'offer',
    category: 'premises',
    title: 'Atelier de mécanique du lycée ouvert pendant les vacances scolaires',
    description:
      'Pendant les vacances scolaires, l’atelier de maintenance des véhicules (200 m², deux ponts élévateurs, outillage complet) peut accueillir des chantiers d’insertion ou des garages solidaires.\n\nMise à disposition gratuite par convention ; un agent du lycée ouvre et ferme l’atelier.',
    terms: 'free',
    measure: { value: 200, unit: 'm²' },
    daysAgo: 24,
  },
  {
    key: 'general-assembly-room',
    siret: ORG.fondationEscaleValence,
    pole: POLE_SUD,
    type: 'need',
    category: 'premises',
    title: 'Salle de 150 m² pour notre assemblée générale (80 personnes)',
    description:
      'Pour notre assemblée générale annuelle, nous cherchons une salle d’environ 150 m² à Valence ou Romans-sur-Isère, avec vidéoprojecteur et accessible en fauteuil roulant, un samedi matin.',
    terms: 'exchange',
    measure: { value: 150, unit: 'm²' },
    daysAgo: 40,
    status: 'closed',
  },
  {
    key: 'payroll',
    siret: ORG.fondationEscaleValence,
    pole: POLE_SUD,
    type: 'need',
    category: 'services',
    title: 'Service de paie mutualisé pour une fondation de 12 salariés',
    description:
      'Nous cherchons une structure qui gère déjà la paie de ses salariés (convention collective ALISFA) pour établir aussi la nôtre : 12 bulletins par mois, déclarations sociales, entrées et sorties.\n\nPrestation payante, à partir du mois prochain.',
    terms: 'paid',
    daysAgo: 8,
  },
  {
    key: 'shared-secretariat',
    siret: ORG.reseauEclaircieRomans,
    pole: POLE_SUD,
    type: 'offer',
    category: 'services',
    title: 'Secrétariat partagé pour les petites associations de Romans',
    description:
      'Notre réseau emploie une secrétaire à temps plein : accueil téléphonique, courrier, tenue des agendas, comptes rendus. Nous proposons d’en partager le temps avec trois ou quatre petites associations, une demi-journée par semaine chacune.\n\nCoût partagé au prorata du temps, environ 95 € la demi-journée.',
    terms: 'cost_sharing',
    daysAgo: 17,
  },
  {
    key: 'renovation-amo',
    siret: ORG.bureauArchipelRomans,
    pole: POLE_SUD,
    type: 'offer',
    category: 'skills',
    title: 'Assistance à maîtrise d’ouvrage pour vos travaux de rénovation',
    description:
      'Vous rénovez un local ? Nous vous aidons à écrire le cahier des charges, consulter les entreprises, comparer les devis et suivre le chantier. Tarif réduit pour les membres du pôle.',
    terms: 'paid',
    measure: { value: 21, unit: 'heures' },
    radiusKm: 50,
    daysAgo: 11,
  },
  {
    key: 'vegetable-baskets',
    siret: ORG.maraichageGrenoble,
    type: 'offer',
    category: 'purchasing',
    title: 'Paniers de légumes bio pour les salariés de vos structures',
    description:
      'Notre maraîchage en agriculture biologique livre chaque jeudi des paniers de légumes de saison (8 à 10 €) sur les lieux de travail, à partir de 10 paniers par site. Nous pouvons livrer jusqu’à 40 paniers par semaine entre Grenoble et Voiron.',
    terms: 'paid',
    measure: { value: 40, unit: 'paniers par semaine' },
    radiusKm: 35,
    daysAgo: 13,
  },

  // ——— La Place des Possibles (Royans, Vercors)
  {
    key: 'reused-materials',
    siret: ORG.perrinBatimentVillard,
    pole: PLACE_DES_POSSIBLES,
    type: 'need',
    category: 'energy_resources',
    title: 'Matériaux de réemploi recherchés : portes, parquet, briques',
    description:
      'Pour la rénovation d’une ancienne école en logements, nous cherchons des matériaux de réemploi : une vingtaine de portes intérieures (83 cm), 120 m² de parquet massif, environ 2 tonnes de briques pleines et des radiateurs en fonte.\n\nNous venons chercher sur place (camion plateau avec grue) et pouvons démonter nous-mêmes.',
    terms: 'paid',
    measure: { value: 5, unit: 'tonnes' },
    radiusKm: 80,
    daysAgo: 36,
  },
  {
    key: 'wood-chipper',
    siret: ORG.scicRicochetRoyans,
    pole: PLACE_DES_POSSIBLES,
    type: 'offer',
    category: 'equipment',
    title: 'Broyeur de végétaux thermique à prêter',
    description:
      'Broyeur thermique (branches jusqu’à 10 cm de diamètre) sur remorque, à prêter à la journée. En échange, nous apprécions quelques sacs de broyat pour le jardin partagé ou un coup de main lors d’un chantier participatif.',
    terms: 'exchange',
    measure: { value: 1, unit: 'broyeur' },
    daysAgo: 19,
  },
  {
    key: 'seasonal-worker',
    siret: ORG.maraichageVillard,
    pole: PLACE_DES_POSSIBLES,
    type: 'need',
    category: 'shared_jobs',
    title: 'Saisonnier·ère en maraîchage à partager avec une ferme voisine',
    description:
      'D’avril à octobre, nous cherchons à partager un emploi saisonnier (0,5 ETP chez nous) avec une ferme ou une structure voisine du plateau du Vercors : plantations, récoltes, préparation des commandes.\n\nLogement possible sur place.',
    terms: 'paid',
    measure: { value: 0.5, unit: 'ETP' },
    radiusKm: 25,
    available: { fromDays: 30, untilDays: 240 },
    daysAgo: 10,
  },
  {
    key: 'green-spaces',
    siret: ORG.regieBourgDePeage,
    pole: PLACE_DES_POSSIBLES,
    type: 'offer',
    category: 'services',
    title: 'Entretien d’espaces verts par une équipe en insertion',
    description:
      'Notre équipe de six salariés en parcours d’insertion et leur encadrant entretiennent espaces verts, haies et cimetières : tonte, taille, désherbage sans produits chimiques. Devis sous huit jours.',
    terms: 'paid',
    radiusKm: 30,
    daysAgo: 26,
  },

  // ——— Cité Phares (Seine-Saint-Denis)
  {
    key: 'sewing-workshop',
    siret: ORG.filatureSolidaire,
    pole: 'cite-phares',
    type: 'offer',
    category: 'premises',
    title: 'Atelier de couture de 80 m² avec dix machines',
    description:
      'Notre atelier de L’Île-Saint-Denis (80 m², dix machines piqueuses, deux surjeteuses, une table de coupe de 4 m) est libre les après-midi. Idéal pour une formation, un atelier d’insertion ou une petite série.\n\nParticipation aux frais : 40 € la demi-journée.',
    terms: 'cost_sharing',
    measure: { value: 80, unit: 'm²' },
    daysAgo: 39,
  },
  {
    key: 'paper-offcuts',
    siret: ORG.imprimerieLambertSaintDenis,
    pole: 'cite-phares',
    type: 'offer',
    category: 'energy_resources',
    title: 'Chutes de papier et de carton à donner chaque mois',
    description:
      'Environ 2 tonnes de chutes de papier (couché et offset) et de carton propre par mois, triées par format. Idéal pour des ateliers créatifs, du calage ou une filière de recyclage. À enlever à Saint-Denis.',
    terms: 'free',
    measure: { value: 2, unit: 'tonnes par mois' },
    daysAgo: 22,
  },
  {
    key: 'collection-rounds',
    siret: ORG.recyclerieMontreuil,
    pole: 'cite-phares',
    type: 'offer',
    category: 'logistics',
    title: 'Tournées de collecte mutualisées dans l’Est parisien',
    description:
      'Nos deux camions font chaque semaine des tournées de collecte (meubles, textile, électroménager) entre Montreuil, Bagnolet et Saint-Denis. Il reste de la place pour collecter chez vous, en partageant le coût de la tournée.',
    terms: 'cost_sharing',
    radiusKm: 15,
    daysAgo: 14,
  },
  {
    key: 'construction-workshops',
    siret: ORG.lyceeFaureAulnay,
    pole: 'cite-phares',
    type: 'need',
    category: 'skills',
    title: 'Professionnels du bâtiment pour des ateliers métiers (2 h par mois)',
    description:
      'Nos élèves de CAP découvrent les métiers du bâtiment. Nous cherchons des professionnels (artisans, encadrants de chantier d’insertion) pour animer un atelier de deux heures par mois au lycée, d’octobre à juin.',
    terms: 'free',
    measure: { value: 18, unit: 'heures' },
    daysAgo: 7,
  },

  // ——— Le Damier (Clermont-Ferrand)
  {
    key: 'aerial-platform',
    siret: ORG.regieClermont,
    pole: 'le-damier',
    type: 'offer',
    category: 'equipment',
    title: 'Nacelle élévatrice de 12 m disponible à la journée',
    description:
      'Nacelle articulée de 12 m (électrique, utilisable en intérieur), CACES exigé. Disponible à la journée en semaine, 90 € par jour, livraison possible dans l’agglomération clermontoise.',
    terms: 'paid',
    measure: { value: 1, unit: 'nacelle' },
    daysAgo: 29,
  },
  {
    key: 'wood-offcuts',
    siret: ORG.menuiserieLambertClermont,
    pole: 'le-damier',
    type: 'offer',
    category: 'energy_resources',
    title: 'Chutes de bois massif et de panneaux à récupérer',
    description:
      'Chaque mois, environ 300 kg de chutes de chêne, de hêtre et de panneaux (contreplaqué, médium) de plus de 40 cm. Gratuit, à enlever à l’atelier le vendredi après-midi.',
    terms: 'free',
    measure: { value: 300, unit: 'kg par mois' },
    daysAgo: 37,
  },
  {
    key: 'first-aid-training',
    siret: ORG.campusConfluenceCournon,
    pole: 'le-damier',
    type: 'offer',
    category: 'training',
    title: 'Formation Sauveteur secouriste du travail pour vos salariés',
    description:
      'Session SST de 14 heures (deux jours) pour dix personnes au plus, avec un formateur certifié. Les structures du pôle partagent les frais : 110 € par stagiaire au lieu de 250 €.',
    terms: 'cost_sharing',
    measure: { value: 14, unit: 'heures' },
    daysAgo: 34,
  },

  // ——— Coopaxis (Tours)
  {
    key: 'organic-group-purchase',
    siret: ORG.epicerieTours,
    pole: 'coopaxis',
    type: 'offer',
    category: 'purchasing',
    title: 'Achat groupé de produits bio : rejoignez la commande mensuelle',
    description:
      'Chaque mois, nous commandons auprès d’un grossiste bio et de trois producteurs de Touraine : fruits et légumes, légumineuses, farine, huile. En regroupant nos commandes, nous atteignons le franco de port et des prix 15 à 20 % plus bas.\n\nCommande avant le 10 du mois, livraison le 20 à Tours (environ 800 kg par mois aujourd’hui).',
    terms: 'cost_sharing',
    measure: { value: 800, unit: 'kg par mois' },
    radiusKm: 40,
    daysAgo: 20,
  },
  {
    key: 'cabinet-maker',
    siret: ORG.menuiserieGauthier,
    pole: 'coopaxis',
    type: 'need',
    category: 'shared_jobs',
    title: 'Ébéniste à mi-temps à partager via un groupement d’employeurs',
    description:
      'Notre menuiserie a du travail pour un ou une ébéniste deux jours et demi par semaine. Nous cherchons une autre entreprise ou un atelier d’insertion pour partager le poste en CDI à temps plein.',
    terms: 'paid',
    measure: { value: 0.5, unit: 'ETP' },
    daysAgo: 16,
  },
  {
    key: 'pallet-space',
    siret: ORG.transportsMercierAmboise,
    pole: 'coopaxis',
    type: 'offer',
    category: 'logistics',
    title: 'Places de palettes dans nos tournées Amboise – Tours',
    description:
      'Nos camions font Amboise – Tours chaque matin et reviennent souvent à moitié vides. Nous proposons jusqu’à six places de palettes par trajet, à 15 € la palette.',
    terms: 'paid',
    measure: { value: 6, unit: 'palettes par trajet' },
    radiusKm: 35,
    daysAgo: 5,
  },

  // ——— La Serre – Le Multiple (Toulouse)
  {
    key: 'coworking',
    siret: ORG.caeRicochetToulouse,
    pole: 'la-serre-le-multiple',
    type: 'offer',
    category: 'premises',
    title: 'Huit postes de coworking dans un espace de 120 m² à Toulouse',
    description:
      'Notre coopérative partage son plateau de 120 m² : huit postes en open space, deux salles de réunion, une cabine pour les appels. 150 € par poste et par mois, ou 15 € la journée.',
    terms: 'paid',
    measure: { value: 120, unit: 'm²' },
    daysAgo: 23,
  },
  {
    key: 'planer',
    siret: ORG.menuiserieRoux,
    pole: 'la-serre-le-multiple',
    type: 'need',
    category: 'equipment',
    title: 'Dégauchisseuse-raboteuse d’occasion recherchée',
    description:
      'Nous cherchons une dégauchisseuse-raboteuse combinée (largeur 300 mm ou plus), en état de marche, à racheter ou à utiliser quelques jours par mois dans un autre atelier.',
    terms: 'paid',
    measure: { value: 1, unit: 'machine' },
    daysAgo: 3,
  },

  // ——— PTCE Stras Eco Renov (Strasbourg)
  {
    key: 'thermal-engineer',
    siret: ORG.regieStrasbourg,
    pole: 'ptce-stras-eco-renov',
    type: 'need',
    category: 'skills',
    title: 'Thermicien·ne pour les audits de 15 logements avant rénovation',
    description:
      'Avant de lancer la rénovation de 15 logements sociaux avec nos équipes en insertion, nous cherchons un ou une thermicienne pour les audits énergétiques (environ 35 heures) et l’appui au choix des isolants biosourcés.',
    terms: 'paid',
    measure: { value: 35, unit: 'heures' },
    daysAgo: 18,
  },
  {
    key: 'insulation-school',
    siret: ORG.campusSillonErstein,
    pole: 'ptce-stras-eco-renov',
    type: 'offer',
    category: 'training',
    title: 'Chantier-école d’isolation en fibre de bois',
    description:
      'Une semaine de chantier-école (35 heures) pour apprendre à poser une isolation en fibre de bois et en ouate de cellulose, sur un vrai chantier. Ouvert aux encadrants techniques et aux salariés en insertion.',
    terms: 'free',
    measure: { value: 35, unit: 'heures' },
    available: { fromDays: 25, untilDays: 29 },
    daysAgo: 28,
  },

  // ——— Tiers-lieu ESS Level (Nantes)
  {
    key: 'office-furniture',
    siret: ORG.recyclerieNantes,
    pole: 'tiers-lieu-ess-level',
    type: 'offer',
    category: 'equipment',
    title: 'Mobilier de bureau de réemploi : 50 postes complets',
    description:
      'Une entreprise nous a confié le mobilier de ses bureaux : 50 postes complets (bureau, caisson, fauteuil ergonomique), 12 armoires et 6 tables de réunion, en bon état.\n\nPrix solidaire de 40 € le poste, livraison possible dans l’agglomération nantaise.',
    terms: 'cost_sharing',
    measure: { value: 50, unit: 'postes' },
    daysAgo: 9,
  },
  {
    key: 'forklift',
    siret: ORG.transportsMasson,
    pole: 'tiers-lieu-ess-level',
    type: 'offer',
    category: 'equipment',
    title: 'Chariot élévateur et transpalettes à prêter le week-end',
    description:
      'Notre entrepôt de La Chapelle-sur-Erdre est fermé le week-end : chariot élévateur (CACES 3 exigé) et deux transpalettes électriques peuvent être prêtés pour vos déménagements ou événements.',
    terms: 'exchange',
    measure: { value: 3, unit: 'engins' },
    daysAgo: 30,
  },

  // ——— Micro-filière Meunerie sur la Margeride (Lozère)
  {
    key: 'stone-mill',
    siret: ORG.scicFilatureMende,
    pole: 'micro-filiere-meunerie-sur-la-margeride',
    type: 'need',
    category: 'purchasing',
    title: 'Achat groupé d’un moulin à meules de pierre',
    description:
      'Pour moudre les céréales anciennes cultivées sur la Margeride, nous cherchons deux ou trois partenaires (boulangers, fermes, épiceries) pour acheter ensemble un moulin à meules de pierre de type Astrié et partager son utilisation.',
    terms: 'cost_sharing',
    measure: { value: 1, unit: 'moulin' },
    radiusKm: 60,
    daysAgo: 25,
  },
  {
    key: 'sawdust',
    siret: ORG.menuiserieMercierCanourgue,
    pole: 'micro-filiere-meunerie-sur-la-margeride',
    type: 'offer',
    category: 'energy_resources',
    title: 'Sciure et copeaux de bois non traités pour litière ou paillage',
    description:
      'Environ 10 m³ par mois de sciure et de copeaux de bois non traités (pin, douglas). Gratuit, à prendre à La Canourgue avec vos sacs ou une remorque.',
    terms: 'free',
    measure: { value: 10, unit: 'm³ par mois' },
    radiusKm: 50,
    daysAgo: 12,
  },

  // ——— PTCE filière vélo du Grand Paris
  {
    key: 'bike-repairs',
    siret: ORG.aciParis,
    pole: 'ptce-filiere-velo-du-grand-paris',
    type: 'offer',
    category: 'skills',
    title: 'Entretien des vélos de service de vos équipes',
    description:
      'Notre atelier d’insertion entretient vos vélos et vélos cargos de service sur site : révision, freins, transmission, crevaisons. Forfait de 40 heures par an et par flotte de dix vélos.',
    terms: 'paid',
    measure: { value: 40, unit: 'heures' },
    radiusKm: 20,
    daysAgo: 32,
  },
  {
    key: 'cycle-mechanics',
    siret: ORG.centreFormationBoulogne,
    pole: 'ptce-filiere-velo-du-grand-paris',
    type: 'offer',
    category: 'training',
    title: 'Formation de mécanicien·ne cycle : places pour des salariés en insertion',
    description:
      'Notre formation qualifiante de mécanicien·ne cycle (70 heures d’atelier) accueille quatre salariés en parcours d’insertion par session, financés par le pôle.',
    terms: 'free',
    measure: { value: 70, unit: 'heures' },
    daysAgo: 6,
  },

  // ——— PTCE Gâtinais Montargois
  {
    key: 'field-vegetables',
    siret: ORG.maraichageChateauLandon,
    pole: 'ptce-gatinais-montargois',
    type: 'offer',
    category: 'purchasing',
    title: 'Légumes de plein champ pour la restauration collective',
    description:
      'Pommes de terre, carottes, oignons, courges : nous pouvons fournir jusqu’à 500 kg par semaine aux cantines et restaurants solidaires du Gâtinais, lavés et calibrés, livrés le mardi.',
    terms: 'paid',
    measure: { value: 500, unit: 'kg par semaine' },
    radiusKm: 40,
    daysAgo: 27,
  },
  {
    key: 'evening-classroom',
    siret: ORG.lyceeMarchandAmilly,
    pole: 'ptce-gatinais-montargois',
    type: 'need',
    category: 'premises',
    title: 'Salle de 60 m² pour des cours du soir à Montargis',
    description:
      'Pour des cours de français à visée professionnelle le soir (18 h – 20 h, deux soirs par semaine), nous cherchons une salle d’environ 60 m² près de la gare de Montargis. En échange, nos élèves peuvent réaliser des petits travaux.',
    terms: 'exchange',
    measure: { value: 60, unit: 'm²' },
    communeCode: '45208',
    daysAgo: 15,
  },

  // ——— La Coursive Boutaric (Dijon)
  {
    key: 'party-equipment',
    siret: ORG.recyclerieDijon,
    pole: 'la-coursive-boutaric',
    type: 'offer',
    category: 'other',
    title: 'Prêt de matériel de fête : tables, bancs et barnums',
    description:
      'Vingt tables pliantes, quarante bancs et trois barnums de 3 × 6 m récupérés et remis en état, à prêter aux associations pour leurs fêtes de quartier. Caution de 100 €, gratuit sinon.',
    terms: 'free',
    measure: { value: 63, unit: 'pièces' },
    daysAgo: 11,
  },
];

export const DEMO_THREADS: DemoThread[] = [
  {
    listing: 'kitchen',
    responder: ORG.maraichageVillard,
    messages: [
      'Bonjour, nous avons chaque semaine des légumes déclassés que nous aimerions transformer en soupes et coulis. Les lundis nous conviendraient très bien : est-ce que la cuisine est disponible dès le mois prochain ?',
      'Bonjour, oui, les lundis sont libres. Pouvez-vous passer la visiter jeudi à 14 h ? Nous regarderons ensemble l’organisation de la chambre froide.',
      'Parfait, nous serons deux jeudi. Notre salariée a suivi la formation HACCP l’an dernier.',
    ],
    status: 'concluded',
    outcome: { euros: 3600, m2: 45, tonnes: 1.2 },
    note: 'Deux lundis par mois de transformation depuis le printemps : 1,2 tonne de légumes déclassés valorisés en soupes et coulis, sans avoir à équiper une cuisine (environ 3 600 € économisés).',
  },
  {
    listing: 'kitchen',
    responder: ORG.epicerieValence,
    messages: [
      'Bonjour, nous préparons des repas pour une distribution mensuelle et notre cuisine est en travaux pendant deux mois. Un mardi par mois serait-il possible ?',
      'Bonjour, oui pour les mardis. Combien de repas prévoyez-vous et avec combien de personnes ?',
    ],
    status: 'open',
  },
  {
    listing: 'kitchen',
    responder: ORG.regieBourgDePeage,
    messages: [
      'Bonjour, nous cherchons une cuisine pour un atelier d’insertion en restauration, quatre jours par semaine.',
      'Bonjour, merci pour votre message. Nous ne pouvons malheureusement proposer que deux jours par semaine.',
    ],
    status: 'declined',
    decline: {
      reason: 'not_available',
      note: 'Quatre jours par semaine, c’est plus que ce que la cuisine peut offrir.',
    },
  },
  {
    listing: 'collection-truck',
    responder: ORG.transportsRobin,
    messages: [
      'Bonjour, nous avons un 20 m³ avec hayon qui ne sort pas le samedi. Il est à Bourg-de-Péage : la distance ne vous fait pas peur ?',
    ],
    status: 'open',
  },
  {
    listing: 'paper-storage',
    responder: ORG.petrDeuxVallees,
    messages: [
      'Bonjour, un ancien local technique de 35 m² est vide dans notre bâtiment de Voiron, sec et chauffé hors gel. Voulez-vous le visiter ?',
      'Bonjour, merci beaucoup ! Voiron est un peu plus loin que prévu mais cela peut convenir. Pouvons-nous passer mardi ?',
    ],
    status: 'open',
  },
  {
    listing: 'vegetable-baskets',
    responder: ORG.imprimerieBonnetVoiron,
    messages: [
      'Bonjour, une quinzaine de nos salariés seraient intéressés par des paniers livrés le jeudi à Voiron. Comment s’organise l’abonnement ?',
    ],
    status: 'open',
  },
  {
    listing: 'van',
    responder: ORG.regieBourgDePeage,
    messages: [
      'Bonjour, notre équipe espaces verts aurait besoin d’un fourgon les mardis, mercredis et jeudis. Nous sommes à deux rues de chez vous !',
      'Bonjour, cela tombe bien : nous l’utilisons le lundi et le vendredi. Passez voir le fourgon quand vous voulez, nous préparerons une convention simple.',
      'Merci, nous passons demain matin avec notre encadrant technique.',
    ],
    status: 'concluded',
    outcome: { euros: 4200 },
    note: 'Fourgon partagé trois jours par semaine : la régie a renoncé à l’achat d’un véhicule (environ 4 200 € par an de location évités).',
  },
  {
    listing: 'accountant',
    responder: ORG.reseauEclaircieRomans,
    messages: [
      'Bonjour, notre réseau porte déjà un groupement d’employeurs : nous pouvons recruter le ou la comptable et refacturer votre part.',
      'Excellente nouvelle. Pouvons-nous nous réunir avec la Fondation Escale pour caler la répartition des jours ?',
      'Oui, proposons jeudi 10 h dans nos locaux de Romans.',
    ],
    status: 'concluded',
    outcome: { fte: 0.4, euros: 6000 },
    note: 'Comptable recrutée en CDI par le groupement : 0,4 ETP pour l’épicerie, le reste partagé entre deux structures ; environ 6 000 € par an de moins que le recours à un cabinet.',
  },
  {
    listing: 'accountant',
    responder: ORG.bureauArchipelRomans,
    messages: [
      'Bonjour, notre assistante de gestion pourrait reprendre une partie de la saisie, une journée par semaine.',
      'Merci pour votre proposition : nous avons finalement trouvé une solution complète avec le groupement d’employeurs du réseau.',
    ],
    status: 'declined',
    decline: { reason: 'already_found' },
  },
  {
    listing: 'general-assembly-room',
    responder: ORG.lyceeBernardRomans,
    messages: [
      'Bonjour, notre amphithéâtre (150 places, accessible) est libre le samedi matin. Nous pouvons vous le prêter contre une présentation de la fondation à nos élèves de terminale.',
      'Merci, c’est parfait ! Nous retenons le samedi 14 et viendrons volontiers présenter nos métiers.',
    ],
    status: 'concluded',
    outcome: { m2: 150, euros: 800 },
    note: 'Assemblée générale tenue dans l’amphithéâtre du lycée (80 participants) ; 800 € de location de salle évités, une intervention auprès de deux classes en retour.',
  },
  {
    listing: 'reused-materials',
    responder: ORG.recyclerieVoiron,
    messages: [
      'Bonjour, nous avons en stock 14 portes intérieures de 83 cm, environ 90 m² de parquet de chêne démonté et des briques d’une démolition récente. Voulez-vous passer les voir ?',
      'Bonjour, c’est exactement ce qu’il nous faut. Nous venons mercredi avec le camion plateau.',
      'Très bien, nous préparons le tout près du quai de chargement.',
    ],
    status: 'concluded',
    outcome: { tonnes: 6.5, euros: 9000 },
    note: '14 portes, 90 m² de parquet de chêne et 2 tonnes de briques réemployés sur la rénovation de l’école : 6,5 tonnes détournées de la benne, environ 9 000 € de matériaux neufs évités.',
  },
  {
    listing: 'sewing-workshop',
    responder: ORG.lyceeFaureAulnay,
    messages: [
      'Bonjour, nous aimerions y organiser un module de couture pour douze élèves, deux après-midi par semaine pendant un trimestre.',
      'Bonjour, volontiers : nos machines sont libres les mardis et jeudis après-midi.',
    ],
    status: 'concluded',
    outcome: { m2: 80, peopleTrained: 12 },
    note: 'Un trimestre de module couture dans l’atelier : douze élèves formés aux bases de la confection.',
  },
  {
    listing: 'first-aid-training',
    responder: ORG.regieClermont,
    messages: [
      'Bonjour, nous voudrions inscrire huit salariés de nos équipes de chantier à la prochaine session.',
      'C’est noté, il reste justement huit places sur la session de novembre.',
    ],
    status: 'concluded',
    outcome: { peopleTrained: 8, euros: 1120 },
    note: 'Huit salariés de la régie certifiés SST ; 1 120 € économisés par rapport à une session organisée seule.',
  },
  {
    listing: 'wood-offcuts',
    responder: ORG.regieClermont,
    messages: [
      'Bonjour, nos ateliers de fabrication de mobilier en palettes utiliseraient volontiers vos chutes de chêne. Pouvons-nous passer tous les vendredis ?',
      'Oui, bien sûr : venez à partir de 14 h.',
    ],
    status: 'concluded',
    outcome: { tonnes: 2.4 },
    note: '2,4 tonnes de chutes transformées en bancs et jardinières par l’atelier de la régie.',
  },
  {
    listing: 'organic-group-purchase',
    responder: ORG.campusRicochetChambray,
    messages: [
      'Bonjour, la cafétéria du campus voudrait rejoindre la commande de légumineuses et de farine, environ 60 kg par mois.',
      'Bienvenue ! Nous vous ajoutons dès la commande du 10. Le bon de commande partagé arrive par courriel.',
    ],
    status: 'accepted',
  },
  {
    listing: 'office-furniture',
    responder: ORG.syndicatNantes,
    messages: [
      'Bonjour, nous équipons une maison France services et aurions besoin de huit postes complets. Sont-ils encore disponibles ?',
    ],
    status: 'open',
  },
  {
    listing: 'bike-repairs',
    responder: ORG.fondationFilatureVitry,
    messages: [
      'Bonjour, nous avons quatre vélos à assistance électrique : pouvez-vous aussi intervenir sur la partie électrique ?',
      'Bonjour, malheureusement nous ne réparons pas encore les moteurs et batteries. Nous vous conseillons un atelier spécialisé.',
    ],
    status: 'declined',
    decline: {
      reason: 'not_suitable',
      note: 'Réparation des moteurs et batteries de VAE non proposée pour l’instant.',
    },
  },
  {
    listing: 'stone-mill',
    responder: ORG.menuiserieMercierCanourgue,
    messages: [
      'Bonjour, nous pourrions fabriquer le coffrage en bois du moulin et participer en échange de quelques heures d’utilisation pour un boulanger voisin.',
      'Très belle idée ! Nous vous proposons d’en parler au prochain comité de la filière.',
    ],
    status: 'accepted',
  },
];
