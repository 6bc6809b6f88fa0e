// Runs of one source ingest one at a time (a hosts run and a VMs run touch the same relations and assets).
// Taken after staging, which writes only this connection's working tables: a run that is still streaming
// from its collector does not hold up another run of its source. Under the lock, the planner statistics
// of the shared tables are brought up to the run's size where they are far behind, and the staged tables
// analyzed (see ../working-tables.ts).
import type { IngestContext } from '../context';
import { analyzeStaged } from '../working-tables';

export async function lockSource(ctx: IngestContext): Promise<void> {
  await ctx.sql.query(`select pg_advisory_xact_lock(hashtext('asset-ledger:ingest:' || $1::text))`, [
    ctx.sourceId,
  ]);
  await ctx.sql.query(analyzeStaged(ctx.counters.assets, ctx.state.stagedRelations));
}
