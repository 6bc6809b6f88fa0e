// Relations: the staged ones resolve their endpoints with one join against this source's links, which
// already include this run's new objects and what earlier runs of other modes created (a collect_vms run
// attaches to the hosts of an earlier collect_hosts run). Known edges are updated when their state or payload
// changes, new ones inserted, and after a complete run the mode's relation types not seen go inactive; a
// complete run whose edges are exactly the active ones is recognized by one join and writes nothing.
// Edges that create-early wrote are found here as active edges seen again. Sets counters.relations,
// relations_inactive, relations_unresolved and state.relations*.
import type { IngestContext } from '../context';
import { relationLastSeenAt, relationLastSeenRunId, relationScanJoin } from '../last-seen';
import { PLACEMENT_RELATIONS } from './record-placement-moves';

export async function resolveRelations(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, relTypes, state, counters } = ctx;
  state.relationsStepRan = state.stagedRelations > 0 || (ctx.inventoryComplete && relTypes.length > 0);
  if (!state.relationsStepRan) return;
  // A run that created objects brings their edges: the check could only fail (0.3 s of a 40,000-VM first run).
  if (ctx.inventoryComplete && !counters.new && (await unchangedEdges(ctx))) return;
  const [res] = await sql.query<{ resolved: number; unresolved: number }>(
    `with j as materialized (
       select r.type, lf.asset_uuid as from_uuid, lt.asset_uuid as to_uuid, r.raw
       from _in_rel r
       left join asset_source_links lf
         on lf.source_id = $1 and lf.external_kind = r.from_kind and lf.external_id = r.from_id
       left join asset_source_links lt
         on lt.source_id = $1 and lt.external_kind = r.to_kind and lt.external_id = r.to_id
     ), resolved as (
       insert into _rel (type, from_uuid, to_uuid, raw)
       select distinct on (type, from_uuid, to_uuid) type, from_uuid, to_uuid, raw::jsonb
       from j where from_uuid is not null and to_uuid is not null
       order by type, from_uuid, to_uuid
       returning 1
     ) select (select count(*)::int from resolved) as resolved,
              (select count(*)::int from j where from_uuid is null or to_uuid is null) as unresolved`,
    [sourceId],
  );
  if (!state.relationsBeforeRun) await markRelationsBeforeRun(ctx);
  await sql.query('analyze _rel');
  const [lc] = await sql.query<{ inactive: number; added: number; placement_added: number }>(
    // An update join for the known edges and an insert for the new ones: about twice as fast as an upsert.
    // Known edges are updated only when their state or payload changes (or the run is incomplete): an
    // active edge seen again is seen through source_scans. An edge that goes inactive keeps the previous
    // scan's last seen as its own stamp.
    `with seen as (
       update relations r set status = 'active', last_seen_at = $3, last_seen_run_id = $2, inactive_since = null,
         raw_payload = x.raw
       from _rel x
       where r.source_id = $1 and r.type = x.type and r.from_asset_uuid = x.from_uuid and r.to_asset_uuid = x.to_uuid
         and (r.status <> 'active' or r.raw_payload is distinct from x.raw or not $4::boolean)
     ), ins as (
       insert into relations (type, from_asset_uuid, to_asset_uuid, source_id, status, first_seen_at, last_seen_at,
                              last_seen_run_id, inactive_since, raw_payload)
       select x.type, x.from_uuid, x.to_uuid, $1, 'active', $3, $3, $2, null, x.raw from _rel x
       -- No ON CONFLICT (its speculative insertion costs per row): _rel holds each edge once and the
       -- source's ingest lock keeps every other writer of this source's relations out.
       where not exists (select 1 from relations r where r.source_id = $1 and r.type = x.type
                           and r.from_asset_uuid = x.from_uuid and r.to_asset_uuid = x.to_uuid)
     ), gone as (
       update relations r set status = 'inactive', inactive_since = $3,
         last_seen_at = ${relationLastSeenAt('r0', 'c')}, last_seen_run_id = ${relationLastSeenRunId('r0', 'c')}
       from relations r0 ${relationScanJoin('r0', 'c')}
       where r0.id = r.id and $4::boolean and r.source_id = $1 and r.status = 'active' and r.type = any($5::relation_type[])
         and not exists (select 1 from _rel x where x.type = r.type and x.from_uuid = r.from_asset_uuid
                                               and x.to_uuid = r.to_asset_uuid)
       returning 1
     ), added as (
       select x.type, x.from_uuid from _rel x where not exists (
         select 1 from _rel_old o where o.type = x.type and o.from_uuid = x.from_uuid and o.to_uuid = x.to_uuid)
     ) select (select count(*)::int from gone) as inactive,
              (select count(*)::int from added) as added,
              (select count(*)::int from added a where a.type = any($6::relation_type[])
                 and not exists (select 1 from _new n where n.uuid = a.from_uuid)) as placement_added`,
    [sourceId, runId, now, ctx.inventoryComplete, relTypes, PLACEMENT_RELATIONS],
  );
  counters.relations = res!.resolved;
  counters.relations_unresolved = res!.unresolved;
  counters.relations_inactive = lc!.inactive;
  state.relationsAdded = lc!.added;
  state.relationsChanged = lc!.inactive + lc!.added;
  // a placement edge gained by, or any edge taken from, an object that existed before this run
  state.placementEdgesChanged = lc!.inactive + lc!.placement_added;
  if (res!.unresolved) warnUnresolved(ctx, res!.unresolved);
}

