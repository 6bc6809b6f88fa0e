// The ledger's schema. Migrations in ./migrations are generated from this file with `npm run db:generate`
// and committed; never edit an applied migration.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  type AnyPgColumn,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();

// ---------------------------------------------------------------- enums
// `editor` (migration 0011): a user who may also write asserted facts (DESIGN §10).
export const userRole = pgEnum('user_role', ['admin', 'user', 'editor']);
export const sourceType = pgEnum('source_type', ['vcenter']);
export const runMode = pgEnum('run_mode', [
  'healthcheck',
  'detect',
  'collect',
  'collect_hosts',
  'collect_vms',
]);
export const runStatus = pgEnum('run_status', ['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export const runTrigger = pgEnum('run_trigger', ['schedule', 'manual', 'api']);
export const assetKind = pgEnum('asset_kind', ['host', 'cluster', 'vm']);
// `merged`: a tombstone left by a merge (src/server/identity/merge-assets.ts); it points at its survivor.
export const assetStatus = pgEnum('asset_status', ['active', 'offline', 'merged']);
export const linkPresence = pgEnum('link_presence', ['present', 'missing']);
export const relationType = pgEnum('relation_type', ['runs_on', 'hosts_vm', 'member_of']);
export const relationStatus = pgEnum('relation_status', ['active', 'inactive']);
export const assetEventType = pgEnum('asset_event_type', [
  'created',
  'changed',
  'went_missing',
  'came_back',
  'relation_changed',
  // Asserted facts changed (ledger values or overrides): by edit, bulk edit or import (src/server/history).
  'ledger_changed',
  // identity across sources (src/server/identity)
  'moved',
  'merged',
  'split',
]);
export const duplicateCandidateStatus = pgEnum('duplicate_candidate_status', ['open', 'ignored', 'merged']);

// ---------------------------------------------------------------- people and access
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    displayName: text('display_name'),
    role: userRole('role').notNull().default('user'),
    passwordHash: text('password_hash').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    // Set for the generated first admin password and after an admin reset.
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    lastLoginAt: ts('last_login_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_username_lower_uq').on(sql`lower(${t.username})`)],
);

// Per-user UI choices kept on the server, so they follow the user to any browser (issue 15: the asset
// list's columns). NULL means "the default".
export const userPreferences = pgTable('user_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  assetColumns: text('asset_columns').array(),
  updatedAt: updatedAt(),
});

// The cookie carries a random token (signed); only its SHA-256 is stored.
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // First characters of the token, shown in lists so a user can tell tokens apart.
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts('last_used_at'),
    expiresAt: ts('expires_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ts: ts('ts').notNull().defaultNow(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    // Kept even when the user is deleted, and for failed logins of unknown names.
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    outcome: text('outcome').notNull().default('success'),
    targetType: text('target_type'),
    targetId: text('target_id'),
    requestId: text('request_id'),
    ip: text('ip'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_events_ts_idx').on(t.ts),
    index('audit_events_action_idx').on(t.action, t.ts),
    index('audit_events_actor_idx').on(t.actorUserId, t.ts),
  ],
);

// ---------------------------------------------------------------- configuration
export const credentials = pgTable(
  'credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    // Non-secret part of the payload (e.g. the username), readable through the API.
    publicData: jsonb('public_data').$type<Record<string, unknown>>().notNull().default({}),
    // AES-256-GCM of the secret part; AAD binds key id and row id.
    keyId: text('key_id').notNull(),
    ciphertext: bytea('ciphertext').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('credentials_name_lower_uq').on(sql`lower(${t.name})`)],
);

export const scheduleGroups = pgTable(
  'schedule_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    timezone: text('timezone').notNull().default('UTC'),
    // Daily time of day, HH:mm; `cron` (when set) is used instead.
    timeOfDay: text('time_of_day').notNull().default('02:00'),
    cron: text('cron'),
    // The last scheduled instant that was fired: each instant fires at most once.
    lastFiredFor: ts('last_fired_for'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('schedule_groups_name_lower_uq').on(sql`lower(${t.name})`)],
);

