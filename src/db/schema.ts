import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** COG communes (and Paris/Lyon/Marseille arrondissements), loaded by a data migration. */
export const communes = sqliteTable(
  'communes',
  {
    code: text('code').primaryKey(),
    type: text('type', { enum: ['COM', 'ARM'] }).notNull(),
    name: text('name').notNull(),
    /** Normalised name (lowercase ASCII, words separated by one space), e.g. `l ile saint denis`. */
    searchName: text('search_name').notNull(),
    /** Normalised name without its leading article, e.g. `ile saint denis`. */
    searchAlt: text('search_alt').notNull(),
    departement: text('departement').notNull(),
    region: text('region').notNull(),
    parent: text('parent'),
    /** `;`-separated La Poste codes, for display. */
    postalCodes: text('postal_codes').notNull(),
    lat: real('lat'),
    lon: real('lon'),
    population: integer('population').notNull().default(0),
  },
  (table) => [
    index('communes_search_name_idx').on(table.searchName),
    index('communes_search_alt_idx').on(table.searchAlt),
    index('communes_departement_idx').on(table.departement),
  ],
);

/** Postal code → commune (many to many), for prefix search by postal code. */
export const communePostalCodes = sqliteTable(
  'commune_postal_codes',
  {
    postalCode: text('postal_code').notNull(),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
  },
  (table) => [primaryKey({ columns: [table.postalCode, table.communeCode] })],
);

/** One-row-per-key application metadata (e.g. whether demo data was loaded). */
export const appMeta = sqliteTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
});

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** Platform accounts. `role` is the platform role; organisation and pôle roles live on memberships. */
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** Lowercased; unique. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['member', 'instructor', 'admin'] })
    .notNull()
    .default('member'),
  emailVerifiedAt: text('email_verified_at'),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
});

/** Browser sessions; the cookie holds a random token, the table only its SHA-256. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    userAgent: text('user_agent'),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

/** Personal API tokens (`Authorization: Bearer …`); only the SHA-256 is stored. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** First characters of the token, to recognise it in the list. */
    prefix: text('prefix').notNull(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
  },
  (table) => [index('api_tokens_user_idx').on(table.userId)],
);

/** Single-use expiring links sent by email (email verification, password reset). */
export const authTokens = sqliteTable(
  'auth_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['verify_email', 'reset_password'] }).notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('auth_tokens_user_idx').on(table.userId, table.purpose)],
);

/** Fixed-window counters for rate limits (sign-in, sign-up, reset, public forms). */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/** Outbox: every email the platform sends, with its delivery state. */
export const emails = sqliteTable(
  'emails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    /** The HTML alternative, when the email has one (digests); `text` is always there. */
    html: text('html'),
    /** Extra headers (`List-Unsubscribe`…), as sent. */
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>(),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    error: text('error'),
  },
  (table) => [index('emails_created_idx').on(table.createdAt)],
);

export const ORGANISATION_KINDS = [
  'ess',
  'sme',
  'local_authority',
  'research',
  'training',
  'network',
  'other',
] as const;
export const LEGAL_FORMS = [
  'association',
  'scop',
  'scic',
  'cooperative',
  'mutuelle',
  'fondation',
  'esus_company',
  'company',
  'public_body',
  'other',
] as const;
export const THEMES = [
  'insertion',
  'early_childhood',
  'renewable_energy',
  'recycling_reuse',
  'food_agriculture',
  'culture',
  'digital',
  'mobility',
  'construction',
  'business_services',
  'tourism',
  'health_social',
  'training',
] as const;
export const POLE_STATUSES = ['emerging', 'established', 'laureate'] as const;

/** Organisations, placed at the centre of their commune (lat/lon and territory copied for search). */
export const organisations = sqliteTable(
  'organisations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    siret: text('siret').notNull().unique(),
    name: text('name').notNull(),
    /**
     * The name as the directory sorts it: `normalizeName(name)` (lowercase, accents removed, so
     * « Économie » sorts under E), written with the name by every insert and rename.
     */
    sortName: text('sort_name').notNull(),
    kind: text('kind', { enum: ORGANISATION_KINDS }).notNull(),
    legalForm: text('legal_form', { enum: LEGAL_FORMS }).notNull(),
    nafCode: text('naf_code'),
    /** JSON array of theme codes (also in organisation_themes for filtering). */
    themes: text('themes', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
    departement: text('departement').notNull(),
    region: text('region').notNull(),
    lat: real('lat'),
    lon: real('lon'),
    description: text('description').notNull().default(''),
    website: text('website'),
    contactEmail: text('contact_email'),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('organisations_kind_idx').on(table.kind),
    index('organisations_departement_idx').on(table.departement),
    index('organisations_region_idx').on(table.region),
    // Rows of one position (a commune's centre) in directory order: distance pages read only theirs.
    index('organisations_position_idx').on(table.lat, table.lon, table.sortName, table.id),
    index('organisations_name_idx').on(table.name),
    index('organisations_sort_name_idx').on(table.sortName, table.id),
  ],
);

