// Asset queries for the API, the UI and the CSV export. Every search and filter maps onto an index
// (see the assets indexes in src/db/schema.ts); bench/api.ts prints the EXPLAIN of each.
import { gunzipSync } from 'node:zlib';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import {
  assetLastSeenAt,
  linkLastSeenAt,
  linkLastSeenRunId,
  linkScanJoin,
  recordLastSeenAt,
  recordLastSeenRunId,
  recordScanJoin,
  relationLastSeenAt,
  relationScanJoin,
} from '@/ingest/last-seen';
import { OBSERVED_FIELDS } from '@/server/fields/dictionary';
import { canonicalAcrossSources, listMergedFrom } from '@/server/identity/asset-identity';
import { canonicalDto } from './canonical-view';
import { searchPredicate, searchRank, searchTerms } from './search';
import { effectiveOs, effectivePrimaryIp } from '@/server/ledger-fields/overrides';
import { ledgerEventDetails, ledgerEventJoins } from '@/server/history/ledger-history';
import {
  assertLedgerKeys,
  ledgerSortExpression,
  ledgerSortKey,
  ledgerWhere,
  type LedgerFilter,
} from '@/server/ledger-fields/list-filters';

export const ASSET_KINDS = ['host', 'cluster', 'vm'] as const;
export const ASSET_STATUSES = ['active', 'offline'] as const;
export const POWER_STATES = ['poweredOn', 'poweredOff', 'suspended'] as const;

// Sort keys come from the field dictionary: every sortable field with a denormalized (indexed) column.
// Name, host name and serial sort on lower(column), as their indexes are built (src/db/schema.ts); the
// other columns as they are. A '-' prefix sorts descending.
const LOWER_INDEXED = new Set(['name', 'hostname', 'serial_number']);
const SORT_EXPRESSIONS: Record<string, SQL> = Object.fromEntries(
  OBSERVED_FIELDS.filter((f) => f.sortable && f.column).map((f) => [
    f.key,
    f.key === 'lastSeenAt'
      ? // Derived: ingest does not stamp every asset every run (src/ingest/last-seen.ts).
        sql.raw(assetLastSeenAt('a'))
      : sql.raw(LOWER_INDEXED.has(f.column!) ? `lower(a.${f.column})` : `a.${f.column}`),
  ]),
);
export type AssetSortKey = string;
// The display name: an asserted override wins over the observed name (DESIGN §8a); it has its own index.
SORT_EXPRESSIONS.name = sql`lower(a.display_name)`;
export const ASSET_SORT_KEYS = Object.keys(SORT_EXPRESSIONS) as AssetSortKey[];
export const ASSET_SORT_VALUES = ASSET_SORT_KEYS.flatMap((k) => [k, `-${k}`]) as [string, ...string[]];

export interface AssetFilters {
  q?: string;
  kind?: (typeof ASSET_KINDS)[number];
  status?: (typeof ASSET_STATUSES)[number];
  sourceId?: string;
  cluster?: string;
  host?: string;
  powerState?: (typeof POWER_STATES)[number];
  /** `?ledger.<key>=` filters (src/server/ledger-fields/list-filters.ts). */
  ledger?: LedgerFilter[];
}

export type AssetListItem = {
  uuid: string;
  kind: string;
  status: string;
  name: string | null;
  hostname: string | null;
  serialNumber: string | null;
  ipAddresses: string[];
  macAddresses: string[];
  powerState: string | null;
  clusterName: string | null;
  hostName: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastSeenAt: Date | null;
  /** Effective primary IP and OS: the override when set, else the observed value. */
  primaryIp: string | null;
  os: string | null;
  overrides: { name: string | null; primaryIp: string | null; os: string | null };
  /** The asset's ledger values {key: value} (asserted facts). */
  ledger: Record<string, unknown>;
};

