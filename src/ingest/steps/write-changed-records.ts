// Records: a known object whose record hash changed gets a new record from its staged texts (`_changed`
// lists them for merge-canonical-views); the record it supersedes keeps the last seen it had before this
// run. An incomplete run stamps the unchanged records it saw. Sets counters.records_written.
import type { IngestContext } from '../context';

export async function writeChangedRecords(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now } = ctx;
  const [r] = await sql.query<{ n: number }>(
    `with ch as (
       insert into _changed (idx, link_id, asset_uuid)
       select m.idx, m.link_id, m.asset_uuid from _map m join _in_asset i using (idx)
       where not m.is_new and m.rec_hash is distinct from i.hash
       returning idx, link_id, asset_uuid
     ), ins as (
       insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, raw, hash,
                                   last_seen_run_id, last_seen_at)
       select c.link_id, c.asset_uuid, $1, $2, $3, i.normalized, i.raw, i.hash, $2, $3
       from ch c join _in_asset i using (idx)
     ), superseded as (
       -- the link's previous record was last seen when the link was, before this run
       update source_records s set last_seen_at = m.prev_seen_at, last_seen_run_id = m.prev_seen_run
       from ch c join _map m using (idx)
       where s.id = m.rec_id and m.prev_seen_at > s.last_seen_at
     ), stamp as (
       update source_records s set last_seen_run_id = $2, last_seen_at = $3
       from _map m join _in_asset i using (idx)
       where not $4::boolean and not m.is_new and s.id = m.rec_id and m.rec_hash = i.hash
     ) select count(*)::int as n from ch`,
    [sourceId, runId, now, ctx.inventoryComplete],
  );
  ctx.counters.records_written = ctx.counters.new + r!.n;
}