/**
 * How many organisations sit at each position (a commune's centre), kept by triggers (migration
 * 0005): a distance search ranks the few hundred positions of its box instead of reading every
 * organisation in it.
 */
export const organisationPositions = sqliteTable(
  'organisation_positions',
  {
    lat: real('lat').notNull(),
    lon: real('lon').notNull(),
    rows: integer('rows').notNull(),
  },
  (table) => [primaryKey({ columns: [table.lat, table.lon] })],
);

export const organisationThemes = sqliteTable(
  'organisation_themes',
  {
    theme: text('theme').notNull(),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.theme, table.organisationId] }),
    index('organisation_themes_org_idx').on(table.organisationId),
  ],
);

export const organisationMembers = sqliteTable(
  'organisation_members',
  {
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'editor'] }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.organisationId, table.userId] }),
    index('organisation_members_user_idx').on(table.userId),
  ],
);

/** Invitations to join an organisation, sent by email; accepted by the account with that email. */
export const organisationInvitations = sqliteTable(
  'organisation_invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['owner', 'editor'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: integer('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    acceptedAt: text('accepted_at'),
  },
  (table) => [index('organisation_invitations_org_idx').on(table.organisationId)],
);

/**
 * A signed-in user asks the owners of an organisation (found by its SIRET, already registered) to
 * let them manage it; an owner accepts (the user becomes an editor) or declines.
 */
export const organisationAccessRequests = sqliteTable(
  'organisation_access_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'accepted', 'declined'] }).notNull(),
    createdAt: text('created_at').notNull(),
    decidedAt: text('decided_at'),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    index('organisation_access_requests_org_idx').on(table.organisationId, table.status),
    index('organisation_access_requests_user_idx').on(table.userId),
  ],
);

/** Pôles territoriaux de coopération économique. */
export const poles = sqliteTable(
  'poles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
    departement: text('departement').notNull(),
    region: text('region').notNull(),
    lat: real('lat'),
    lon: real('lon'),
    /** JSON array of the département codes the pôle covers (also in pole_departements). */
    departements: text('departements', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    themes: text('themes', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    status: text('status', { enum: POLE_STATUSES }).notNull().default('emerging'),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('poles_departement_idx').on(table.departement),
    index('poles_region_idx').on(table.region),
    index('poles_position_idx').on(table.lat, table.lon, table.name, table.id),
    index('poles_status_idx').on(table.status),
    index('poles_name_idx').on(table.name),
  ],
);

export const poleThemes = sqliteTable(
  'pole_themes',
  {
    theme: text('theme').notNull(),
    poleId: integer('pole_id')
      .notNull()
      .references(() => poles.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.theme, table.poleId] }),
    index('pole_themes_pole_idx').on(table.poleId),
  ],
);

export const poleDepartements = sqliteTable(
  'pole_departements',
  {
    departement: text('departement').notNull(),
    poleId: integer('pole_id')
      .notNull()
      .references(() => poles.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.departement, table.poleId] }),
    index('pole_departements_pole_idx').on(table.poleId),
  ],
);

/**
 * Organisations in a pôle. `status`: active member, `invited` by the coordinator (the organisation
 * accepts), or `requested` by the organisation (the coordinator accepts).
 */
export const poleMembers = sqliteTable(
  'pole_members',
  {
    poleId: integer('pole_id')
      .notNull()
      .references(() => poles.id, { onDelete: 'cascade' }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['coordinator', 'member'] }).notNull(),
    status: text('status', { enum: ['active', 'invited', 'requested'] }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /**
     * Staff (instructor, admin) who made the organisation an active member directly, without its
     * consent (defect 17: anyone else invites, and the organisation accepts); null otherwise.
     */
    addedBy: integer('added_by').references(() => users.id, { onDelete: 'set null' }),
    addedAt: text('added_at'),
  },
  (table) => [
    primaryKey({ columns: [table.poleId, table.organisationId] }),
    index('pole_members_org_idx').on(table.organisationId),
  ],
);