// `name` is the display name (override or observed); the list joins asset_ledger as `l` (assetSelect).
export const ASSET_LIST_COLUMNS = sql`${sql.raw(
  'a.uuid, a.kind, a.status, a.display_name as name, a.hostname, a.serial_number as "serialNumber", ' +
    'a.ip_addresses as "ipAddresses", a.mac_addresses as "macAddresses", a.power_state as "powerState", ' +
    'a.cluster_name as "clusterName", a.host_name as "hostName", a.created_at as "createdAt", ' +
    `a.updated_at as "updatedAt", ${assetLastSeenAt('a')} as "lastSeenAt"`,
)}, ${effectivePrimaryIp('a')} as "primaryIp", ${effectiveOs('a')} as os,
  json_build_object('name', a.name_override, 'primaryIp', a.primary_ip_override, 'os', a.os_override) as overrides,
  coalesce(l.values, '{}'::jsonb) as ledger`;

/** The WHERE clause of the asset list (shared by list, count and export). */
export function assetWhere(f: AssetFilters): SQL {
  const where: SQL[] = [];
  if (f.q && f.q.trim()) where.push(searchPredicate(searchTerms(f.q)));
  if (f.kind) where.push(sql`a.kind = ${f.kind}`);
  if (f.status) where.push(sql`a.status = ${f.status}`);
  // A merged tombstone is nobody any more (src/server/identity/merge-assets.ts): never listed or exported.
  else where.push(sql`a.status <> 'merged'`);
  if (f.powerState) where.push(sql`a.power_state = ${f.powerState}`);
  if (f.cluster) where.push(sql`a.cluster_name = ${f.cluster}`);
  if (f.host) where.push(sql`a.host_name = ${f.host}`);
  if (f.ledger?.length) where.push(...ledgerWhere(f.ledger));
  if (f.sourceId) {
    where.push(
      sql`exists (select 1 from asset_source_links l where l.asset_uuid = a.uuid and l.source_id = ${f.sourceId})`,
    );
  }
  return where.length ? sql.join(where, sql` and `) : sql`true`;
}

/** A search without an explicit sort lists exact matches first, then prefixes, then the rest (by name). */
export function assetOrderBy(sort: string | undefined, q?: string): SQL {
  if (!sort && q?.trim()) return sql`${searchRank(searchTerms(q))}, lower(a.display_name) asc, a.uuid asc`;
  const desc = sort?.startsWith('-') ?? false;
  const key = (sort ? sort.replace(/^-/, '') : 'name') as AssetSortKey;
  const ledgerKey = ledgerSortKey(sort);
  const expr = ledgerKey
    ? ledgerSortExpression(ledgerKey)
    : Object.hasOwn(SORT_EXPRESSIONS, key)
      ? SORT_EXPRESSIONS[key]
      : undefined;
  if (!expr) {
    throw new AppError('VALIDATION_FAILED', `sort: unknown sort key '${key}'`, {
      details: { field: 'sort', allowed: ASSET_SORT_VALUES },
    });
  }
  // Default NULL placement (last ascending, first descending) matches a plain btree scanned either way.
  return desc ? sql`${expr} desc, a.uuid desc` : sql`${expr} asc, a.uuid asc`;
}

const RAW_LIST_COLUMNS = sql.raw(
  'a.uuid, a.kind, a.status, a.name, a.hostname, a.serial_number, a.ip_addresses, a.mac_addresses, ' +
    'a.power_state, a.cluster_name, a.host_name, a.created_at, a.updated_at, a.last_seen_at, a.canonical, ' +
    'a.display_name, a.name_override, a.primary_ip_override, a.os_override',
);

const LEDGER_JOIN = sql`left join asset_ledger l on l.asset_uuid = a.uuid`;
// The datacenter is not a column of its own (it is read from the canonical view): exports add it so a VM
// row carries its whole placement — host, cluster, datacenter.
const DATACENTER = `a.canonical #>> '{normalized,placement,datacenter}'`;

/**
 * `select <list columns> from … a` for the filters, to be followed by ORDER BY / LIMIT. A search is
 * evaluated first (its index bitmaps) and only then sorted: otherwise the planner may walk the name index
 * in order, filtering row by row, hoping to fill a page early — slow when the matches are few.
 * `withDatacenter` adds a `datacenter` column (the exports).
 */
export function assetSelect(
  f: AssetFilters,
  where: SQL = assetWhere(f),
  opts: { withDatacenter?: boolean } = {},
): SQL {
  const dc = sql.raw(opts.withDatacenter ? `, ${DATACENTER} as datacenter` : '');
  if (f.q && f.q.trim()) {
    return sql`select ${ASSET_LIST_COLUMNS}${dc} from (select ${RAW_LIST_COLUMNS} from assets a where ${where} offset 0) a ${LEDGER_JOIN}`;
  }
  return sql`select ${ASSET_LIST_COLUMNS}${dc} from assets a ${LEDGER_JOIN} where ${where}`;
}

