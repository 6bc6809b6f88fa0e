// Records: a known object whose record hash changed gets a new record (its previous one keeps the last seen
// it had before this run); an incomplete run stamps the unchanged records it saw. Sets state.changed and
// counters.records_written.
import type { IngestContext } from '../context';
import { recordTexts } from '../rows';

export async function writeChangedRecords(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, state } = ctx;
  const { items, recorded } = state;
  const hashing = state.hashing ?? Promise.resolve([]);
  await sql.copy(
    '_in_hash',
    [
      ['idx', 'int4'],
      ['hash', 'text'],
    ],
    (await hashing).map((hash, n) => [recorded[n]!, hash]),
  );

  // Which known objects need a new record: those whose hash changed (new ones have theirs already).
  const changed = await sql.query<{ idx: number; link_id: string; asset_uuid: string }>(
    `select m.idx, m.link_id, m.asset_uuid from _map m join _in_hash h using (idx)
     where m.rec_hash is distinct from h.hash order by m.idx`,
  );
  await sql.copy(
    '_in_rec',
    [
      ['idx', 'int4'],
      ['normalized', 'jsonb'],
      ['raw', 'text'],
    ],
    (function* () {
      for (const c of changed) {
        const t = recordTexts(items[c.idx]!.a);
        yield [c.idx, t.normalizedJson, t.rawJson];
      }
    })(),
  );
  await sql.query(
    `with ins as (
       insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, raw, hash,
                                   last_seen_run_id, last_seen_at)
       select m.link_id, m.asset_uuid, $1, $2, $3, r.normalized, r.raw, h.hash, $2, $3
       from _in_rec r join _map m using (idx) join _in_hash h using (idx)
     ), superseded as (
       -- the link's previous record was last seen when the link was, before this run
       update source_records s set last_seen_at = m.prev_seen_at, last_seen_run_id = m.prev_seen_run
       from _map m join _in_hash h using (idx)
       where s.id = m.rec_id and m.rec_hash is distinct from h.hash
         and m.prev_seen_at > s.last_seen_at
     ) update source_records s set last_seen_run_id = $2, last_seen_at = $3
       from _map m join _in_hash h using (idx)
       where not $4::boolean and s.id = m.rec_id and m.rec_hash = h.hash`,
    [sourceId, runId, now, ctx.inventoryComplete],
  );
  state.changed = changed;
  ctx.counters.records_written = state.fresh.length + changed.length;
}
