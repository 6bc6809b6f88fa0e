// The first admin: created once, when the users table is empty.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { recordAudit } from '@/server/audit';
import { generatePassword, hashPassword } from './password';

export const FIRST_ADMIN_USERNAME = 'admin';

export type BootstrapResult =
  { created: false } | { created: true; username: string; password: string | null; generated: boolean };

/**
 * Creates `admin` if there is no user at all. The password comes from ASSET_LEDGER_ADMIN_PASSWORD, else it
 * is generated and returned once (the caller prints it) and must be changed at first sign-in.
 */
export async function ensureFirstAdmin(db: Db, options: { password?: string }): Promise<BootstrapResult> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(users)) as [{ n: number }];
  if (n > 0) return { created: false };
  const generated = !options.password;
  const password = options.password ?? generatePassword();
  const inserted = await db
    .insert(users)
    .values({
      username: FIRST_ADMIN_USERNAME,
      displayName: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(password),
      mustChangePassword: generated,
    })
    // Two processes starting at once: the unique index on lower(username) lets only one win.
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (inserted.length === 0) return { created: false };
  await recordAudit(db, {
    action: 'user.bootstrap_admin',
    actorLabel: 'system',
    targetType: 'user',
    targetId: inserted[0]!.id,
    details: { generated_password: generated },
  });
  return { created: true, username: FIRST_ADMIN_USERNAME, password: generated ? password : null, generated };
}