// ————————————————————————————————————————— listings (offers and needs for pooling)

export const LISTING_TYPES = ['offer', 'need'] as const;
export const LISTING_CATEGORIES = [
  'premises',
  'equipment',
  'skills',
  'shared_jobs',
  'services',
  'purchasing',
  'training',
  'logistics',
  'energy_resources',
  'other',
] as const;
export const LISTING_TERMS = ['free', 'cost_sharing', 'paid', 'exchange'] as const;
/** `unpublished`: taken down by moderation (see moderation_actions). */
export const LISTING_STATUSES = ['draft', 'published', 'closed', 'unpublished'] as const;
export const LISTING_CLOSE_REASONS = ['fulfilled', 'withdrawn', 'expired'] as const;

/**
 * An offer or a need published by an organisation, placed at a commune (lat/lon and territory
 * copied, as for organisations). `stemTitle` / `stemBody` hold the French-stemmed, accent-free
 * words that `listings_fts` indexes (written by the application with title and description).
 */
export const listings = sqliteTable(
  'listings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** The pôle it is shown on (one the organisation belongs to). */
    poleId: integer('pole_id').references(() => poles.id, { onDelete: 'set null' }),
    /** Set when a pôle coordinator published it on behalf of the organisation (« besoins d'abord »). */
    onBehalfOfPoleId: integer('on_behalf_of_pole_id').references(() => poles.id, { onDelete: 'set null' }),
    /** When the organisation took over a listing published on its behalf (the pôle no longer edits it). */
    takenOverAt: text('taken_over_at'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    type: text('type', { enum: LISTING_TYPES }).notNull(),
    category: text('category', { enum: LISTING_CATEGORIES }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
    departement: text('departement').notNull(),
    region: text('region').notNull(),
    lat: real('lat'),
    lon: real('lon'),
    radiusKm: integer('radius_km').notNull().default(30),
    /** ISO dates (YYYY-MM-DD), inclusive. */
    availableFrom: text('available_from'),
    availableUntil: text('available_until'),
    terms: text('terms', { enum: LISTING_TERMS }).notNull(),
    measureValue: real('measure_value'),
    measureUnit: text('measure_unit'),
    status: text('status', { enum: LISTING_STATUSES }).notNull().default('draft'),
    closedReason: text('closed_reason', { enum: LISTING_CLOSE_REASONS }),
    publishedAt: text('published_at'),
    closedAt: text('closed_at'),
    expiresAt: text('expires_at').notNull(),
    /** When the owners were told the listing expires within a week (once per expiry date). */
    expiryReminderSentAt: text('expiry_reminder_sent_at'),
    stemTitle: text('stem_title').notNull().default(''),
    stemBody: text('stem_body').notNull().default(''),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('listings_organisation_idx').on(table.organisationId, table.status),
    index('listings_pole_idx').on(table.poleId, table.status),
    index('listings_public_recent_idx').on(table.status, table.publishedAt),
    /** Home page counts (hand-written migration 0009_listing_search; in the snapshot since 0010). */
    index('listings_public_type_idx').on(table.status, table.type, table.expiresAt),
    index('listings_expiry_idx').on(table.status, table.expiresAt),
    index('listings_position_idx').on(table.lat, table.lon),
    index('listings_departement_idx').on(table.departement),
    index('listings_region_idx').on(table.region),
    index('listings_category_idx').on(table.category, table.type),
  ],
);

/** Up to four images per listing; the bytes live in the `storage` dependency under `storageKey`. */
export const listingPhotos = sqliteTable(
  'listing_photos',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull().unique(),
    contentType: text('content_type', { enum: ['image/jpeg', 'image/png', 'image/webp'] }).notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    /** Text alternative for the image (accessibility). */
    alt: text('alt').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('listing_photos_listing_idx').on(table.listingId, table.position)],
);

/**
 * One-click renewal links of expiring listings: the token's SHA-256 only, usable once. Created by the
 * hand-written migration 0008_alerts; defined here so drizzle-kit's snapshot knows it (since 0010).
 */
export const listingRenewalTokens = sqliteTable(
  'listing_renewal_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (table) => [index('listing_renewal_tokens_listing_idx').on(table.listingId)],
);

// ————————————————————————————————————————— threads (answers to a listing, between two organisations)

export const THREAD_STATUSES = ['open', 'accepted', 'declined', 'concluded'] as const;
export const THREAD_DECLINE_REASONS = [
  'not_available',
  'not_suitable',
  'too_far',
  'already_found',
  'other',
] as const;

