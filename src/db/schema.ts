import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
    index('organisations_lat_lon_idx').on(table.lat, table.lon),
    index('organisations_name_idx').on(table.name),
    index('organisations_sort_name_idx').on(table.sortName, table.id),
  ],
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
    index('poles_lat_lon_idx').on(table.lat, table.lon),
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
