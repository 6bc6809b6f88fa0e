// Moving what one asset holds to another, for every pair in `_id_pairs` (from_uuid → to_uuid) at once: its
// source links with their records, and its relations (an edge the target already has is dropped, not
// doubled). Shared by cross-source moves (ingest) and merges (people). Set-based: a fixed number of
// statements whatever the number of pairs.
import type { Q } from './sql';

export interface MovedRelations {
  moved: string[];
  /** Edges the target already had: deleted, kept here so a split can put them back. */
  dropped: Record<string, unknown>[];
}

export async function moveLinksRecordsRelations(q: Q): Promise<{ links: string[] } & MovedRelations> {
  // One statement for both: a record references (link_id, asset_uuid) of its link, and the foreign key is
  // checked at the end of the statement, when both have moved.
  const links = await q.query<{ id: string }>(
    `with l as (
       update asset_source_links l set asset_uuid = p.to_uuid from _id_pairs p where l.asset_uuid = p.from_uuid
       returning l.id
     ), r as (
       update source_records r set asset_uuid = p.to_uuid from _id_pairs p where r.asset_uuid = p.from_uuid
     ) select id from l`,
  );
  const rel = await q.query<{ moved: string[] | null; dropped: Record<string, unknown>[] | null }>(
    `with cand as (
       select r.id, case when r.from_asset_uuid = pf.from_uuid then pf.to_uuid else r.from_asset_uuid end as f,
              case when r.to_asset_uuid = pt.from_uuid then pt.to_uuid else r.to_asset_uuid end as t
       from relations r
       left join _id_pairs pf on pf.from_uuid = r.from_asset_uuid
       left join _id_pairs pt on pt.from_uuid = r.to_asset_uuid
       where pf.from_uuid is not null or pt.from_uuid is not null
     ), dup as (
       select c.id from cand c join relations r0 on r0.id = c.id
       where c.f = c.t or exists (select 1 from relations x where x.type = r0.type and x.source_id = r0.source_id
                                    and x.from_asset_uuid = c.f and x.to_asset_uuid = c.t and x.id <> c.id)
     ), moved as (
       update relations r set from_asset_uuid = c.f, to_asset_uuid = c.t from cand c
       where r.id = c.id and c.id not in (select id from dup) returning r.id
     ), dropped as (
       delete from relations r where r.id in (select id from dup) returning r.*
     ) select (select array_agg(id) from moved) as moved, (select jsonb_agg(to_jsonb(d)) from dropped d) as dropped`,
  );
  return { links: links.map((l) => l.id), moved: rel[0]?.moved ?? [], dropped: rel[0]?.dropped ?? [] };
}
