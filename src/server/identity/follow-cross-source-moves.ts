// Cross-source moves (DESIGN §8b): a VM or host this run saw for the first time whose strong identity (VM:
// instance UUID and BIOS UUID; host: hardware UUID and a non-junk serial) is that of an asset whose links
// are all `missing`, in other sources, is that asset moved here (cross-vCenter vMotion, a migration between
// sites). The asset created for it a moment ago is folded into the old one, which keeps its UUID, ledger
// values and history, gains the new link, and records "moved from source A to source B". An old asset still
// present somewhere is not taken over: the pair becomes a duplicate candidate instead. Set-based, in the
// run's transaction, after the run's own steps (so they all saw an ordinary new asset).
import { moveLinksRecordsRelations } from './move-asset-contents';
import type { Q } from './sql';

export async function followCrossSourceMoves(
  q: Q,
  run: { runId: string; sourceId: string; now: string },
): Promise<number> {
  // Without a missing link in another source nobody can have moved here (a first run's usual case): one
  // cheap look instead of the join below, whose planning alone took ~60 ms.
  const [gone] = await q.query<{ any: boolean }>(
    `select exists (select 1 from asset_source_links g where g.presence = 'missing' and g.source_id <> $1) as any`,
    [run.sourceId],
  );
  if (!gone!.any) return 0;
  const pairs = await q.query<{ n: number }>(
    `with c as (
       select m.asset_uuid as new_uuid, o1.asset_uuid as old_uuid,
              count(*) over (partition by m.asset_uuid) as olds, count(*) over (partition by o1.asset_uuid) as news
       from _map m
       join assets na on na.uuid = m.asset_uuid
       join (values ('vm', 'vm.instance_uuid', 'vm.bios_uuid'), ('host', 'host.hardware_uuid', 'host.serial'))
            k(kind, r1, r2) on k.kind = na.kind::text
       join asset_identifiers n1 on n1.asset_uuid = m.asset_uuid and n1.rule = k.r1
       join asset_identifiers n2 on n2.asset_uuid = m.asset_uuid and n2.rule = k.r2
       join asset_identifiers o1 on o1.rule = k.r1 and o1.value = n1.value and o1.asset_uuid <> m.asset_uuid
       join asset_identifiers o2 on o2.asset_uuid = o1.asset_uuid and o2.rule = k.r2 and o2.value = n2.value
       join assets oa on oa.uuid = o1.asset_uuid and oa.kind = na.kind and oa.status <> 'merged'
       where m.is_new
         and exists (select 1 from asset_source_links l where l.asset_uuid = oa.uuid)
         and not exists (select 1 from asset_source_links l
                         where l.asset_uuid = oa.uuid and (l.presence = 'present' or l.source_id = $1))
     ), ins as (
       -- one old asset for one new one; anything ambiguous is left to people (a candidate)
       insert into _id_pairs (from_uuid, to_uuid)
       select new_uuid, old_uuid from c where olds = 1 and news = 1
       returning 1
     ) select count(*)::int as n from ins`,
    [run.sourceId],
  );
  const n = pairs[0]!.n;
  if (!n) return 0;
  // The old asset's history gets the move; the new asset's own `created` goes (it was never anybody else).
  await q.query(
    `with ev as (
       insert into asset_events (asset_uuid, run_id, source_id, ts, type, details)
       select p.to_uuid, $1, $2, $3, 'moved',
              jsonb_build_object('from_source_id', (select l.source_id from asset_source_links l
                                                    where l.asset_uuid = p.to_uuid order by l.last_seen_at desc limit 1),
                                 'to_source_id', $2::uuid, 'from_asset_uuid', p.from_uuid)
       from _id_pairs p
     ), gone as (
       delete from asset_events e using _id_pairs p where e.asset_uuid = p.from_uuid and e.type = 'created'
     ), snap as (
       -- the old asset's current version is superseded: its snapshot row takes its content
       update asset_snapshots s set canonical = a.canonical
       from _id_pairs p join assets a on a.uuid = p.to_uuid
       where s.asset_uuid = p.to_uuid and s.canonical is null
     ) select 1`,
    [run.runId, run.sourceId, run.now],
  );
  await moveLinksRecordsRelations(q);
  await q.query(
    `with ev as (
       update asset_events e set asset_uuid = p.to_uuid from _id_pairs p where e.asset_uuid = p.from_uuid
     ), snap as (
       update asset_snapshots s set asset_uuid = p.to_uuid from _id_pairs p where s.asset_uuid = p.from_uuid
     ), old as (
       update assets o set canonical = n.canonical, name = n.name, hostname = n.hostname,
         serial_number = n.serial_number, ip_addresses = n.ip_addresses, mac_addresses = n.mac_addresses,
         power_state = n.power_state, cluster_name = n.cluster_name, host_name = n.host_name,
         status = 'active', last_seen_at = n.last_seen_at, updated_at = n.updated_at
       from _id_pairs p join assets n on n.uuid = p.from_uuid where o.uuid = p.to_uuid
     ), ids as (
       delete from asset_identifiers i using _id_pairs p where i.asset_uuid = p.to_uuid
     ), m as (
       update _map m set asset_uuid = p.to_uuid from _id_pairs p where m.asset_uuid = p.from_uuid
     ), t as (
       insert into _id_touched (uuid) select to_uuid from _id_pairs on conflict do nothing
     ) select 1`,
  );
  // The identifiers of the new asset become the old one's (deleted above), then the new asset goes.
  await q.query(
    `with ids as (
       update asset_identifiers i set asset_uuid = p.to_uuid from _id_pairs p where i.asset_uuid = p.from_uuid
     ), t as (
       delete from _id_touched t using _id_pairs p where t.uuid = p.from_uuid
     ) delete from assets a using _id_pairs p where a.uuid = p.from_uuid`,
  );
  await q.query(`delete from _id_pairs`);
  return n;
}
