// Finish: what the counters say together (the steps count what they did; the rest was unchanged).
import type { IngestContext } from '../context';

export function finish(ctx: IngestContext): void {
  const c = ctx.counters;
  c.unchanged = c.assets - c.new - c.changed;
}
