// Finish: the counters only the working tables know at the end of the run.
import type { IngestContext } from '../context';

export async function finish(ctx: IngestContext): Promise<void> {
  const [cb] = await ctx.sql.query<{ n: number }>(
    `select count(*)::int as n from _presence where change = 'came_back'`,
  );
  const c = ctx.counters;
  c.came_back = cb!.n;
  c.unchanged = c.assets - c.new - c.changed;
}