/** The mode's edges active before this run (`_rel_old`), to tell the ones it adds; once per run. */
export async function markRelationsBeforeRun(ctx: IngestContext): Promise<void> {
  await ctx.sql.query(
    `insert into _rel_old (type, from_uuid, to_uuid)
     select type, from_asset_uuid, to_asset_uuid from relations
     where source_id = $1 and status = 'active' and type = any($2::relation_type[])`,
    [ctx.sourceId, ctx.relTypes],
  );
  ctx.state.relationsBeforeRun = true;
}

/**
 * A complete run whose edges are exactly the active ones, payloads included (an unchanged estate): nothing to
 * write — the scan stamps them all (../last-seen.ts). One pass over the staged edges joined to the active
 * ones instead of staging every edge twice and comparing the copies: every resolved edge matches an active
 * relation, no two match the same one (relations_edge_uq: each matches at most one), and there are as many
 * as active relations. Any difference, or an edge reported twice, leaves it to the statements above.
 */
async function unchangedEdges(ctx: IngestContext): Promise<boolean> {
  const { sql, sourceId, relTypes, counters } = ctx;
  const [r] = await sql.query<{
    rows: number;
    unresolved: number;
    matched: number;
    distinct_matched: number;
    active: number;
  }>(
    `select count(*) filter (where lf.asset_uuid is not null and lt.asset_uuid is not null)::int as rows,
            count(*) filter (where lf.asset_uuid is null or lt.asset_uuid is null)::int as unresolved,
            count(e.id)::int as matched, count(distinct e.id)::int as distinct_matched,
            (select count(*)::int from relations
              where source_id = $1 and status = 'active' and type = any($2::relation_type[])) as active
     from _in_rel r
     left join asset_source_links lf
       on lf.source_id = $1 and lf.external_kind = r.from_kind and lf.external_id = r.from_id
     left join asset_source_links lt
       on lt.source_id = $1 and lt.external_kind = r.to_kind and lt.external_id = r.to_id
     left join relations e
       on e.source_id = $1 and e.type = r.type and e.from_asset_uuid = lf.asset_uuid
      and e.to_asset_uuid = lt.asset_uuid and e.status = 'active' and e.raw_payload is not distinct from r.raw::jsonb`,
    [sourceId, relTypes],
  );
  const { rows, matched, active } = r!;
  const same = matched === rows && r!.distinct_matched === rows && active === rows;
  if (!same) return false;
  counters.relations = rows;
  counters.relations_unresolved = r!.unresolved;
  if (r!.unresolved) warnUnresolved(ctx, r!.unresolved);
  return true;
}

function warnUnresolved(ctx: IngestContext, n: number): void {
  ctx.warnings.push({
    code: 'RELATIONS_UNRESOLVED',
    message: `${n} relations name an object this source has not collected (yet); they were skipped`,
    count: n,
  });
}
