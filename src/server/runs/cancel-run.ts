// Cancels a run (issue 15 item 5). A queued run is cancelled at once. A running run is flagged: its worker
// looks at the flag about once a second, kills the plugin's process group, rolls back the ingest
// transaction (nothing is ingested) and ends the run `cancelled`. A finished run cannot be cancelled.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { audit, type Actor } from '@/server/users/actor';
import { getRun } from './queries';
import type { RunRow } from './types';

export async function cancelRun(db: Db, actor: Actor, id: string): Promise<RunRow> {
  const before = await getRun(db, id); // NOT_FOUND for an unknown id
  const outcome = await db.transaction(async (tx) => {
    const queued = await tx.execute(sql`
      update runs set status = 'cancelled', finished_at = now(), cancel_requested_at = now(),
        error_code = 'RUN_CANCELLED', error_message = 'the run was cancelled before it started',
        progress = jsonb_build_object('phase', 'cancelled'), worker_id = null, heartbeat_at = null
      where id = ${id} and status = 'queued' returning id`);
    const running = queued.rowCount
      ? undefined
      : await tx.execute(sql`
          update runs set cancel_requested_at = coalesce(cancel_requested_at, now())
          where id = ${id} and status = 'running' returning id`);
    const result = queued.rowCount ? 'cancelled' : running?.rowCount ? 'cancel_requested' : undefined;
    if (result)
      await audit(
        tx,
        actor,
        'run.cancel',
        { type: 'run', id },
        { source_id: before.source_id, mode: before.mode, previous_status: before.status, result },
      );
    return result;
  });
  if (!outcome) {
    const now = await getRun(db, id);
    throw new AppError(
      'CONFLICT',
      `the run has already finished (${now.status}); there is nothing to cancel`,
    );
  }
  return getRun(db, id);
}
