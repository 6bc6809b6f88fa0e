// Dashboard reads: small aggregate queries, each on an indexed column.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export async function assetCounts(db: Db) {
  const r = await db.execute<{ kind: string; status: string; n: number }>(
    sql`select kind::text as kind, status::text as status, count(*)::int as n from assets where status <> 'merged' group by 1, 2`,
  );
  const out: Record<string, { active: number; offline: number }> = {
    host: { active: 0, offline: 0 },
    cluster: { active: 0, offline: 0 },
    vm: { active: 0, offline: 0 },
  };
  for (const row of r.rows) {
    const k = (out[row.kind] ??= { active: 0, offline: 0 });
    if (row.status === 'active' || row.status === 'offline') k[row.status] = row.n;
  }
  return out;
}

/** Finished runs per UTC day for the last 7 days (today included), oldest first. */
export async function runsPerDay(db: Db) {
  const r = await db.execute<{ day: string; succeeded: number; failed: number }>(sql`
    select to_char(d.day, 'YYYY-MM-DD') as day,
           count(r.id) filter (where r.status = 'succeeded')::int as succeeded,
           count(r.id) filter (where r.status = 'failed')::int as failed
    from generate_series((now() at time zone 'UTC')::date - 6, (now() at time zone 'UTC')::date, interval '1 day') as d(day)
    left join runs r on r.created_at >= d.day::timestamp at time zone 'UTC'
                    and r.created_at < (d.day + interval '1 day')::timestamp at time zone 'UTC'
                    and r.status in ('succeeded', 'failed')
    group by d.day order by d.day`);
  return r.rows;
}

export type FailingSource = {
  source_id: string;
  source_name: string;
  run_id: string;
  mode: string;
  finished_at: Date | null;
  error_code: string | null;
  error_message: string | null;
  errors: unknown[];
};

/** Sources (not deleted) whose latest finished run, in any mode, failed. */
export async function failingSources(db: Db): Promise<FailingSource[]> {
  const r = await db.execute<FailingSource>(sql`
    select s.id as source_id, s.name as source_name, lr.id as run_id, lr.mode::text as mode, lr.finished_at,
           lr.error_code, lr.error_message, lr.errors
    from sources s
    cross join lateral (
      select r.id, r.mode, r.status, r.finished_at, r.error_code, r.error_message, r.errors from runs r
      where r.source_id = s.id and r.status in ('succeeded', 'failed', 'cancelled')
      order by r.created_at desc limit 1) lr
    where s.deleted_at is null and lr.status = 'failed'
    order by lr.finished_at desc nulls last limit 50`);
  return r.rows;
}

export async function activeRunCount(db: Db): Promise<number> {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from runs where status in ('queued', 'running')`,
  );
  return r.rows[0]!.n;
}
