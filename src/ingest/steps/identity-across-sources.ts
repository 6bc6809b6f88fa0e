// After the run's own steps (DESIGN §8b, src/server/identity): the evidence of the assets this run created
// or changed is refreshed, new objects that are an asset moved here from another source are folded into it,
// and the duplicate candidates of everything touched are scored. Reads _map and _canon; sets
// counters.moved_across_sources and counters.duplicate_candidates.
import type { IngestContext } from '../context';
import { markRunTouched, refreshIdentifiers } from '@/server/identity/evidence';
import { followCrossSourceMoves } from '@/server/identity/follow-cross-source-moves';
import { scoreDuplicateCandidates } from '@/server/identity/score-duplicate-candidates';
import { IDENTITY_TEMP_TABLES } from '@/server/identity/sql';

export async function recordIdentifiers(ctx: IngestContext): Promise<void> {
  await ctx.sql.query(IDENTITY_TEMP_TABLES);
  await markRunTouched(ctx.sql);
  await refreshIdentifiers(ctx.sql);
}

export async function followMoves(ctx: IngestContext): Promise<void> {
  ctx.counters.moved_across_sources = await followCrossSourceMoves(ctx.sql, ctx);
}

export async function scoreCandidates(ctx: IngestContext): Promise<void> {
  ctx.counters.duplicate_candidates = (await scoreDuplicateCandidates(ctx.sql)).open;
}
