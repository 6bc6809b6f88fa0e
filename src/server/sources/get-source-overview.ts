// What a source's page and the dashboard show about collections: the last successful run per mode, the
// assets the source holds, its recent runs.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export type LastSuccess = { sourceId: string; mode: string; runId: string; finishedAt: string };

const COLLECT_MODES = sql`('collect', 'collect_hosts', 'collect_vms')`;

/** The last successful run of each (source, mode); collect modes only unless `allModes`. */
export async function listLastSuccesses(
  db: Db,
  opts: { sourceId?: string; allModes?: boolean } = {},
): Promise<LastSuccess[]> {
  const r = await db.execute<{ sourceId: string; mode: string; runId: string; finishedAt: Date }>(sql`
    select distinct on (r.source_id, r.mode) r.source_id as "sourceId", r.mode::text as mode, r.id as "runId",
           r.finished_at as "finishedAt"
    from runs r join sources s on s.id = r.source_id and s.deleted_at is null
    where r.status = 'succeeded' and r.finished_at is not null
      ${opts.sourceId ? sql`and r.source_id = ${opts.sourceId}` : sql``}
      ${opts.allModes ? sql`` : sql`and r.mode::text in ${COLLECT_MODES}`}
    order by r.source_id, r.mode, r.finished_at desc`);
  return r.rows.map((x) => ({ ...x, finishedAt: new Date(x.finishedAt).toISOString() }));
}

export type SourceAssetCounts = Record<string, { present: number; missing: number }>;

/** Assets linked to a source, per kind, present and offline (missing from its latest inventory). */
export async function countSourceAssets(db: Db, sourceId: string): Promise<SourceAssetCounts> {
  const r = await db.execute<{ kind: string; presence: string; n: number }>(sql`
    select a.kind::text as kind, l.presence::text as presence, count(*)::int as n
    from asset_source_links l join assets a on a.uuid = l.asset_uuid
    where l.source_id = ${sourceId} group by 1, 2`);
  const out: SourceAssetCounts = {};
  for (const row of r.rows) {
    const c = (out[row.kind] ??= { present: 0, missing: 0 });
    if (row.presence === 'present') c.present += row.n;
    else c.missing += row.n;
  }
  return out;
}
