// Ignoring a duplicate candidate: the pair stays ignored whatever later runs find (scoring never reopens it).
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { audit, type Actor } from '@/server/users/actor';
import { getDuplicateCandidate } from './list-duplicate-candidates';

export async function ignoreCandidate(db: Db, actor: Actor, id: string) {
  await db.transaction(async (tx) => {
    const r = await tx.execute<{ status: string }>(
      sql`update duplicate_candidates set status = 'ignored', resolved_at = now(), resolved_by = ${actor.userId},
            updated_at = now()
          where id = ${id} and status <> 'merged' returning status`,
    );
    if (!r.rows[0]) {
      const exists = await tx.execute(sql`select 1 from duplicate_candidates where id = ${id}`);
      if (!exists.rows[0]) throw new AppError('NOT_FOUND', 'duplicate candidate not found');
      throw new AppError('CONFLICT', 'this candidate was merged already', { details: { reason: 'decided' } });
    }
    await audit(tx, actor, 'duplicate_candidate.ignore', { type: 'duplicate_candidate', id });
  });
  return getDuplicateCandidate(db, id);
}
