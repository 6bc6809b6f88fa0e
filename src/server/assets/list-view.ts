// Asset-list helpers for the UI: filter choices and the few canonical facts the list shows.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { normalizedOf } from './canonical-view';
import { ledgerFiltersFrom } from '@/server/ledger-fields/list-filters';
import { ASSET_KINDS, ASSET_STATUSES, POWER_STATES, type AssetFilters } from '@/server/assets/service';

export const PAGE_SIZE = 50;
export const PAGE_SIZES = [25, 50, 100, 200];

/** The list's columns for a user who never chose any. */
export const DEFAULT_ASSET_COLUMNS = [
  'name',
  'kind',
  'powerState',
  'ipAddresses',
  'osName',
  'cpuCount',
  'memoryBytes',
  'provisionedBytes',
  'toolsStatus',
  'hostName',
  'clusterName',
  'vmCount',
];

/** The URL query the asset list, its export link and the API share. */
export type AssetQuery = {
  q?: string;
  kind?: string;
  status?: string;
  sourceId?: string;
  cluster?: string;
  host?: string;
  powerState?: string;
  sort?: string;
  offset?: string;
  limit?: string;
  /** `ledger.<key>` filters. */
  [ledgerKey: `ledger.${string}`]: string | string[] | undefined;
};

const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined =>
  v && (list as readonly string[]).includes(v) ? (v as T) : undefined;

export function filtersFrom(q: AssetQuery): AssetFilters {
  return {
    ledger: ledgerFiltersFrom(q),
    q: q.q?.trim() || undefined,
    kind: oneOf(ASSET_KINDS, q.kind),
    status: oneOf(ASSET_STATUSES, q.status),
    powerState: oneOf(POWER_STATES, q.powerState),
    sourceId: q.sourceId && /^[0-9a-f-]{36}$/i.test(q.sourceId) ? q.sourceId : undefined,
    cluster: q.cluster || undefined,
    host: q.host || undefined,
  };
}

export async function filterChoices(db: Db) {
  const [sources, clusters, hosts] = await Promise.all([
    db.execute<{ id: string; name: string }>(
      sql`select id, name from sources where deleted_at is null order by lower(name) limit 500`,
    ),
    db.execute<{ v: string }>(
      sql`select name as v from assets where kind = 'cluster' and name is not null order by lower(name) limit 500`,
    ),
    db.execute<{ v: string }>(
      sql`select name as v from assets where kind = 'host' and name is not null order by lower(name) limit 1000`,
    ),
  ]);
  return {
    sources: sources.rows,
    clusters: [...new Set(clusters.rows.map((r) => r.v))],
    hosts: [...new Set(hosts.rows.map((r) => r.v))],
  };
}

export type AssetFacts = {
  normalized: Record<string, unknown>;
  /** Active VMs on a host, or on a cluster's hosts. */
  vmCount: number | null;
  /** Active member hosts of a cluster. */
  hostCount: number | null;
};

/**
 * The facts the list shows beyond the denormalized columns, for one page of rows: the normalized view
 * (vCPU, memory, disks…) and, for hosts and clusters, their counts from the active relations.
 */
export async function listFacts(db: Db, uuids: string[]): Promise<Record<string, AssetFacts>> {
  if (!uuids.length) return {};
  const r = await db.execute<{
    uuid: string;
    canonical: Record<string, unknown>;
    vmCount: number | null;
    hostCount: number | null;
  }>(sql`
    select a.uuid, a.canonical,
      case a.kind
        when 'host' then (select count(*)::int from relations r
          where r.to_asset_uuid = a.uuid and r.type = 'runs_on' and r.status = 'active')
        when 'cluster' then (select count(distinct v.from_asset_uuid)::int from relations m
          join relations v on v.to_asset_uuid = m.from_asset_uuid and v.type = 'runs_on' and v.status = 'active'
          where m.to_asset_uuid = a.uuid and m.type = 'member_of' and m.status = 'active')
      end as "vmCount",
      case when a.kind = 'cluster' then (select count(distinct m.from_asset_uuid)::int from relations m
          where m.to_asset_uuid = a.uuid and m.type = 'member_of' and m.status = 'active')
      end as "hostCount"
    from assets a where a.uuid in (${sql.join(
      uuids.map((u) => sql`${u}`),
      sql`, `,
    )})`);
  return Object.fromEntries(
    r.rows.map((row) => [
      row.uuid,
      { normalized: normalizedOf(row.canonical), vmCount: row.vmCount, hostCount: row.hostCount },
    ]),
  );
}
