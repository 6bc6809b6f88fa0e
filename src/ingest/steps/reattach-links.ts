// Re-attach: an unknown moref whose identity key (VM instance UUID, host hardware UUID) belongs to a link of
// this source that is not in this run takes over that link, and so its asset. Each side is matched at most
// once. Sets counters.reattached.
import type { IngestContext } from '../context';
import { linkLastSeenAt, linkScanJoin } from '../last-seen';

export async function reattachLinks(ctx: IngestContext): Promise<void> {
  // only an object no link knows by its moref can take a link over
  if (!ctx.state.stagedUnknown) return;
  const [r] = await ctx.sql.query<{ n: number }>(
    `with cand as (
       select distinct on (i.idx) i.idx, i.external_id, l.id as link_id
       from _in_asset i
       join asset_source_links l
         on l.source_id = $1 and l.external_kind = i.kind and l.identity_key = i.identity_key
       ${linkScanJoin('l', 'c')}
       where i.identity_key is not null
         and not exists (select 1 from asset_source_links x
                         where x.source_id = $1 and x.external_kind = i.kind and x.external_id = i.external_id)
         and not exists (select 1 from _in_asset y where y.kind = l.external_kind and y.external_id = l.external_id)
       order by i.idx, ${linkLastSeenAt('l', 'c')} desc
     ), pick as (
       select distinct on (link_id) link_id, external_id from cand order by link_id, idx
     ), upd as (
       update asset_source_links l set external_id = p.external_id from pick p where l.id = p.link_id returning 1
     ) select count(*)::int as n from upd`,
    [ctx.sourceId],
  );
  ctx.counters.reattached = r?.n ?? 0;
}
