// The estate as an RVTools-style workbook (GET /api/v1/exports/assets.xlsx). Every sheet is read through
// its own server-side cursor, one after another, inside one read-only repeatable-read transaction: the
// sheets agree with each other (one snapshot) and memory holds one batch of rows, whatever the estate's size.
// The list's filters and sort apply to the asset sheets (vInfo/vDisk/vNetwork: VMs; vHost; vCluster),
// vDatastore aggregates the filtered hosts' datastores, vSource lists the sources.
import { PassThrough, Readable } from 'node:stream';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PoolClient, QueryResult } from 'pg';
import type { Db } from '@/db/client';
import type { Locale } from '@/i18n';
import { assetLastSeenAt } from '@/ingest/last-seen';
import { createLogger, errorFields } from '@/lib/logger';
import { assetOrderBy, assetWhere, type AssetFilters } from '../assets/service';
import { listLedgerFields } from '../ledger-fields/fields';
import { assertLedgerKeys } from '../ledger-fields/list-filters';
import {
  VCLUSTER,
  VDATASTORE,
  VDISK,
  VHOST,
  VINFO,
  VNETWORK,
  VSOURCE,
  type AssetRow,
  type DatastoreRow,
  type DeviceRow,
  type LedgerColumnSource,
  type SheetDef,
  type SourceRow,
  withLedgerColumns,
} from './workbook-sheets';
import { XlsxWriter } from './xlsx-writer';

const log = createLogger('export');
const dialect = new PgDialect();
const BATCH = 1000;

type Kind = 'vm' | 'host' | 'cluster';

/** The list's filters for one kind: a kind filter of another kind leaves that sheet empty. */
function kindWhere(f: AssetFilters, kind: Kind): SQL {
  if (f.kind && f.kind !== kind) return sql`false`;
  return sql`a.kind = ${kind} and ${assetWhere({ ...f, kind: undefined })}`;
}

// `name` is the display name (an asserted override wins, DESIGN §8a); `ledger` the asserted values.
const ASSET_COLUMNS =
  sql.raw(`a.uuid, a.display_name as name, a.status, (a.canonical -> 'normalized')::text as n,
  a.host_name, a.cluster_name, a.created_at, ${assetLastSeenAt('a')} as last_seen, src.sources, src.moref,
  coalesce(l.values, '{}'::jsonb) as ledger`);

// The asset's ledger row as `l` (ledger sorts order by l.values), and which sources hold the asset with
// its managed object id(s) there.
const SOURCES_JOIN = sql.raw(`left join asset_ledger l on l.asset_uuid = a.uuid
  left join lateral (
    select string_agg(distinct s.name, ', ') as sources, string_agg(distinct sl.external_id, ', ') as moref
    from asset_source_links sl join sources s on s.id = sl.source_id where sl.asset_uuid = a.uuid) src on true`);

// The normalized-v1 paths vDisk and vNetwork read of a device's VM (workbook-sheets.ts VDISK, VNETWORK).
const DEVICE_VM_FACTS = sql.raw(`jsonb_build_object(
  'identity', jsonb_build_object('caption', a.canonical #> '{normalized,identity,caption}'),
  'runtime', jsonb_build_object('power_state', a.canonical #> '{normalized,runtime,power_state}'),
  'network', jsonb_build_object('ip_addresses', a.canonical #> '{normalized,network,ip_addresses}'),
  'placement', jsonb_build_object('cluster', a.canonical #> '{normalized,placement,cluster}',
                                  'datacenter', a.canonical #> '{normalized,placement,datacenter}'))`);

const ACTIVE_COUNT = (type: string, to: 'from' | 'to') =>
  sql.raw(`(select count(*)::int from relations r where r.${to}_asset_uuid = a.uuid
            and r.type = '${type}' and r.status = 'active')`);

interface AssetDbRow {
  uuid: string;
  name: string | null;
  status: string;
  /** The canonical view (or a slim part of it) as JSON text, parsed only when its row is written. */
  n: Record<string, unknown> | string | null;
  host_name: string | null;
  cluster_name: string | null;
  created_at: Date | string;
  last_seen: Date | string | null;
  sources: string | null;
  moref: string | null;
  ledger: Record<string, unknown> | null;
  vm_count?: number;
  host_count?: number;
}

const asDate = (v: Date | string | null | undefined): Date | null =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(v);

function assetRow(r: AssetDbRow): AssetRow {
  return {
    uuid: r.uuid,
    name: r.name,
    status: r.status,
    n: typeof r.n === 'string' ? (JSON.parse(r.n) as Record<string, unknown>) : (r.n ?? {}),
    hostName: r.host_name,
    clusterName: r.cluster_name,
    sources: r.sources,
    moref: r.moref,
    firstSeen: asDate(r.created_at),
    lastSeen: asDate(r.last_seen),
    vmCount: r.vm_count ?? null,
    hostCount: r.host_count ?? null,
    ledger: r.ledger,
  };
}

