// Placement moves: a `relation_changed` event on each existing child whose set of placement targets changed
// (a VM on another host, a host in another cluster). After the canonical views, so that a run's events read
// in the order: fields changed, then placement.
import type { IngestContext } from '../context';

// Placement relations: a change of target is a history event on the child (VM moved host, host moved cluster).
export const PLACEMENT_RELATIONS = ['runs_on', 'member_of'];

export async function recordPlacementMoves(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, relTypes, state } = ctx;
  // Without a placement edge added to an existing child, or an edge deactivated, no target set changed.
  if (state.relationsStepRan) {
    const placementTypes = PLACEMENT_RELATIONS.filter((t) => relTypes.includes(t));
    if (state.placementEdgesChanged > 0)
      await sql.query(
        `with old as (
         select type, from_uuid, array_agg(to_uuid order by to_uuid) as t from _rel_old
         where type = any($4::relation_type[]) group by 1, 2
       ), cur as (
         -- after this run: what it saw, and (an incomplete run deactivates nothing) old edges it did not report
         select type, from_asset_uuid as from_uuid, array_agg(to_asset_uuid order by to_asset_uuid) as t
         from relations where source_id = $2 and status = 'active' and type = any($4::relation_type[]) group by 1, 2
       )
       insert into asset_events (asset_uuid, run_id, source_id, ts, type, details)
       select coalesce(c.from_uuid, o.from_uuid), $1, $2, $3, 'relation_changed',
              jsonb_build_object('relation', coalesce(c.type, o.type), 'from', o.t[1], 'to', c.t[1],
                                 'from_assets', coalesce(to_jsonb(o.t), '[]'::jsonb),
                                 'to_assets', coalesce(to_jsonb(c.t), '[]'::jsonb))
       from old o full join cur c on c.type = o.type and c.from_uuid = o.from_uuid
       where o.t is distinct from c.t
         and not (o.t is null and coalesce(c.from_uuid, o.from_uuid) in (select asset_uuid from _map where is_new))
         -- a child that went missing lost its placement with it: its went_missing event says so
         and not (c.t is null and o.from_uuid in (select asset_uuid from _presence where change = 'went_missing'))`,
        [runId, sourceId, now, placementTypes],
      );
  }
}
