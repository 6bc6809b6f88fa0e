// User administration (admin) and changing one's own password. Passwords are hashed by src/server/auth.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { generatePassword, hashPassword } from '@/server/auth/password';
import { audit, rethrowUnique, type Actor } from './actor';
import { revokeUserTokens } from '@/server/tokens/revoke-user-tokens';

export type UserRow = {
  id: string;
  username: string;
  displayName: string | null;
  role: 'admin' | 'editor' | 'user';
  enabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = sql.raw(
  'u.id, u.username, u.display_name as "displayName", u.role, u.enabled, ' +
    'u.must_change_password as "mustChangePassword", u.last_login_at as "lastLoginAt", ' +
    'u.created_at as "createdAt", u.updated_at as "updatedAt"',
);

export async function listUsers(db: Db, p: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    db.execute<UserRow>(
      sql`select ${COLUMNS} from users u order by lower(u.username) limit ${p.limit} offset ${p.offset}`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n from users`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

export async function getUser(db: Db, id: string): Promise<UserRow> {
  const r = await db.execute<UserRow>(sql`select ${COLUMNS} from users u where u.id = ${id}`);
  if (!r.rows[0]) throw new AppError('NOT_FOUND', 'user not found');
  return r.rows[0];
}

export async function createUser(
  db: Db,
  actor: Actor,
  input: {
    username: string;
    displayName?: string | null;
    role: 'admin' | 'editor' | 'user';
    password?: string;
  },
): Promise<UserRow & { generatedPassword?: string }> {
  const generated = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? generated!);
  return db.transaction(async (tx) => {
    let id: string;
    try {
      const r = await tx.execute<{ id: string }>(sql`
        insert into users (username, display_name, role, password_hash, must_change_password)
        values (${input.username}, ${input.displayName ?? null}, ${input.role}, ${passwordHash}, true)
        returning id`);
      id = r.rows[0]!.id;
    } catch (err) {
      rethrowUnique(err, 'body.username', `a user named '${input.username}'`);
    }
    await audit(
      tx,
      actor,
      'user.create',
      { type: 'user', id },
      { username: input.username, role: input.role },
    );
    const r = await tx.execute<UserRow>(sql`select ${COLUMNS} from users u where u.id = ${id}`);
    return { ...r.rows[0]!, ...(generated ? { generatedPassword: generated } : {}) };
  });
}

/** Demoting or disabling the last enabled admin would lock everyone out of administration. */
async function assertAnotherAdmin(db: Db | Tx, id: string) {
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from users where role = 'admin' and enabled and id <> ${id}`,
  );
  if (r.rows[0]!.n === 0) {
    throw new AppError('CONFLICT', 'this is the last enabled admin: make another admin first');
  }
}

export async function updateUser(
  db: Db,
  actor: Actor,
  id: string,
  input: { displayName?: string | null; role?: 'admin' | 'editor' | 'user'; enabled?: boolean },
): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const cur = await tx.execute<UserRow>(sql`select ${COLUMNS} from users u where u.id = ${id} for update`);
    const before = cur.rows[0];
    if (!before) throw new AppError('NOT_FOUND', 'user not found');
    const losesAdmin =
      before.role === 'admin' &&
      before.enabled &&
      ((input.role !== undefined && input.role !== 'admin') || input.enabled === false);
    if (losesAdmin) {
      // Serialize admin demotions so two concurrent ones cannot both pass the check.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('asset-ledger:admins'))`);
      await assertAnotherAdmin(tx, id);
    }
    const sets = [sql`updated_at = now()`];
    if (input.displayName !== undefined) sets.push(sql`display_name = ${input.displayName}`);
    if (input.role !== undefined) sets.push(sql`role = ${input.role}`);
    if (input.enabled !== undefined) sets.push(sql`enabled = ${input.enabled}`);
    await tx.execute(sql`update users set ${sql.join(sets, sql`, `)} where id = ${id}`);
    // A disabled user is signed out everywhere at once (tokens stop working via users.enabled).
    if (input.enabled === false) await tx.execute(sql`delete from sessions where user_id = ${id}`);
    const changes: Record<string, unknown> = {};
    for (const k of ['displayName', 'role', 'enabled'] as const) {
      if (input[k] !== undefined && input[k] !== before[k]) changes[k] = { old: before[k], new: input[k] };
    }
    await audit(tx, actor, 'user.update', { type: 'user', id }, { changes });
    const r = await tx.execute<UserRow>(sql`select ${COLUMNS} from users u where u.id = ${id}`);
    return r.rows[0]!;
  });
}

/**
 * Admin reset: sets a new password (given or generated), forces a change at next login, ends sessions and
 * revokes the user's API tokens.
 */
export async function resetPassword(
  db: Db,
  actor: Actor,
  id: string,
  password?: string,
): Promise<{ generatedPassword?: string }> {
  const generated = password ? undefined : generatePassword();
  const hash = await hashPassword(password ?? generated!);
  await db.transaction(async (tx) => {
    const r = await tx.execute(sql`
      update users set password_hash = ${hash}, must_change_password = true, updated_at = now()
      where id = ${id} returning id`);
    if (!r.rows[0]) throw new AppError('NOT_FOUND', 'user not found');
    await tx.execute(sql`delete from sessions where user_id = ${id}`);
    const tokensRevoked = await revokeUserTokens(tx, id);
    await audit(tx, actor, 'user.password_reset', { type: 'user', id }, { tokensRevoked });
  });
  return generated ? { generatedPassword: generated } : {};
}
