// Every object of the run mapped to its link (`_map`), with the link's latest record for the hash
// comparison and the link's last seen before this run (a record this run supersedes was last seen then).
// Starts hashing the known objects' records (state.hashing), which write-changed-records awaits.
import type { IngestContext } from '../context';
import { linkLastSeenAt, linkLastSeenRunId, linkScanJoin } from '../last-seen';
import { hashInSlices } from '../rows';

export async function mapKnownLinks(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, state } = ctx;
  const { items, fresh } = state;
  // The hashes of the objects that already have a record are computed while PostgreSQL works through the
  // statements below that do not need them (presence, relations): on an unchanged estate hashing is most of
  // Node's work, and PostgreSQL would otherwise wait for it.
  const freshIdx = new Set(fresh.map((f) => f.idx));
  const recorded = items.flatMap((_, i) => (freshIdx.has(i) ? [] : [i]));
  const hashing = hashInSlices(recorded.map((i) => items[i]!.a));
  hashing.catch(() => undefined); // awaited below; an earlier failure must not leave it unhandled

  // Every object of the run mapped to its link, with the link's latest record for the hash comparison and
  // the link's last seen before this run (a record this run supersedes was last seen then). A link created
  // by this run has only the record just written: nothing to compare, so no lookup (is_new rows never use it).
  await sql.query(
    `insert into _map (idx, link_id, asset_uuid, is_new, was_missing, rec_id, rec_hash, prev_seen_at, prev_seen_run)
     select i.idx, l.id, l.asset_uuid, n.idx is not null, l.presence = 'missing', r.id, r.hash,
            ${linkLastSeenAt('l', 'c')}, ${linkLastSeenRunId('l', 'c')}
     from _in_asset i
     join asset_source_links l on l.source_id = $1 and l.external_kind = i.kind and l.external_id = i.external_id
     ${linkScanJoin('l', 'c')}
     left join _new n on n.idx = i.idx
     left join lateral (select s.id, s.hash from source_records s where n.idx is null and s.link_id = l.id
                        order by s.id desc limit 1) r on true`,
    [sourceId],
  );
  await sql.query('analyze _map');
  state.hashing = hashing;
  state.recorded = recorded;
}
