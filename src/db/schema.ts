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
    /** A position's rows in id order, public ones found in the index (redefined by migration 0013). */
    index('listings_position_idx').on(table.lat, table.lon, table.status),
    index('listings_departement_idx').on(table.departement),
    index('listings_region_idx').on(table.region),
    index('listings_category_idx').on(table.category, table.type),
    /** Related listings: the newest of a category (hand-written migration 0013_listing_perf). */
    index('listings_related_idx').on(table.category, table.status, table.publishedAt),
    /** Public rows per position in a box, counted from the index alone (migration 0013_listing_perf). */
    index('listings_public_position_idx').on(table.status, table.lat, table.lon, table.expiresAt),
  ],
);

/**
 * Listings per (status, type, UTC day of `expires_at`), kept exact by triggers on `listings`
 * (hand-written migration 0014_listing_counts, a WITHOUT ROWID table): the home page's counts. Never
 * written by the app.
 */
export const listingCounts = sqliteTable(
  'listing_counts',
  {
    status: text('status', { enum: LISTING_STATUSES }).notNull(),
    type: text('type', { enum: LISTING_TYPES }).notNull(),
    /** `YYYY-MM-DD`, the first 10 characters of `expires_at`. */
    expiresDay: text('expires_day').notNull(),
    n: integer('n').notNull(),
  },
  (table) => [primaryKey({ columns: [table.status, table.type, table.expiresDay] })],
);

/**
 * Rows per table, kept exact by triggers (hand-written migration 0015_row_counts, a WITHOUT ROWID
 * table): `organisations`, the directory's total without filters. Never written by the app.
 */
export const rowCounts = sqliteTable('row_counts', {
  name: text('name').primaryKey(),
  n: integer('n').notNull(),
});

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

// ————————————————————————————————————————— AMI « PTCE » (the permanent call) and its instruction

/** The dossier states (docs/decisions/019; the transitions are in features/ami/workflow.ts). */
export const AMI_STATUSES = [
  'draft',
  'submitted',
  'under_review',
  'changes_requested',
  'ineligible',
  'eligible',
  'selected',
  'rejected',
  'withdrawn',
] as const;
export const AMI_STAGES = ['emerging', 'consolidating'] as const;
/** The dossier's sections, each saved on its own; `changes_requested` reopens some of them. */
export const AMI_SECTIONS = [
  'porteur',
  'membres',
  'territoire',
  'projet',
  'emplois',
  'budget',
  'pieces',
] as const;
/** A member's role in the consortium. */
export const AMI_MEMBER_ROLES = ['founding', 'partner', 'associate'] as const;
/** The scoring grid's criteria, 0–5 each. */
export const AMI_CRITERIA = [
  'cooperation',
  'pooling',
  'anchoring',
  'innovation',
  'jobs',
  'economicModel',
] as const;
/** Staff email choice for new dossiers / messages in their scope (default: one daily digest). */
export const STAFF_EMAIL_FREQUENCIES = ['instant', 'daily', 'none'] as const;

/**
 * A wave (vague) of the permanent call: dossiers submitted between its dates are decided in it;
 * the sum of the amounts granted in it never exceeds `envelope` (euros); a dossier asks at most `ceiling`.
 */
export const amiWaves = sqliteTable(
  'ami_waves',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Inclusive day bounds (`YYYY-MM-DD`, Europe/Paris days). */
    opensOn: text('opens_on').notNull(),
    closesOn: text('closes_on').notNull(),
    envelope: integer('envelope').notNull(),
    ceiling: integer('ceiling').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [index('ami_waves_dates_idx').on(table.opensOn, table.closesOn)],
);

/**
 * A dossier of the AMI. Its lead organisation's région and département are copied (scope of
 * regional instructors, queue filters); `searchText` is the normalised project and porteur names
 * (queue word filter). The editable sections are columns (scalars) or JSON (lists); members are
 * rows of `ami_members`. `reopenedSections` lists what a `changes_requested` reopened, until `changesDueAt`.
 */
