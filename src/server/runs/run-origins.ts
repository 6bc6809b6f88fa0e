// Who or what started runs — the user who asked, the schedule group whose "Run now" or schedule fired —
// for the runs list and the run page.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export type RunOrigin = {
  requestedByName: string | null;
  groupId: string | null;
  groupName: string | null;
};

export async function getRunOrigins(
  db: Db,
  runs: { id: string; requestedBy: string | null; scheduleGroupId: string | null }[],
): Promise<Record<string, RunOrigin>> {
  const userIds = [...new Set(runs.map((r) => r.requestedBy).filter((x): x is string => Boolean(x)))];
  const groupIds = [...new Set(runs.map((r) => r.scheduleGroupId).filter((x): x is string => Boolean(x)))];
  const list = (ids: string[]) =>
    sql.join(
      ids.map((u) => sql`${u}::uuid`),
      sql`, `,
    );
  const [users, groups] = await Promise.all([
    userIds.length
      ? db.execute<{ id: string; name: string }>(
          sql`select id, coalesce(display_name, username) as name from users where id in (${list(userIds)})`,
        )
      : Promise.resolve({ rows: [] as { id: string; name: string }[] }),
    groupIds.length
      ? db.execute<{ id: string; name: string }>(
          sql`select id, name from schedule_groups where id in (${list(groupIds)})`,
        )
      : Promise.resolve({ rows: [] as { id: string; name: string }[] }),
  ]);
  const userName = new Map(users.rows.map((u) => [u.id, u.name]));
  const groupName = new Map(groups.rows.map((g) => [g.id, g.name]));
  return Object.fromEntries(
    runs.map((r) => [
      r.id,
      {
        requestedByName: r.requestedBy ? (userName.get(r.requestedBy) ?? null) : null,
        groupId: r.scheduleGroupId,
        groupName: r.scheduleGroupId ? (groupName.get(r.scheduleGroupId) ?? null) : null,
      },
    ]),
  );
}

/** Runs queued or running anywhere (the runs page refreshes itself while there are any). */
export async function countActiveRuns(db: Db): Promise<number> {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from runs where status in ('queued', 'running')`,
  );
  return r.rows[0]!.n;
}

/** Sources to filter by (live ones, by name). */
export async function listSourceNames(db: Db): Promise<{ id: string; name: string }[]> {
  const r = await db.execute<{ id: string; name: string }>(
    sql`select id, name from sources where deleted_at is null order by lower(name) limit 500`,
  );
  return r.rows;
}
