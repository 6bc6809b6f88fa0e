// The getting-started path of an empty installation: credential → source → schedule group → first run.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export type SetupProgress = { credentials: number; sources: number; groups: number; succeededRuns: number };

export async function setupProgress(db: Db): Promise<SetupProgress> {
  const r = await db.execute<SetupProgress>(sql`
    select (select count(*)::int from credentials) as credentials,
           (select count(*)::int from sources where deleted_at is null) as sources,
           (select count(*)::int from schedule_groups) as groups,
           (select count(*)::int from runs where status = 'succeeded') as "succeededRuns"`);
  return r.rows[0]!;
}