export const amiApplications = sqliteTable(
  'ami_applications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `AMI-YYYY-NNNN`, given at the first submit (sequential per year, see ami_reference_counters). */
    reference: text('reference').unique(),
    leadOrganisationId: integer('lead_organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    region: text('region').notNull(),
    departement: text('departement').notNull(),
    status: text('status', { enum: AMI_STATUSES }).notNull().default('draft'),
    version: integer('version').notNull().default(1),
    /** The wave it was submitted in (open at submit); the wave it is selected in when selected. */
    waveId: integer('wave_id').references(() => amiWaves.id, { onDelete: 'restrict' }),
    assigneeId: integer('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    // projet
    projectName: text('project_name').notNull().default(''),
    stage: text('stage', { enum: AMI_STAGES }),
    strategy: text('strategy').notNull().default(''),
    activities: text('activities').notNull().default(''),
    governance: text('governance').notNull().default(''),
    innovation: text('innovation').notNull().default(''),
    // territoire
    territory: text('territory', { mode: 'json' })
      .$type<{ communeCodes: string[]; departements: string[]; qpv: boolean; rural: boolean }>()
      .notNull()
      .default(sql`'{"communeCodes":[],"departements":[],"qpv":false,"rural":false}'`),
    // emplois
    jobsCurrent: integer('jobs_current'),
    jobsPlanned: integer('jobs_planned'),
    // budget (euros; selfFinancingShare in percent at year 3)
    budgetTotal: integer('budget_total'),
    amountRequested: integer('amount_requested'),
    cofunding: text('cofunding', { mode: 'json' })
      .$type<{ funder: string; amount: number }[]>()
      .notNull()
      .default(sql`'[]'`),
    selfFinancingShare: real('self_financing_share'),
    stateAidReceived: integer('state_aid_received'),
    /** Already funded by a previous State call for PTCE (ineligible by the legal definition). */
    previouslyFunded: integer('previously_funded', { mode: 'boolean' }),
    amountGranted: integer('amount_granted'),
    reopenedSections: text('reopened_sections', { mode: 'json' })
      .$type<(typeof AMI_SECTIONS)[number][]>()
      .notNull()
      .default(sql`'[]'`),
    changesDueAt: text('changes_due_at'),
    searchText: text('search_text').notNull().default(''),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    submittedAt: text('submitted_at'),
    decidedAt: text('decided_at'),
  },
  (table) => [
    index('ami_applications_lead_idx').on(table.leadOrganisationId, table.status),
    index('ami_applications_status_idx').on(table.status, table.submittedAt),
    index('ami_applications_region_idx').on(table.region, table.status, table.submittedAt),
    index('ami_applications_wave_idx').on(table.waveId, table.status),
    index('ami_applications_assignee_idx').on(table.assigneeId, table.status),
    index('ami_applications_due_idx').on(table.status, table.changesDueAt),
  ],
);

/** The consortium: partner organisations, from the directory (`organisationId`) or typed in. */
export const amiMembers = sqliteTable(
  'ami_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => amiApplications.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    organisationId: integer('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    siret: text('siret').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ORGANISATION_KINDS }).notNull(),
    communeCode: text('commune_code')
      .notNull()
      .references(() => communes.code),
    role: text('role', { enum: AMI_MEMBER_ROLES }).notNull(),
  },
  (table) => [uniqueIndex('ami_members_siret_idx').on(table.applicationId, table.siret)],
);

/**
 * The audit trail: one row per state change, append-only — triggers (migration 0011) refuse any
 * UPDATE (except the actor becoming NULL when the account is deleted) and any DELETE.
 * `visibility`: `public` events (and their reason) are shown to the applicant; `private` ones to staff only.
 */
export const amiEvents = sqliteTable(
  'ami_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => amiApplications.id, { onDelete: 'restrict' }),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The actor's name at the time (kept when the account is deleted). */
    actorName: text('actor_name').notNull(),
    fromStatus: text('from_status', { enum: AMI_STATUSES }).notNull(),
    toStatus: text('to_status', { enum: AMI_STATUSES }).notNull(),
    reason: text('reason'),
    visibility: text('visibility', { enum: ['public', 'private'] }).notNull(),
    /** Transition details: reopened sections and due date, wave and amount granted, assignee… */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: text('at').notNull(),
  },
  (table) => [
    index('ami_events_application_idx').on(table.applicationId, table.id),
    index('ami_events_to_idx').on(table.toStatus, table.at),
  ],
);

/** The last reference number given per year (`AMI-YYYY-NNNN`), incremented in the submit's transaction. */
export const amiReferenceCounters = sqliteTable('ami_reference_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** Messages between the applicant (lead organisation's members) and staff. */
export const amiMessages = sqliteTable(
  'ami_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => amiApplications.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    authorName: text('author_name').notNull(),
    fromStaff: integer('from_staff', { mode: 'boolean' }).notNull(),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('ami_messages_application_idx').on(table.applicationId, table.id)],
);

