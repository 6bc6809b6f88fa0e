// The assets around one asset, for its page: where a VM runs, a host's VMs, a cluster's hosts and VMs,
// and names for uuids that history mentions. Counts and facts come from the active relations.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { normalizedOf } from './canonical-view';

export type AssetRef = { uuid: string; name: string | null };

export type NeighbourRow = {
  uuid: string;
  kind: string;
  name: string | null;
  status: string;
  powerState: string | null;
  normalized: Record<string, unknown>;
  /** Active VMs on a host (hosts only). */
  vmCount: number | null;
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const uuidList = (uuids: string[]) =>
  sql.join(
    uuids.map((u) => sql`${u}`),
    sql`, `,
  );

/** Names of the given assets (others ignored): history names "moved from host A to host B". */
export async function getAssetNames(db: Db, uuids: unknown[]): Promise<Record<string, string>> {
  const ids = [...new Set(uuids.filter((u): u is string => typeof u === 'string' && UUID_RE.test(u)))];
  if (!ids.length) return {};
  const r = await db.execute<{ uuid: string; name: string | null }>(
    sql`select uuid, name from assets where uuid in (${uuidList(ids)})`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.uuid, x.name ?? x.uuid]));
}

/** The host a VM runs on and that host's cluster (active relations only); a host's own cluster. */
export async function getPlacement(
  db: Db,
  uuid: string,
): Promise<{ host: AssetRef | null; cluster: AssetRef | null }> {
  const r = await db.execute<{
    hostUuid: string | null;
    hostName: string | null;
    clusterUuid: string | null;
    clusterName: string | null;
  }>(sql`
    with h as (
      select case when a.kind = 'host' then a.uuid
        else (select r.to_asset_uuid from relations r
              where r.from_asset_uuid = a.uuid and r.type = 'runs_on' and r.status = 'active' limit 1) end as uuid,
        a.kind
      from assets a where a.uuid = ${uuid}
    )
    select case when h.kind = 'vm' then host.uuid end as "hostUuid",
           case when h.kind = 'vm' then host.name end as "hostName",
           c.uuid as "clusterUuid", c.name as "clusterName"
    from h left join assets host on host.uuid = h.uuid
    left join relations m on m.from_asset_uuid = h.uuid and m.type = 'member_of' and m.status = 'active'
    left join assets c on c.uuid = m.to_asset_uuid
    limit 1`);
  const row = r.rows[0];
  return {
    host: row?.hostUuid ? { uuid: row.hostUuid, name: row.hostName } : null,
    cluster: row?.clusterUuid ? { uuid: row.clusterUuid, name: row.clusterName } : null,
  };
}

type RawNeighbour = Omit<NeighbourRow, 'normalized'> & { canonical: Record<string, unknown> };

const toRows = (rows: RawNeighbour[]): NeighbourRow[] =>
  rows.map(({ canonical, ...r }) => ({ ...r, normalized: normalizedOf(canonical) }));

const NEIGHBOUR_COLUMNS =
  sql.raw(`a.uuid, a.kind, a.name, a.status, a.power_state as "powerState", a.canonical,
  case when a.kind = 'host' then (select count(*)::int from relations v
    where v.to_asset_uuid = a.uuid and v.type = 'runs_on' and v.status = 'active') end as "vmCount"`);

/** The VMs running on a host now (each once: `runs_on` only, `hosts_vm` is its inverse). */
export async function listHostVms(db: Db, hostUuid: string): Promise<NeighbourRow[]> {
  const r = await db.execute<RawNeighbour>(sql`
    select ${NEIGHBOUR_COLUMNS} from assets a
    where a.uuid in (select r.from_asset_uuid from relations r
                     where r.to_asset_uuid = ${hostUuid} and r.type = 'runs_on' and r.status = 'active')
    order by lower(a.name), a.uuid`);
  return toRows(r.rows);
}

/** A cluster's member hosts now, and the VMs running on them. */
export async function listClusterMembers(
  db: Db,
  clusterUuid: string,
): Promise<{ hosts: NeighbourRow[]; vms: NeighbourRow[] }> {
  const [hosts, vms] = await Promise.all([
    db.execute<RawNeighbour>(sql`
      select ${NEIGHBOUR_COLUMNS} from assets a
      where a.uuid in (select m.from_asset_uuid from relations m
                       where m.to_asset_uuid = ${clusterUuid} and m.type = 'member_of' and m.status = 'active')
      order by lower(a.name), a.uuid`),
    db.execute<RawNeighbour>(sql`
      select ${NEIGHBOUR_COLUMNS} from assets a
      where a.uuid in (select v.from_asset_uuid from relations m
                       join relations v on v.to_asset_uuid = m.from_asset_uuid and v.type = 'runs_on' and v.status = 'active'
                       where m.to_asset_uuid = ${clusterUuid} and m.type = 'member_of' and m.status = 'active')
      order by lower(a.name), a.uuid`),
  ]);
  return { hosts: toRows(hosts.rows), vms: toRows(vms.rows) };
}