export async function listAssets(
  db: Db,
  f: AssetFilters,
  opts: { sort?: string; limit: number; offset: number },
): Promise<{ items: AssetListItem[]; total: number; limit: number; offset: number }> {
  await assertLedgerKeys(db, f.ledger, opts.sort);
  const where = assetWhere(f);
  const order = assetOrderBy(opts.sort, f.q);
  // A page's rows first, then their columns: the list columns cost subqueries per row (last seen, ledger),
  // and under ORDER BY … OFFSET the planner computes them for every row it skips — at offset 5,000 that
  // was 5,050 evaluations, ~80 ms a page. A search sorts its matches by rank first (assetSelect).
  const pageSql = f.q?.trim()
    ? sql`${assetSelect(f, where)} order by ${order} limit ${opts.limit} offset ${opts.offset}`
    : sql`select ${ASSET_LIST_COLUMNS} from (
        select a.uuid from assets a ${LEDGER_JOIN} where ${where}
        order by ${order} limit ${opts.limit} offset ${opts.offset}) p
      join assets a on a.uuid = p.uuid ${LEDGER_JOIN} order by ${order}`;
  // Items and total on two pooled connections at once: one round trip of latency, not two.
  const [items, total] = await Promise.all([
    db.execute<AssetListItem>(pageSql),
    db.execute<{ n: number }>(sql`select count(*)::int as n from assets a where ${where}`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: opts.limit, offset: opts.offset };
}

function notFound(): never {
  throw new AppError('NOT_FOUND', 'asset not found');
}

/** The survivor a merged tombstone points at (the API answers 308 to it), or null. */
export async function mergedInto(db: Db, uuid: string): Promise<string | null> {
  const r = await db.execute<{ to: string }>(
    sql`select merged_into as to from assets where uuid = ${uuid} and status = 'merged' and merged_into is not null`,
  );
  return r.rows[0]?.to ?? null;
}

export async function getAsset(db: Db, uuid: string) {
  const [asset, links] = await Promise.all([
    db.execute<AssetListItem & { canonical: Record<string, unknown> }>(
      sql`select ${ASSET_LIST_COLUMNS}, a.canonical from assets a ${LEDGER_JOIN} where a.uuid = ${uuid}`,
    ),
    db.execute(sql`
      select l.id, l.source_id as "sourceId", s.name as "sourceName", l.external_kind as "externalKind",
             l.external_id as "externalId", l.presence, l.first_seen_at as "firstSeenAt",
             ${sql.raw(linkLastSeenAt('l', 'c'))} as "lastSeenAt", ${sql.raw(linkLastSeenRunId('l', 'c'))} as "lastSeenRunId",
             l.missing_since as "missingSince"
      from asset_source_links l join sources s on s.id = l.source_id ${sql.raw(linkScanJoin('l', 'c'))}
      where l.asset_uuid = ${uuid} order by l.first_seen_at, l.id`),
  ]);
  const row = asset.rows[0];
  if (!row) notFound();
  const canonical = row.canonical ?? {};
  const [mergedFrom, acrossSources] = await Promise.all([
    listMergedFrom(db, uuid),
    canonicalAcrossSources(db, uuid, canonical),
  ]);
  return {
    ...row,
    canonical: canonicalDto(canonical),
    // Field paths whose present sources disagree (ingest lists them under `canonical.conflicts`).
    conflicts: conflictPaths(canonical),
    links: links.rows,
    mergedFrom,
    acrossSources,
  };
}

function conflictPaths(canonical: Record<string, unknown>): string[] {
  const c = canonical.conflicts;
  return c && typeof c === 'object' && !Array.isArray(c) ? Object.keys(c).sort() : [];
}

async function assertAsset(db: Db, uuid: string): Promise<void> {
  const r = await db.execute(sql`select 1 from assets where uuid = ${uuid}`);
  if (!r.rows[0]) notFound();
}

export async function listAssetRelations(db: Db, uuid: string, status?: 'active' | 'inactive') {
  await assertAsset(db, uuid);
  const st = status ? sql`and r.status = ${status}` : sql``;
  const r = await db.execute(sql`
    select r.id, r.type, r.status, case when r.from_asset_uuid = ${uuid} then 'out' else 'in' end as direction,
           r.from_asset_uuid as "fromAssetUuid", r.to_asset_uuid as "toAssetUuid",
           o.uuid as "otherUuid", o.kind as "otherKind", o.name as "otherName", o.status as "otherStatus",
           r.source_id as "sourceId", s.name as "sourceName", r.first_seen_at as "firstSeenAt",
           ${sql.raw(relationLastSeenAt('r', 'c'))} as "lastSeenAt", r.inactive_since as "inactiveSince"
    from relations r ${sql.raw(relationScanJoin('r', 'c'))}
    join assets o on o.uuid = case when r.from_asset_uuid = ${uuid} then r.to_asset_uuid else r.from_asset_uuid end
    join sources s on s.id = r.source_id
    where (r.from_asset_uuid = ${uuid} or r.to_asset_uuid = ${uuid}) ${st}
    order by r.status, r.type, ${sql.raw(relationLastSeenAt('r', 'c'))} desc, r.id`);
  return { items: r.rows };
}

export async function listAssetHistory(db: Db, uuid: string, p: { limit: number; offset: number }) {
  await assertAsset(db, uuid);
  const [items, total] = await Promise.all([
    db.execute(sql`
      select e.id, e.ts, e.type, e.run_id as "runId", e.source_id as "sourceId", ${ledgerEventDetails} as details
      from asset_events e ${ledgerEventJoins}
      where e.asset_uuid = ${uuid} order by e.id desc limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from asset_events where asset_uuid = ${uuid}`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

export async function listAssetRecords(db: Db, uuid: string, p: { limit: number; offset: number }) {
  await assertAsset(db, uuid);
  const [items, total] = await Promise.all([
    db.execute(sql`
      select r.id::text as id, r.source_id as "sourceId", s.name as "sourceName", r.run_id as "runId",
             r.collected_at as "collectedAt", r.hash, ${sql.raw(recordLastSeenRunId('r', 'rl', 'c'))} as "lastSeenRunId",
             ${sql.raw(recordLastSeenAt('r', 'rl', 'c'))} as "lastSeenAt", r.normalized, (r.raw is not null or r.raw_gzip is not null) as "hasRaw"
      from source_records r left join sources s on s.id = r.source_id ${sql.raw(recordScanJoin('r', 'rl', 'c'))}
      where r.asset_uuid = ${uuid} order by r.id desc limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from source_records where asset_uuid = ${uuid}`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

// Keys whose values are never shown in a raw view, at any depth (vCenter payloads can carry them).
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|credential|private[_-]?key|api[_-]?key|cookie|authorization|session/i;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] =
        SECRET_KEY.test(k) && v !== null && typeof v !== 'object'
          ? '[redacted]'
          : redactSecrets(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** One record's raw plugin payload, decompressed, secrets redacted. The caller audits the view. */
export async function getRawRecord(db: Db, uuid: string, recordId: string) {
  const r = await db.execute<{
    id: string;
    source_id: string;
    run_id: string;
    collected_at: Date;
    hash: string;
    raw: string | null;
    raw_gzip: Buffer | null;
  }>(sql`
    select id::text as id, source_id, run_id, collected_at, hash, raw, raw_gzip from source_records
    where id = ${recordId} and asset_uuid = ${uuid}`);
  const row = r.rows[0];
  if (!row) throw new AppError('NOT_FOUND', 'source record not found');
  let raw: unknown = null;
  if (row.raw !== null || row.raw_gzip) {
    try {
      // records from before migration 0005 hold the same JSON gzip-compressed
      raw = JSON.parse(row.raw ?? gunzipSync(row.raw_gzip!).toString('utf8'));
    } catch {
      throw new AppError('RECORD_RAW_UNREADABLE', 'the stored raw payload could not be decoded', {
        status: 422,
      });
    }
  }
  return {
    id: row.id,
    assetUuid: uuid,
    sourceId: row.source_id,
    runId: row.run_id,
    collectedAt: row.collected_at,
    hash: row.hash,
    raw: redactSecrets(raw),
  };
}