export const sources = pgTable(
  'sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    type: sourceType('type').notNull().default('vcenter'),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    credentialId: uuid('credential_id').references(() => credentials.id, { onDelete: 'restrict' }),
    scheduleGroupId: uuid('schedule_group_id').references(() => scheduleGroups.id, { onDelete: 'restrict' }),
    enabled: boolean('enabled').notNull().default(true),
    // The vCenter's about.instanceUuid as its latest detect, healthcheck or collect run reported it: two live
    // sources may not be the same vCenter (src/server/identity/source-identity.ts).
    instanceUuid: text('instance_uuid'),
    instanceUuidSeenAt: ts('instance_uuid_seen_at'),
    deletedAt: ts('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('sources_name_lower_uq')
      .on(sql`lower(${t.name})`)
      .where(sql`${t.deletedAt} is null`),
    uniqueIndex('sources_instance_uuid_uq')
      .on(t.instanceUuid)
      .where(sql`${t.deletedAt} is null and ${t.instanceUuid} is not null`),
    index('sources_group_idx').on(t.scheduleGroupId),
  ],
);

// ---------------------------------------------------------------- runs (also the work queue)
export type RunAttempt = {
  attempt: number;
  startedAt: string;
  finishedAt?: string;
  workerId?: string;
  errorCode?: string;
  errorMessage?: string;
};

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'restrict' }),
    mode: runMode('mode').notNull(),
    status: runStatus('status').notNull().default('queued'),
    trigger: runTrigger('trigger').notNull(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    scheduleGroupId: uuid('schedule_group_id').references(() => scheduleGroups.id, { onDelete: 'set null' }),
    attempt: integer('attempt').notNull().default(1),
    maxAttempts: integer('max_attempts').notNull().default(3),
    attempts: jsonb('attempts').$type<RunAttempt[]>().notNull().default([]),
    // A retry waits until then (backoff).
    notBefore: ts('not_before').notNull().defaultNow(),
    workerId: text('worker_id'),
    heartbeatAt: ts('heartbeat_at'),
    createdAt: createdAt(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    progress: jsonb('progress').$type<Record<string, unknown>>(),
    stats: jsonb('stats').$type<Record<string, unknown>>(),
    warnings: jsonb('warnings').$type<unknown[]>().notNull().default([]),
    errors: jsonb('errors').$type<unknown[]>().notNull().default([]),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    detect: jsonb('detect').$type<Record<string, unknown>>(),
    // Set by POST /runs/{id}/cancel on a running run; its worker notices, kills the plugin, rolls back.
    cancelRequestedAt: ts('cancel_requested_at'),
  },
  (t) => [
    // At most one active run per (source, mode): the database, not a read-then-write, enforces it.
    uniqueIndex('runs_one_active_per_source_mode')
      .on(t.sourceId, t.mode)
      .where(sql`${t.status} in ('queued', 'running')`),
    index('runs_queue_idx')
      .on(t.notBefore, t.createdAt)
      .where(sql`${t.status} = 'queued'`),
    index('runs_source_created_idx').on(t.sourceId, t.createdAt),
    index('runs_created_idx').on(t.createdAt),
    index('runs_status_idx').on(t.status, t.createdAt),
  ],
);