/** A conversation between a listing's organisation and one answering organisation. */
export const threads = sqliteTable(
  'threads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    /** The listing's organisation (copied: a thread's two sides never change). */
    ownerOrganisationId: integer('owner_organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    responderOrganisationId: integer('responder_organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: THREAD_STATUSES }).notNull().default('open'),
    declineReason: text('decline_reason', { enum: THREAD_DECLINE_REASONS }),
    declineNote: text('decline_note'),
    /** Outcome of a concluded cooperation: what was pooled, in numbers where they apply. */
    outcomeEuros: real('outcome_euros'),
    outcomeFte: real('outcome_fte'),
    outcomeM2: real('outcome_m2'),
    outcomeTonnes: real('outcome_tonnes'),
    outcomePeopleTrained: integer('outcome_people_trained'),
    outcomeNote: text('outcome_note'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    acceptedAt: text('accepted_at'),
    declinedAt: text('declined_at'),
    concludedAt: text('concluded_at'),
    lastMessageAt: text('last_message_at').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('threads_listing_responder_idx').on(table.listingId, table.responderOrganisationId),
    index('threads_owner_idx').on(table.ownerOrganisationId, table.lastMessageAt),
    index('threads_responder_idx').on(table.responderOrganisationId, table.lastMessageAt),
    index('threads_status_idx').on(table.status),
  ],
);

export const threadMessages = sqliteTable(
  'thread_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    /** The side that wrote it. */
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('thread_messages_thread_idx').on(table.threadId, table.id)],
);

/** The last message each user has read in a thread (unread counts). */
export const threadReads = sqliteTable(
  'thread_reads',
  {
    threadId: integer('thread_id')
      .notNull()
      .references(() => threads.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastReadMessageId: integer('last_read_message_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.threadId, table.userId] }),
    index('thread_reads_user_idx').on(table.userId),
  ],
);

// ————————————————————————————————————————— notifications: settings, unsubscribe links, job marks

export const EMAIL_FREQUENCIES = ['immediate', 'daily', 'never'] as const;

/** A user's email settings (no row: the defaults). */
export const notificationSettings = sqliteTable('notification_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** New messages in a thread of one of the user's organisations. */
  messages: text('messages', { enum: EMAIL_FREQUENCIES }).notNull().default('immediate'),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One-click unsubscribe links (emails and `List-Unsubscribe`): only the SHA-256 of the token is kept.
 * `scope` names what the link turns off (`messages`, `saved_search:<id>`, …).
 */
export const unsubscribeTokens = sqliteTable(
  'unsubscribe_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('unsubscribe_tokens_user_idx').on(table.userId, table.scope)],
);

/**
 * What a scheduled job already did, so that running it twice does nothing twice: one row per
 * (job, key), inserted in the same transaction as the email it stands for.
 */
export const jobMarks = sqliteTable(
  'job_marks',
  {
    job: text('job').notNull(),
    key: text('key').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.job, table.key] })],
);

// ————————————————————————————————————————— saved searches, reports, moderation

/** A user's saved listing search; `query` is the search's URL query string (`q=…&commune=…`). */
export const savedSearches = sqliteTable(
  'saved_searches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    query: text('query').notNull(),
    alerts: integer('alerts', { mode: 'boolean' }).notNull().default(true),
    /** Listings published after this instant are new for the next digest. */
    lastAlertAt: text('last_alert_at').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('saved_searches_user_idx').on(table.userId),
    index('saved_searches_alerts_idx').on(table.alerts),
  ],
);

export const REPORT_REASONS = ['spam', 'inappropriate', 'misleading', 'not_pooling', 'other'] as const;

export const listingReports = sqliteTable(
  'listing_reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    reporterId: integer('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason', { enum: REPORT_REASONS }).notNull(),
    note: text('note'),
    status: text('status', { enum: ['open', 'dismissed', 'actioned'] })
      .notNull()
      .default('open'),
    createdAt: text('created_at').notNull(),
    resolvedAt: text('resolved_at'),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    index('listing_reports_status_idx').on(table.status, table.createdAt),
    index('listing_reports_listing_idx').on(table.listingId),
  ],
);

/** Every moderation action, append-only. */
export const moderationActions = sqliteTable(
  'moderation_actions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listingId: integer('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    reportId: integer('report_id').references(() => listingReports.id, { onDelete: 'set null' }),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action', { enum: ['unpublish', 'dismiss', 'republish'] }).notNull(),
    reason: text('reason'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('moderation_actions_listing_idx').on(table.listingId, table.createdAt)],
);