/** The cursor queries of every sheet, in workbook order. */
function sheetQueries(f: AssetFilters, sort: string | undefined) {
  const order = assetOrderBy(sort, f.q);
  // One row per VM with its disks or NICs as an array (the writer makes one sheet row of each), and of the
  // VM only what those sheets show: its name, power state and placement (and IPs on vNetwork). Reading
  // the whole canonical view per device row was most of the export's database time.
  const devices = (path: 'disks' | 'nics') => sql`
    select a.uuid, a.display_name as name, a.host_name, a.cluster_name, ${DEVICE_VM_FACTS}::text as n,
           (a.canonical #> ${`{normalized,hardware,${path}}`}::text[])::text as devices
    from assets a left join asset_ledger l on l.asset_uuid = a.uuid
    where ${kindWhere(f, 'vm')} order by ${order}`;
  const num = (k: string) =>
    sql.raw(`case when jsonb_typeof(ds -> '${k}') = 'number' then (ds ->> '${k}')::float8 end`);
  return {
    vInfo: sql`select ${ASSET_COLUMNS} from assets a ${SOURCES_JOIN} where ${kindWhere(f, 'vm')} order by ${order}`,
    vDisk: devices('disks'),
    vNetwork: devices('nics'),
    vHost: sql`select ${ASSET_COLUMNS}, ${ACTIVE_COUNT('runs_on', 'to')} as vm_count
      from assets a ${SOURCES_JOIN} where ${kindWhere(f, 'host')} order by ${order}`,
    vCluster: sql`select ${ASSET_COLUMNS}, ${ACTIVE_COUNT('member_of', 'to')} as host_count,
        (select count(*)::int from assets v where v.kind = 'vm' and v.cluster_name = a.name) as vm_count
      from assets a ${SOURCES_JOIN} where ${kindWhere(f, 'cluster')} order by ${order}`,
    vDatastore: sql`
      select ds ->> 'name' as name, min(ds ->> 'type') as type, max(${num('capacity_bytes')}) as capacity,
             max(${num('free_bytes')}) as free, array_agg(distinct a.name order by a.name) as hosts
      from assets a cross join lateral jsonb_array_elements(
        case when jsonb_typeof(a.canonical #> '{normalized,storage,datastores}') = 'array'
        then a.canonical #> '{normalized,storage,datastores}' else '[]'::jsonb end) ds
      where ${kindWhere(f, 'host')} and ds ->> 'name' is not null
      group by ds ->> 'name' order by lower(ds ->> 'name'), ds ->> 'name'`,
    vSource: sql`
      select s.name, s.config ->> 'endpoint' as endpoint, r.id as run_id, r.mode, r.status, r.started_at,
             r.finished_at, (r.stats ->> 'assets')::int as assets,
             coalesce(d.detect ->> 'instance_uuid', d.detect ->> 'instanceUuid') as instance_uuid,
             coalesce(d.detect ->> 'target_version', d.detect ->> 'version') as version
      from sources s
      left join lateral (select distinct on (r.mode) r.* from runs r
                         where r.source_id = s.id and r.status = 'succeeded'
                         order by r.mode, r.finished_at desc nulls last) r on true
      left join lateral (select r2.detect from runs r2 where r2.source_id = s.id and r2.detect is not null
                         order by r2.finished_at desc nulls last limit 1) d on true
      where s.deleted_at is null ${f.sourceId ? sql`and s.id = ${f.sourceId}` : sql``}
      order by lower(s.name), r.mode`,
  };
}

/**
 * Batches of rows from a cursor declared on `client` (inside the export's transaction). The next batch is
 * asked for before this one is handed on, so the database works while the sheet's XML is built.
 */
async function* cursor<T>(client: PoolClient, name: string, query: SQL): AsyncGenerator<T[]> {
  const q = dialect.sqlToQuery(query);
  await client.query(`declare ${name} no scroll cursor for ${q.sql}`, q.params);
  const fetch = () => client.query(`fetch ${BATCH} from ${name}`);
  let next: ReturnType<typeof fetch> | null = fetch();
  try {
    while (next) {
      const r: QueryResult = await next;
      next = r.rows.length < BATCH ? null : fetch();
      if (r.rows.length) yield r.rows as T[];
    }
  } finally {
    await next?.catch(() => {});
    await client.query(`close ${name}`).catch(() => {});
  }
}

async function* mapBatches<A, B>(src: AsyncIterable<A[]>, f: (a: A) => B): AsyncGenerator<B[]> {
  for await (const batch of src) yield batch.map(f);
}

interface DeviceDbRow extends AssetDbRow {
  devices: unknown;
}

// VMs whose devices are parsed and written at a time: small, so the parsed objects die young.
const DEVICE_CHUNK = 100;

