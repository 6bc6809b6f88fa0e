// Presence: links seen again are present, their assets active; after a complete run only, and only for the
// mode's kinds, links not seen go missing and an asset with no present link left goes offline. Writes the
// came_back / went_missing events. Sets counters.came_back, counters.missing and counters.offline.
import type { IngestContext } from '../context';
import { linkLastSeenAt, linkLastSeenRunId, linkScanJoin } from '../last-seen';

export async function recordPresence(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, kinds } = ctx;
  // Seen: links present again, assets active again; came-back links remembered for their events. A complete
  // run stamps only rows whose state changes — the others are seen through source_scans (./last-seen.ts);
  // an incomplete run cannot be recorded there, so it stamps every row it saw.
  const [seen] = await sql.query<{ came_back: number }>(
    `with back as (
       insert into _presence (link_id, asset_uuid, change, external_kind, external_id)
       select m.link_id, m.asset_uuid, 'came_back', i.kind, i.external_id
       from _map m join _in_asset i using (idx) where m.was_missing
       returning 1
     ), links as (
       -- the run's rows that may change their link picked first: an unchanged object (no identity key staged)
       -- seen again by a complete run changes none, and its link is not even read
       update asset_source_links l
       set last_seen_at = $2, last_seen_run_id = $1, presence = 'present', missing_since = null,
           identity_key = coalesce(x.identity_key, l.identity_key)
       from (select m.link_id, m.was_missing, i.identity_key from _map m join _in_asset i using (idx)
             where not m.is_new and (m.was_missing or not $3::boolean or i.identity_key is not null)) x
       where l.id = x.link_id
         and (x.was_missing or not $3::boolean or x.identity_key is distinct from l.identity_key)
     ), assets as (
       update assets a set last_seen_at = $2, status = 'active'
       from _map m where a.uuid = m.asset_uuid and not m.is_new and (a.status <> 'active' or not $3::boolean)
     ) select count(*)::int as came_back from back`,
    [runId, now, ctx.inventoryComplete],
  );
  ctx.counters.came_back = seen!.came_back;

  // Presence, after a complete run only and only for the kinds this mode returns.
  let missing = 0;
  let offline = 0;
  if (ctx.inventoryComplete && kinds.length) {
    const [p] = await sql.query<{ missing: number; offline: number }>(
      // A link that goes missing keeps its last seen (the previous scan's, see ./last-seen.ts) as its own
      // stamp, and so does its asset; the asset goes offline when no present link is left.
      `with gone as (
         update asset_source_links l set presence = 'missing', missing_since = $2,
           last_seen_at = x.seen_at, last_seen_run_id = x.seen_run
         from (select l0.id, ${linkLastSeenAt('l0', 'c')} as seen_at, ${linkLastSeenRunId('l0', 'c')} as seen_run
               from asset_source_links l0 ${linkScanJoin('l0', 'c')}
               where l0.source_id = $1 and l0.external_kind = any($3::asset_kind[]) and l0.presence = 'present'
                 and not exists (select 1 from _map m where m.link_id = l0.id)) x
         where l.id = x.id
         returning l.id, l.asset_uuid, l.external_kind, l.external_id, l.last_seen_at
       ), ins as (
         insert into _presence (link_id, asset_uuid, change, external_kind, external_id)
         select id, asset_uuid, 'went_missing', external_kind, external_id from gone
       ), g as (
         select g.asset_uuid, max(g.last_seen_at) as seen_at,
                bool_or(a0.status = 'active' and not exists (
                  select 1 from asset_source_links l2 where l2.asset_uuid = g.asset_uuid and l2.presence = 'present'
                    and l2.id not in (select id from gone))) as go_offline
         from gone g join assets a0 on a0.uuid = g.asset_uuid group by g.asset_uuid
       ), upd as (
         update assets a set last_seen_at = greatest(a.last_seen_at, g.seen_at),
           status = case when g.go_offline then 'offline'::asset_status else a.status end,
           updated_at = case when g.go_offline then $2 else a.updated_at end
         from g where a.uuid = g.asset_uuid
         returning g.go_offline
       ) select (select count(*)::int from gone) as missing,
                (select count(*)::int from upd where go_offline) as offline`,
      [sourceId, now, `{${kinds.join(',')}}`],
    );
    missing = p!.missing;
    offline = p!.offline;
  }
  await sql.query(
    `insert into asset_events (asset_uuid, run_id, source_id, ts, type, details)
     select asset_uuid, $1, $2, $3, change::asset_event_type,
            jsonb_build_object('link_id', link_id, 'external_kind', external_kind, 'external_id', external_id)
     from _presence`,
    [runId, sourceId, now],
  );
  ctx.counters.missing = missing;
  ctx.counters.offline = offline;
}
