// Relations: the staged ones resolve their endpoints against this source's links, which already include this
// run's objects; those with a new endpoint (resolved by insert-new-objects) are COPYed in; after a complete
// run, the mode's relation types not seen go inactive. Sets counters.relations*, state.relations*.
import { randomUUID } from 'node:crypto';
import type { IngestContext } from '../context';
import { relationLastSeenAt, relationLastSeenRunId, relationScanJoin } from '../last-seen';

export async function resolveRelations(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, relTypes, state } = ctx;
  const { rels, directRows } = state;
  // Relations: endpoints resolve against this source's links, which already include this run's objects —
  // one join for all of them (the run first, then what earlier runs of other modes created). Relations
  // with a new endpoint were resolved above and are inserted after the previous state is read.
  let relationsResolved = 0;
  let unresolved = 0;
  let inactive = 0;
  let relationsChanged = 0;
  let relationsAdded = 0;
  let knownEdgesChanged = 0; // edges between objects both known before this run, added or deactivated
  const relationsStepRan =
    rels.length > 0 || directRows.length > 0 || (ctx.inventoryComplete && relTypes.length > 0);
  if (relationsStepRan) {
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
         select distinct on (type, from_uuid, to_uuid) type, from_uuid, to_uuid, raw
         from j where from_uuid is not null and to_uuid is not null
         order by type, from_uuid, to_uuid
         returning 1
       ), old as (
         insert into _rel_old (type, from_uuid, to_uuid)
         select type, from_asset_uuid, to_asset_uuid from relations
         where source_id = $1 and status = 'active' and type::text = any($2::text[])
       ) select (select count(*)::int from resolved) as resolved,
                (select count(*)::int from j where from_uuid is null or to_uuid is null) as unresolved`,
      [sourceId, relTypes],
    );
    relationsResolved = res!.resolved + directRows.length;
    unresolved = res!.unresolved;
    await sql.query('analyze _rel');
    if (directRows.length)
      await sql.copy(
        'relations',
        [
          ['id', 'uuid'],
          ['type', 'text'],
          ['from_asset_uuid', 'uuid'],
          ['to_asset_uuid', 'uuid'],
          ['source_id', 'uuid'],
          ['status', 'text'],
          ['first_seen_at', 'timestamptz'],
          ['last_seen_at', 'timestamptz'],
          ['last_seen_run_id', 'uuid'],
          ['raw_payload', 'jsonb'],
        ],
        directRows.map((r) => [
          randomUUID(),
          r.type,
          r.from,
          r.to,
          sourceId,
          'active',
          now,
          now,
          runId,
          r.raw,
        ]),
      );
    const [lc] = await sql.query<{ inactive: number; added: number }>(
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
         where r0.id = r.id and $4::boolean and r.source_id = $1 and r.status = 'active' and r.type::text = any($5::text[])
           and r.last_seen_run_id is distinct from $2 -- inserted by this run above
           and not exists (select 1 from _rel x where x.type = r.type and x.from_uuid = r.from_asset_uuid
                                                 and x.to_uuid = r.to_asset_uuid)
         returning 1
       ) select (select count(*)::int from gone) as inactive,
                (select count(*)::int from _rel x where not exists (
                   select 1 from _rel_old o where o.type = x.type and o.from_uuid = x.from_uuid and o.to_uuid = x.to_uuid)
                ) as added`,
      [sourceId, runId, now, ctx.inventoryComplete, relTypes],
    );
    inactive = lc!.inactive;
    relationsAdded = lc!.added + directRows.length;
    relationsChanged = lc!.inactive + relationsAdded;
    knownEdgesChanged = lc!.inactive + lc!.added;
  }
  state.relationsStepRan = relationsStepRan;
  state.relationsAdded = relationsAdded;
  state.relationsChanged = relationsChanged;
  state.knownEdgesChanged = knownEdgesChanged;
  ctx.counters.relations = relationsResolved;
  ctx.counters.relations_inactive = inactive;
  ctx.counters.relations_unresolved = unresolved;
  if (unresolved) {
    ctx.warnings.push({
      code: 'RELATIONS_UNRESOLVED',
      message: `${unresolved} relations name an object this source has not collected (yet); they were skipped`,
      count: unresolved,
    });
  }
}