/** One row per disk or NIC (in the VM's order) from rows of one VM with its devices (JSON text). */
async function* deviceBatches(src: AsyncIterable<DeviceDbRow[]>): AsyncGenerator<DeviceRow[]> {
  for await (const batch of src) {
    for (let at = 0; at < batch.length; at += DEVICE_CHUNK) {
      const out: DeviceRow[] = [];
      for (const r of batch.slice(at, at + DEVICE_CHUNK)) {
        const devices: unknown = typeof r.devices === 'string' ? JSON.parse(r.devices) : r.devices;
        if (!Array.isArray(devices)) continue;
        const vm = assetRow(r);
        for (const d of devices)
          if (d && typeof d === 'object' && !Array.isArray(d)) out.push({ vm, device: d });
      }
      yield out;
    }
  }
}

async function writeWorkbook(
  client: PoolClient,
  out: PassThrough,
  f: AssetFilters,
  sort: string | undefined,
  locale: Locale,
  ledgerFields: readonly LedgerColumnSource[],
) {
  const q = sheetQueries(f, sort);
  const w = new XlsxWriter(out, locale);
  const self = (r: AssetRow) => r;
  const withLedger = <R>(sheet: SheetDef<R>, kind: string, asset: (r: R) => AssetRow) =>
    withLedgerColumns(sheet, ledgerFields, kind, asset);
  await w.sheet(withLedger(VINFO, 'vm', self), cursor<AssetDbRow>(client, 'x_vinfo', q.vInfo), assetRow);
  await w.sheet(VDISK, deviceBatches(cursor<DeviceDbRow>(client, 'x_vdisk', q.vDisk)));
  await w.sheet(VNETWORK, deviceBatches(cursor<DeviceDbRow>(client, 'x_vnet', q.vNetwork)));
  await w.sheet(withLedger(VHOST, 'host', self), cursor<AssetDbRow>(client, 'x_vhost', q.vHost), assetRow);
  await w.sheet(
    withLedger(VCLUSTER, 'cluster', self),
    cursor<AssetDbRow>(client, 'x_vcluster', q.vCluster),
    assetRow,
  );
  await w.sheet(
    VDATASTORE,
    mapBatches(
      cursor<{
        name: string;
        type: string | null;
        capacity: number | null;
        free: number | null;
        hosts: string[];
      }>(client, 'x_vds', q.vDatastore),
      (r): DatastoreRow => ({
        name: r.name,
        type: r.type,
        capacityBytes: r.capacity,
        freeBytes: r.free,
        hosts: (r.hosts ?? []).filter(Boolean),
      }),
    ),
  );
  await w.sheet(
    VSOURCE,
    mapBatches(
      cursor<{
        name: string;
        endpoint: string | null;
        run_id: string | null;
        mode: string | null;
        status: string | null;
        started_at: Date | string | null;
        finished_at: Date | string | null;
        assets: number | null;
        instance_uuid: string | null;
        version: string | null;
      }>(client, 'x_vsource', q.vSource),
      (r): SourceRow => ({
        name: r.name,
        endpoint: r.endpoint,
        instanceUuid: r.instance_uuid,
        version: r.version,
        runId: r.run_id,
        mode: r.mode,
        status: r.status,
        startedAt: asDate(r.started_at),
        finishedAt: asDate(r.finished_at),
        assets: r.assets,
      }),
    ),
  );
  await w.finish();
}

/** The export of the list as filtered: ledger filter/sort keys checked first (400, not a broken download). */
export async function exportAssetsXlsx(
  db: Db,
  f: AssetFilters,
  sort: string | undefined,
  locale: Locale = 'en',
): Promise<ReadableStream<Uint8Array>> {
  await assertLedgerKeys(db, f.ledger, sort);
  return streamAssetsXlsx(db, f, sort, locale, await listLedgerFields(db));
}

/**
 * The workbook as a byte stream. The sort is validated before the stream starts (an unknown key is a 400,
 * not a broken download). One pooled connection holds the transaction; it is released on end, error or
 * cancel (a reader that goes away destroys the stream, which ends the writer at its next batch).
 */
export function streamAssetsXlsx(
  db: Db,
  f: AssetFilters,
  sort?: string,
  locale: Locale = 'en',
  ledgerFields: readonly LedgerColumnSource[] = [],
): ReadableStream<Uint8Array> {
  assetOrderBy(sort, f.q);
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  void (async () => {
    let client: PoolClient | null = null;
    try {
      client = await db.$client.connect();
      await client.query('begin isolation level repeatable read read only');
      await writeWorkbook(client, out, f, sort, locale, ledgerFields);
      await client.query('commit');
      client.release();
    } catch (err) {
      log.error('export.failed', { format: 'xlsx', ...errorFields(err) });
      if (client) {
        await client.query('rollback').catch(() => {});
        client.release();
      }
      out.destroy(err as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