/** Files of a dossier (section « pièces jointes ») or of a message; bytes in the `storage` dependency. */
export const amiAttachments = sqliteTable(
  'ami_attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => amiApplications.id, { onDelete: 'cascade' }),
    messageId: integer('message_id').references(() => amiMessages.id, { onDelete: 'cascade' }),
    /** The file name as shown (sanitised: no path, no control characters), never used as a storage key. */
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    storageKey: text('storage_key').notNull().unique(),
    uploadedBy: integer('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('ami_attachments_application_idx').on(table.applicationId, table.messageId)],
);

/** Staff-only notes on a dossier: never shown to the applicant nor in applicant-facing exports. */
export const amiNotes = sqliteTable(
  'ami_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    applicationId: integer('application_id')
      .notNull()
      .references(() => amiApplications.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('ami_notes_application_idx').on(table.applicationId, table.id)],
);

/** One scoring grid per reviewer and dossier (0–5 per criterion). */
export const amiScores = sqliteTable(
  'ami_scores',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => amiApplications.id, { onDelete: 'cascade' }),
    reviewerId: integer('reviewer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    cooperation: integer('cooperation').notNull(),
    pooling: integer('pooling').notNull(),
    anchoring: integer('anchoring').notNull(),
    innovation: integer('innovation').notNull(),
    jobs: integer('jobs').notNull(),
    economicModel: integer('economic_model').notNull(),
    /** The grid's mean (0–5), kept with the grid for the queue, exports and the waiting list. */
    total: real('total').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.applicationId, table.reviewerId] }),
    index('ami_scores_reviewer_idx').on(table.reviewerId),
  ],
);

/** Conflict-of-interest declarations: the staff member no longer scores, assigns or decides the dossier. */
export const amiConflicts = sqliteTable(
  'ami_conflicts',
  {
    applicationId: integer('application_id')
      .notNull()
      .references(() => amiApplications.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    note: text('note'),
    declaredAt: text('declared_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.applicationId, table.userId] }),
    index('ami_conflicts_user_idx').on(table.userId),
  ],
);

/** A regional instructor's régions (INSEE codes); an instructor without rows is national. */
export const staffRegions = sqliteTable(
  'staff_regions',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    region: text('region').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.region] }),
    index('staff_regions_region_idx').on(table.region),
  ],
);

/** Staff email choices for their scope (no row: daily digests). */
export const staffNotificationSettings = sqliteTable('staff_notification_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  newDossiers: text('new_dossiers', { enum: STAFF_EMAIL_FREQUENCIES }).notNull().default('daily'),
  newMessages: text('new_messages', { enum: STAFF_EMAIL_FREQUENCIES }).notNull().default('daily'),
  updatedAt: text('updated_at').notNull(),
});

/** A pôle's status history (emerging → established → laureate), with the reason and who changed it. */
export const poleStatusEvents = sqliteTable(
  'pole_status_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    poleId: integer('pole_id')
      .notNull()
      .references(() => poles.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status', { enum: POLE_STATUSES }).notNull(),
    toStatus: text('to_status', { enum: POLE_STATUSES }).notNull(),
    reason: text('reason').notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The selected dossier that made the pôle a lauréat, if any. */
    applicationId: integer('application_id').references(() => amiApplications.id, { onDelete: 'set null' }),
    at: text('at').notNull(),
  },
  (table) => [index('pole_status_events_pole_idx').on(table.poleId, table.id)],
);

// ————————————————————————————————————————— matching (partner suggestions, docs/decisions/020)

/**
 * A suggestion an organisation dismissed: the candidate is never suggested to it again, and the
 * dismissal counts against the candidate for the organisation (src/features/matching/scoring.ts).
 */
export const matchDismissals = sqliteTable(
  'match_dismissals',
  {
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    candidateOrganisationId: integer('candidate_organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.organisationId, table.candidateOrganisationId] }),
    index('match_dismissals_candidate_idx').on(table.candidateOrganisationId),
  ],
);

/** Users who turned off the weekly partner-suggestions email (no row: they receive it). */
export const matchEmailOptOuts = sqliteTable('match_email_opt_outs', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull(),
});

/**
 * When each organisation was last active (a listing published or updated, a thread message
 * written), kept by triggers (migration 0012): matching reads it with the candidates instead of
 * aggregating listings and threads per request.
 */
export const matchActivity = sqliteTable('match_activity', {
  organisationId: integer('organisation_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  activeAt: text('active_at').notNull(),
});
