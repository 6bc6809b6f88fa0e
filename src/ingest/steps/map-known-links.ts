// Every object of the run mapped to its link (`_map`), with the link's latest record for the hash
// comparison and the link's last seen before this run (a record this run supersedes was last seen then).
// A link created by this run has only the record just written: nothing to compare, so no lookup. An object
// staged as unchanged brings its record's id and hash, read before the lock (../known-records.ts): looked up
// again only if another run has written a record of this source since.
import type { IngestContext } from '../context';
import { linkLastSeenAt, linkLastSeenRunId, linkScanJoin } from '../last-seen';

export async function mapKnownLinks(ctx: IngestContext): Promise<void> {
  const mapped = await ctx.sql.execute(
    `with written as materialized (
       select exists (select 1 from source_records s where s.source_id = $1 and s.id > $2 and s.run_id <> $3) as since
     )
     insert into _map (idx, link_id, asset_uuid, is_new, was_missing, rec_id, rec_hash, prev_seen_at, prev_seen_run)
     select i.idx, l.id, l.asset_uuid, n.idx is not null, l.presence = 'missing',
            coalesce(r.id, i.rec_id), case when r.id is null and i.rec_id is not null then i.hash else r.hash end,
            ${linkLastSeenAt('l', 'c')}, ${linkLastSeenRunId('l', 'c')}
     from _in_asset i
     cross join written w
     join asset_source_links l on l.source_id = $1 and l.external_kind = i.kind and l.external_id = i.external_id
     ${linkScanJoin('l', 'c')}
     left join _new n on n.idx = i.idx
     left join lateral (select s.id, s.hash from source_records s
                        where n.idx is null and (i.rec_id is null or w.since) and s.link_id = l.id
                        order by s.id desc limit 1) r on true`,
    [ctx.sourceId, ctx.state.knownMaxRecordId, ctx.runId],
  );
  // Each object has its link by now (an existing one, or one created by this run); an object without one
  // would be left out of the run unnoticed.
  if (mapped !== ctx.counters.assets)
    throw new Error(
      `${ctx.counters.assets - mapped} objects of this run have no link: another run changed this source's links meanwhile; run it again`,
    );
  await ctx.sql.query('analyze _map');
}
