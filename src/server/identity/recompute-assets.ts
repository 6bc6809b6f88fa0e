// After links moved between assets (merge, split): each asset's canonical view from its present links'
// latest records (the source whose latest complete run saw it wins a field, src/ingest/canonical.ts), its search and
// placement columns, its status, a snapshot row for the new version, and its evidence.
import type { AssetKind } from '@/collector/contract';
import { canonicalHash, mergeCanonical, searchColumns, type Contribution } from '@/ingest/canonical';
import { linkLastSeenAt, linkScanJoin } from '@/ingest/last-seen';
import { refreshIdentifiers } from './evidence';
import type { Q } from './sql';

export async function recomputeAssets(q: Q, uuids: string[]): Promise<void> {
  const recs = await q.query<{
    asset_uuid: string;
    kind: AssetKind;
    source_id: string;
    run_id: string;
    collected_at: string;
    seen_at: string;
    normalized: Record<string, unknown>;
  }>(
    `select l.asset_uuid, a.kind, l.source_id, s.run_id, s.collected_at, s.normalized,
            ${linkLastSeenAt('l', 'c')} as seen_at
     from asset_source_links l join assets a on a.uuid = l.asset_uuid ${linkScanJoin('l', 'c')}
     join lateral (select run_id, collected_at, normalized from source_records s
                   where s.link_id = l.id order by s.id desc limit 1) s on true
     where l.asset_uuid = any($1::uuid[]) and l.presence = 'present'`,
    [uuids],
  );
  const by = new Map<string, { kind: AssetKind; list: Contribution[] }>();
  for (const r of recs) {
    const e = by.get(r.asset_uuid) ?? { kind: r.kind, list: [] };
    e.list.push({
      sourceId: r.source_id,
      runId: r.run_id,
      collectedAt: new Date(r.collected_at).toISOString(),
      seenAt: new Date(r.seen_at).toISOString(),
      normalized: r.normalized,
    });
    by.set(r.asset_uuid, e);
  }
  for (const [uuid, { kind, list }] of by) {
    const canon = mergeCanonical(list);
    const c = searchColumns(kind, canon.normalized);
    // The current version's snapshot row takes its content; the new version gets a row of its own.
    await q.query(
      `with prev as (
         update asset_snapshots s set canonical = a.canonical from assets a
         where a.uuid = $1 and s.asset_uuid = $1 and s.canonical is null and a.canonical is distinct from $2::jsonb
         returning 1
       ), upd as (
         update assets set canonical = $2::jsonb, name = $3, hostname = $4, serial_number = $5,
           ip_addresses = $6::text[], mac_addresses = $7::text[], power_state = $8,
           cluster_name = coalesce($9, cluster_name), updated_at = now()
         where uuid = $1 and canonical is distinct from $2::jsonb
       ) insert into asset_snapshots (asset_uuid, created_at, hash)
         select $1, now(), $10 where exists (select 1 from prev)`,
      [
        uuid,
        JSON.stringify(canon),
        c.name,
        c.hostname,
        c.serial_number,
        c.ip_addresses,
        c.mac_addresses,
        c.power_state,
        c.cluster_name,
        canonicalHash(canon),
      ],
    );
  }
  // Status and placement follow the links and relations the assets hold now.
  await q.query(
    `update assets a set
       status = case when exists (select 1 from asset_source_links l where l.asset_uuid = a.uuid and l.presence = 'present')
                     then 'active'::asset_status else 'offline'::asset_status end,
       host_name = case when a.kind = 'vm' then (select h.name from relations r join assets h on h.uuid = r.to_asset_uuid
                        where r.from_asset_uuid = a.uuid and r.type = 'runs_on' and r.status = 'active'
                        order by r.last_seen_at desc limit 1) else a.host_name end
     where a.uuid = any($1::uuid[]) and a.status <> 'merged'`,
    [uuids],
  );
  await q.query(`insert into _id_touched (uuid) select unnest($1::uuid[]) on conflict do nothing`, [uuids]);
  await refreshIdentifiers(q);
}