// ---------------------------------------------------------------- assets
export const assets = pgTable(
  'assets',
  {
    uuid: uuid('uuid').primaryKey().defaultRandom(),
    kind: assetKind('kind').notNull(),
    status: assetStatus('status').notNull().default('active'),
    // Merged view of the present links' latest records, with provenance (see src/ingest).
    canonical: jsonb('canonical').$type<Record<string, unknown>>().notNull().default({}),
    // Denormalized from `canonical` for search, filters and sorting.
    name: text('name'),
    hostname: text('hostname'),
    serialNumber: text('serial_number'),
    ipAddresses: text('ip_addresses')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // Lower-case, colon-separated.
    macAddresses: text('mac_addresses')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    powerState: text('power_state'),
    clusterName: text('cluster_name'),
    hostName: text('host_name'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastSeenAt: ts('last_seen_at'),
    // Asserted overrides of observed facts (DESIGN §8a). Only the ledger services write them; ingest sets
    // the observed columns above and never these, so a collect run cannot change an asserted value.
    nameOverride: text('name_override'),
    primaryIpOverride: text('primary_ip_override'),
    osOverride: text('os_override'),
    // The name people see: the override when set, else the observed name. List, sort, search and export
    // read this one; stored so it has an index like `name` (ledger: src/server/ledger-fields).
    displayName: text('display_name').generatedAlwaysAs(sql`coalesce(name_override, name)`),
    // Set on a merged tombstone: the asset it was merged into.
    mergedInto: uuid('merged_into').references((): AnyPgColumn => assets.uuid, { onDelete: 'set null' }),
  },
  (t) => [
    index('assets_kind_status_idx').on(t.kind, t.status),
    // The few assets not active: a run's objects seen again are checked against these, not all assets.
    index('assets_not_active_idx')
      .on(t.uuid)
      .where(sql`${t.status} <> 'active'`),
    index('assets_display_name_lower_idx').on(sql`lower(${t.displayName})`),
    index('assets_name_lower_idx').on(sql`lower(${t.name})`),
    index('assets_hostname_lower_idx').on(sql`lower(${t.hostname})`),
    index('assets_serial_lower_idx').on(sql`lower(${t.serialNumber})`),
    index('assets_ip_gin_idx').using('gin', t.ipAddresses),
    index('assets_mac_gin_idx').using('gin', t.macAddresses),
    // Prefix search (LIKE 'abc%') needs pattern ops whatever the database collation is.
    index('assets_name_prefix_idx').on(sql`lower(${t.name}) text_pattern_ops`),
    index('assets_hostname_prefix_idx').on(sql`lower(${t.hostname}) text_pattern_ops`),
    index('assets_serial_prefix_idx').on(sql`lower(${t.serialNumber}) text_pattern_ops`),
    index('assets_cluster_name_idx').on(t.clusterName),
    index('assets_host_name_idx').on(t.hostName),
  ],
);

export const assetSourceLinks = pgTable(
  'asset_source_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assetUuid: uuid('asset_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'restrict' }),
    externalKind: assetKind('external_kind').notNull(),
    externalId: text('external_id').notNull(),
    // Instance UUID (VM) or hardware UUID (host): lets an object that reappears under a new moref
    // re-attach to its old asset.
    identityKey: text('identity_key'),
    presence: linkPresence('presence').notNull().default('present'),
    firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    lastSeenRunId: uuid('last_seen_run_id'),
    missingSince: ts('missing_since'),
  },
  (t) => [
    uniqueIndex('asset_source_links_external_uq').on(t.sourceId, t.externalKind, t.externalId),
    // Target of source_records (link_id, asset_uuid): a record belongs to its link and to that link's asset.
    unique('asset_source_links_id_asset_uq').on(t.id, t.assetUuid),
    index('asset_source_links_asset_idx').on(t.assetUuid),
    index('asset_source_links_identity_idx').on(t.sourceId, t.externalKind, t.identityKey),
  ],
);

export const sourceRecords = pgTable(
  'source_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    linkId: uuid('link_id').notNull(),
    assetUuid: uuid('asset_uuid').notNull(),
    sourceId: uuid('source_id').notNull(),
    runId: uuid('run_id').notNull(),
    collectedAt: ts('collected_at').notNull(),
    normalized: jsonb('normalized').$type<Record<string, unknown>>().notNull(),
    // The plugin's raw_payload as JSON text. PostgreSQL compresses it (TOAST; lz4 where the server has it,
    // see migration 0005), which costs far less than compressing each payload in Node.
    raw: text('raw'),
    // Records written before migration 0005: the same JSON, gzip-compressed by Node. Read only.
    rawGzip: bytea('raw_gzip'),
    hash: text('hash').notNull(),
    lastSeenRunId: uuid('last_seen_run_id').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
  },
  (t) => [
    // One foreign key for both columns: the record goes with its link (and so with the link's asset, whose
    // deletion cascades to its links); one check per new record instead of two.
    foreignKey({
      name: 'source_records_link_asset_fk',
      columns: [t.linkId, t.assetUuid],
      foreignColumns: [assetSourceLinks.id, assetSourceLinks.assetUuid],
    }).onDelete('cascade'),
    index('source_records_link_idx').on(t.linkId, t.id),
    index('source_records_asset_idx').on(t.assetUuid, t.id),
    // The source's latest record id: ingest tells by it whether another run wrote records since it read
    // the known ones (src/ingest/known-records.ts).
    index('source_records_source_idx').on(t.sourceId, t.id),
  ],
);

