// A password change or an admin reset revokes every API token of the user (issue 11 item 5): "reset
// password" must lock an intruder out, and a token minted with the old password is the intruder's.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';

/** Revokes the user's live tokens; returns how many. Run it in the transaction that changes the password. */
export async function revokeUserTokens(tx: Db | Tx, userId: string): Promise<number> {
  const r = await tx.execute<{ id: string }>(sql`
    update api_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null returning id`);
  return r.rows.length;
}
