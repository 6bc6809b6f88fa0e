// Last: a complete run saw every present link of its kinds and every active relation of its types, and
// records that once per (source, kind / type) in `source_scans` (the steps before read the previous scan to
// stamp what went missing or inactive; see ../last-seen.ts).
import type { IngestContext } from '../context';

export async function stampScans(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, kinds, relTypes } = ctx;
  if (ctx.inventoryComplete)
    await sql.query(
      `insert into source_scans (source_id, subject, run_id, seen_at)
       select $1, unnest($2::text[]), $3, $4
       on conflict (source_id, subject) do update set run_id = excluded.run_id, seen_at = excluded.seen_at`,
      [sourceId, [...kinds, ...relTypes], runId, now],
    );
}