export const relations = pgTable(
  'relations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: relationType('type').notNull(),
    fromAssetUuid: uuid('from_asset_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    toAssetUuid: uuid('to_asset_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'restrict' }),
    status: relationStatus('status').notNull().default('active'),
    firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    lastSeenRunId: uuid('last_seen_run_id'),
    inactiveSince: ts('inactive_since'),
    rawPayload: jsonb('raw_payload'),
  },
  (t) => [
    uniqueIndex('relations_edge_uq').on(t.type, t.fromAssetUuid, t.toAssetUuid, t.sourceId),
    index('relations_from_idx').on(t.fromAssetUuid, t.type),
    index('relations_to_idx').on(t.toAssetUuid, t.type),
  ],
);

// The latest complete run per (source, asset kind or relation type). Such a run saw every link of that
// kind that is present and every relation of that type that is active, so ingest does not stamp "last
// seen" on each of those rows every run; readers take the later of the row's own stamp and this one
// (src/ingest/last-seen.ts).
export const sourceScans = pgTable(
  'source_scans',
  {
    sourceId: uuid('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    // An asset kind (vm, host, cluster) or a relation type (runs_on, hosts_vm, member_of).
    subject: text('subject').notNull(),
    runId: uuid('run_id').notNull(),
    seenAt: ts('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.subject] })],
);

export const assetSnapshots = pgTable(
  'asset_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetUuid: uuid('asset_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    runId: uuid('run_id'),
    createdAt: createdAt(),
    // One row per canonical version of the asset, from the run that produced it. The current version's
    // content is the asset's own `canonical`: it is copied here (with its hash) only when a newer version
    // supersedes it, so an asset that never changes stores its view once. Rows written before migration
    // 0005 hold their content from the start.
    canonical: jsonb('canonical').$type<Record<string, unknown>>(),
    hash: text('hash'),
  },
  (t) => [index('asset_snapshots_asset_idx').on(t.assetUuid, t.id)],
);

export const assetEvents = pgTable(
  'asset_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    assetUuid: uuid('asset_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    runId: uuid('run_id'),
    sourceId: uuid('source_id'),
    ts: ts('ts').notNull().defaultNow(),
    type: assetEventType('type').notNull(),
    // e.g. {changes: [{path, old, new}]} or {relation: 'runs_on', from: <host uuid>, to: <host uuid>}
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('asset_events_asset_idx').on(t.assetUuid, t.id), index('asset_events_run_idx').on(t.runId)],
);

// ---------------------------------------------------------------- ledger (asserted facts, DESIGN §8a)
// Field definitions: a built-in set seeded by migration 0010, plus admin-defined ones.
export const LEDGER_FIELD_TYPES = ['text', 'long_text', 'number', 'date', 'boolean', 'enum'] as const;
export const ledgerFields = pgTable(
  'ledger_fields',
  {
    // Lower-case snake_case; the key in asset_ledger.values and in `?ledger.<key>=` filters.
    key: text('key').primaryKey(),
    labelEn: text('label_en').notNull(),
    labelZh: text('label_zh').notNull(),
    type: text('type').$type<(typeof LEDGER_FIELD_TYPES)[number]>().notNull(),
    // Allowed values of an enum field, in display order.
    options: text('options')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    kinds: assetKind('kinds')
      .array()
      .notNull()
      .default(sql`'{host,cluster,vm}'::asset_kind[]`),
    // Enforced by a partial unique index per field on asset_ledger (created by define-ledger-field).
    unique: boolean('unique').notNull().default(false),
    builtin: boolean('builtin').notNull().default(false),
    position: integer('position').notNull().default(1000),
    // An archived field keeps its values and history but is no longer shown, edited or imported.
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'ledger_fields_type_check',
      sql`${t.type} in ('text', 'long_text', 'number', 'date', 'boolean', 'enum')`,
    ),
    check('ledger_fields_key_check', sql`${t.key} ~ '^[a-z][a-z0-9_]{0,39}$'`),
  ],
);

