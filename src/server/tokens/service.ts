// Personal API tokens: the token is shown once at creation; only its sha256 is stored (src/server/auth).
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { generateApiToken } from '@/server/auth/session';
import { audit, type Actor } from '../users/actor';

export type TokenRow = {
  id: string;
  userId: string;
  username: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

const COLUMNS = sql.raw(
  't.id, t.user_id as "userId", (select username from users u where u.id = t.user_id) as username, ' +
    't.name, t.prefix, t.created_at as "createdAt", ' +
    't.last_used_at as "lastUsedAt", t.expires_at as "expiresAt", t.revoked_at as "revokedAt"',
);

/** One user's tokens, or (userId null: an admin's overview) everyone's. */
export async function listTokens(db: Db, userId: string | null, p: { limit: number; offset: number }) {
  const where = userId ? sql`where t.user_id = ${userId}` : sql``;
  const [items, total] = await Promise.all([
    db.execute<TokenRow>(sql`select ${COLUMNS} from api_tokens t ${where}
      order by t.created_at desc, t.id limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from api_tokens t ${where}`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

export async function createToken(
  db: Db,
  actor: Actor,
  userId: string,
  input: { name: string; expiresInDays?: number },
): Promise<TokenRow & { token: string }> {
  const { token, prefix, tokenHash } = generateApiToken();
  const expires = input.expiresInDays
    ? sql`now() + make_interval(days => ${input.expiresInDays}::int)`
    : sql`null`;
  return db.transaction(async (tx) => {
    const r = await tx.execute<TokenRow>(sql`
      insert into api_tokens as t (user_id, name, prefix, token_hash, expires_at)
      values (${userId}, ${input.name}, ${prefix}, ${tokenHash}, ${expires}) returning ${COLUMNS}`);
    const row = r.rows[0]!;
    await audit(tx, actor, 'token.create', { type: 'api_token', id: row.id }, { name: input.name, prefix });
    return { ...row, token };
  });
}

/** Revokes one of the caller's tokens (an admin may revoke anyone's). Revoking twice is harmless. */
export async function revokeToken(
  db: Db,
  actor: Actor,
  id: string,
  opts: { userId: string; isAdmin: boolean },
) {
  return db.transaction(async (tx) => {
    const own = opts.isAdmin ? sql`` : sql`and user_id = ${opts.userId}`;
    const r = await tx.execute<TokenRow>(sql`
      update api_tokens t set revoked_at = coalesce(revoked_at, now()) where id = ${id} ${own} returning ${COLUMNS}`);
    if (!r.rows[0]) throw new AppError('NOT_FOUND', 'token not found');
    await audit(tx, actor, 'token.revoke', { type: 'api_token', id }, { ownerUserId: r.rows[0].userId });
    return r.rows[0];
  });
}
