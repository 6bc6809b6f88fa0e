// After the run's own steps (DESIGN §8b, src/server/identity): the evidence of the assets this run created
// or changed is refreshed, new objects that are an asset moved here from another source are folded into it,
// and the duplicate candidates of everything touched are scored. Reads _map and _canon; sets
// state.identityTouched, counters.moved_across_sources and counters.duplicate_candidates.
import type { IngestContext } from '../context';
import { markRunTouched, refreshIdentifiers } from '@/server/identity/evidence';
import { followCrossSourceMoves } from '@/server/identity/follow-cross-source-moves';
import { scoreDuplicateCandidates } from '@/server/identity/score-duplicate-candidates';
import { IDENTITY_TEMP_TABLES } from '@/server/identity/sql';

export async function recordIdentifiers(ctx: IngestContext): Promise<void> {
  await ctx.sql.query(IDENTITY_TEMP_TABLES);
  const marked = await markRunTouched(ctx.sql);
  if (marked) await refreshIdentifiers(ctx.sql);
  // The objects create-early wrote the evidence of are touched as much: their candidates are scored here
  // unless create-early scored them.
  const [e] =
    ctx.state.earlyEvidence && !ctx.state.earlyScoring
      ? await ctx.sql.query<{ n: number }>(
          `with ins as (insert into _id_touched (uuid) select uuid from _new where evidence on conflict do nothing
                      returning 1) select count(*)::int as n from ins`,
        )
      : [{ n: 0 }];
  ctx.state.identityTouched = marked + e!.n;
}

// Only an object this run saw for the first time can be an asset that moved here.
export async function followMoves(ctx: IngestContext): Promise<void> {
  if (ctx.counters.new) ctx.counters.moved_across_sources = await followCrossSourceMoves(ctx.sql, ctx);
}

// No asset's evidence changed (an unchanged run): no candidate can have appeared or lost its evidence.
export async function scoreCandidates(ctx: IngestContext): Promise<void> {
  if (ctx.state.identityTouched)
    ctx.counters.duplicate_candidates += (await scoreDuplicateCandidates(ctx.sql)).open;
}