// One row per asset that has asserted values: `values` holds {key: typed JSON value} (absent = empty), and
// `version` counts every asserted change of the asset (values and overrides) for optimistic concurrency.
// One row per asset, not one per field: a bulk edit or an import is one UPDATE … FROM per statement, a
// filter is a GIN containment (`values @> {"k": v}`) or key test (`values ? 'k'`), and an asset's whole
// asserted state is one row to lock. The row is created on the first write (no row = version 0).
export const assetLedger = pgTable(
  'asset_ledger',
  {
    assetUuid: uuid('asset_uuid')
      .primaryKey()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    values: jsonb('values').$type<Record<string, unknown>>().notNull().default({}),
    version: integer('version').notNull().default(0),
    updatedAt: updatedAt(),
    updatedBy: text('updated_by'),
    // Search-facing copies of two built-in fields (for the `q` search: owner and asset number).
    owner: text('owner').generatedAlwaysAs(sql`("values" ->> 'owner')`),
    assetNumber: text('asset_number').generatedAlwaysAs(sql`("values" ->> 'asset_number')`),
  },
  (t) => [
    index('asset_ledger_values_gin_idx').using('gin', t.values),
    index('asset_ledger_owner_lower_idx').on(sql`lower(${t.owner})`),
    index('asset_ledger_asset_number_lower_idx').on(sql`lower(${t.assetNumber})`),
  ],
);

// An applied CSV import (a dry run writes nothing): who, what file, the counts, and the result report
// (CSV text, compressed by PostgreSQL) that says what happened to every row.
export const ledgerImports = pgTable(
  'ledger_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdByLabel: text('created_by_label'),
    fileName: text('file_name'),
    encoding: text('encoding').notNull(),
    delimiter: text('delimiter').notNull(),
    strict: boolean('strict').notNull().default(false),
    // {rows, matched, unmatched, ambiguous, invalid, unchanged, applied}
    summary: jsonb('summary').$type<Record<string, number>>().notNull().default({}),
    report: text('report').notNull(),
  },
  (t) => [index('ledger_imports_created_idx').on(t.createdAt)],
);

// ---------------------------------------------------------------- identity across sources (DESIGN §8b)
// The evidence an asset offers for being the same as another: one row per (rule, value), from its canonical
// view, junk values left out (src/server/identity/evidence.ts). Candidate scoring joins it on (rule, value).
export const assetIdentifiers = pgTable(
  'asset_identifiers',
  {
    assetUuid: uuid('asset_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    // e.g. vm.bios_uuid, vm.instance_uuid, vm.mac, vm.hostname_ip, host.serial, host.hardware_uuid, host.management_ip
    rule: text('rule').notNull(),
    value: text('value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.assetUuid, t.rule, t.value] }),
    index('asset_identifiers_rule_value_idx').on(t.rule, t.value),
  ],
);

// A pair of assets that may be one: computed after every successful collect run, merged or ignored by a person.
export const duplicateCandidates = pgTable(
  'duplicate_candidates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: assetKind('kind').notNull(),
    // The pair in uuid order, so a pair has one row.
    assetA: uuid('asset_a')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    assetB: uuid('asset_b')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    score: integer('score').notNull(),
    // [{rule, score, values}]
    evidence: jsonb('evidence').$type<{ rule: string; score: number; values: string[] }[]>().notNull(),
    status: duplicateCandidateStatus('status').notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    resolvedAt: ts('resolved_at'),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('duplicate_candidates_pair_uq').on(t.assetA, t.assetB),
    index('duplicate_candidates_status_idx').on(t.status, t.score),
    index('duplicate_candidates_b_idx').on(t.assetB),
    check('duplicate_candidates_ordered', sql`${t.assetA} < ${t.assetB}`),
  ],
);

// One merge: what moved from the merged asset to the survivor, so that a split can move exactly that back.
export const assetMerges = pgTable(
  'asset_merges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    survivorUuid: uuid('survivor_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    mergedUuid: uuid('merged_uuid')
      .notNull()
      .references(() => assets.uuid, { onDelete: 'cascade' }),
    candidateId: uuid('candidate_id').references(() => duplicateCandidates.id, { onDelete: 'set null' }),
    linkIds: uuid('link_ids').array().notNull(),
    // {events: ids, relations: ids, droppedRelations: rows, ledger: {...}}
    moved: jsonb('moved').$type<Record<string, unknown>>().notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    splitAt: ts('split_at'),
  },
  (t) => [
    index('asset_merges_survivor_idx').on(t.survivorUuid),
    index('asset_merges_merged_idx').on(t.mergedUuid),
  ],
);

// ---------------------------------------------------------------- login protection
// Failed logins per key (`ip:<address>` or `user:<lower-case name>`) within a window; past a limit
// the key is locked until `locked_until` (the API answers 429).
export const loginThrottles = pgTable('login_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: ts('window_started_at').notNull().defaultNow(),
  lastFailureAt: ts('last_failure_at').notNull().defaultNow(),
  lockedUntil: ts('locked_until'),
});
