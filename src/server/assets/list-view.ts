// Asset-list helpers for the UI: filter choices and the few canonical facts the list shows.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { canonicalValue } from './canonical-view';
import { ledgerFiltersFrom } from '@/server/ledger-fields/list-filters';
import { ASSET_KINDS, ASSET_STATUSES, POWER_STATES, type AssetFilters } from '@/server/assets/service';

export const PAGE_SIZE = 50;

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
  /** Ledger fields shown as columns, comma-separated keys. */
  lcols?: string;
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

/** tools_running of the listed VMs (false means the guest fields are blank for that reason). */
export async function toolsRunning(db: Db, uuids: string[]): Promise<Record<string, boolean | null>> {
  if (!uuids.length) return {};
  const r = await db.execute<{ uuid: string; canonical: Record<string, unknown> }>(sql`
    select uuid, canonical from assets where kind = 'vm' and uuid in (${sql.join(
      uuids.map((u) => sql`${u}`),
      sql`, `,
    )})`);
  const out: Record<string, boolean | null> = {};
  for (const row of r.rows) {
    const v =
      canonicalValue(row.canonical, 'runtime.tools_running') ??
      canonicalValue(row.canonical, 'tools_running');
    out[row.uuid] = typeof v === 'boolean' ? v : null;
  }
  return out;
}
