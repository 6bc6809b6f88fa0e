// Login, logout and password change: the service behind /api/v1/auth/*. Every attempt is audited.
import { and, eq, gt, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditEvents, sessions, users } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { recordAudit } from '@/server/audit';
import { burnVerifyTime, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password';
import { createSession, type Session, type SessionUser } from './session';

// Failed logins allowed per window, counted from the audit log so every web instance shares the limit.
export const LOGIN_WINDOW_MINUTES = 15;
export const LOGIN_MAX_FAILURES_PER_USER = 10;
export const LOGIN_MAX_FAILURES_PER_IP = 50;

interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  secure: boolean;
}

async function recentFailures(
  db: Db,
  username: string,
  ip: string | null,
): Promise<{ user: number; ip: number }> {
  const since = sql`now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})`;
  const [row] = await db
    .select({
      user: sql<number>`count(*) filter (where ${auditEvents.actorLabel} = ${username})::int`,
      ip: sql<number>`count(*) filter (where ${auditEvents.ip} = ${ip ?? ''})::int`,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, 'auth.login'),
        eq(auditEvents.outcome, 'failure'),
        gt(auditEvents.ts, since),
        or(eq(auditEvents.actorLabel, username), eq(auditEvents.ip, ip ?? '')),
      ),
    );
  return { user: row?.user ?? 0, ip: row?.ip ?? 0 };
}

export async function login(
  db: Db,
  input: { username: string; password: string },
  meta: RequestMeta,
): Promise<{ user: SessionUser; cookie: string; expiresAt: Date }> {
  const username = input.username.trim().toLowerCase();
  const failures = await recentFailures(db, username, meta.ip);
  if (failures.user >= LOGIN_MAX_FAILURES_PER_USER || failures.ip >= LOGIN_MAX_FAILURES_PER_IP) {
    await recordAudit(db, {
      action: 'auth.login',
      outcome: 'denied',
      actorLabel: username,
      ip: meta.ip,
      requestId: meta.requestId,
      details: { reason: 'rate_limited' },
    });
    throw new AppError(
      'RATE_LIMITED',
      `Too many failed sign-ins; try again in ${LOGIN_WINDOW_MINUTES} minutes`,
    );
  }

  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = ${username}`)
    .limit(1);
  const ok = row ? row.enabled && (await verifyPassword(row.passwordHash, input.password)) : false;
  if (!row) await burnVerifyTime(input.password);
  if (!row || !ok) {
    await recordAudit(db, {
      action: 'auth.login',
      outcome: 'failure',
      actorUserId: row?.id ?? null,
      actorLabel: username,
      ip: meta.ip,
      requestId: meta.requestId,
      details: { reason: !row ? 'unknown_user' : row.enabled ? 'wrong_password' : 'disabled' },
    });
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'Wrong user name or password');
  }

  const session = await createSession(db, row.id, meta);
  await db
    .update(users)
    .set({ lastLoginAt: sql`now()` })
    .where(eq(users.id, row.id));
  await recordAudit(db, {
    action: 'auth.login',
    actorUserId: row.id,
    actorLabel: username,
    ip: meta.ip,
    requestId: meta.requestId,
  });
  return {
    user: {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      mustChangePassword: row.mustChangePassword,
    },
    cookie: session.cookie,
    expiresAt: session.expiresAt,
  };
}

export async function logout(db: Db, session: Session, meta: { ip: string | null; requestId: string }) {
  if (session.kind === 'cookie') {
    await db.delete(sessions).where(eq(sessions.tokenHash, session.tokenHash));
  }
  await recordAudit(db, {
    action: 'auth.logout',
    actorUserId: session.user.id,
    actorLabel: session.user.username,
    ip: meta.ip,
    requestId: meta.requestId,
  });
}

/** Changes the caller's own password; other sessions of the user are ended. */
export async function changePassword(
  db: Db,
  session: Session,
  input: { currentPassword: string; newPassword: string },
  meta: { ip: string | null; requestId: string },
): Promise<void> {
  const [row] = await db.select().from(users).where(eq(users.id, session.user.id)).limit(1);
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await recordAudit(db, {
      action: 'auth.password_change',
      outcome: 'failure',
      actorUserId: session.user.id,
      actorLabel: session.user.username,
      ip: meta.ip,
      requestId: meta.requestId,
    });
    throw new AppError('AUTH_INVALID_CREDENTIALS', 'The current password is wrong');
  }
  if (input.newPassword.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('VALIDATION_FAILED', `body.newPassword: at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', 'body.newPassword: must differ from the current password');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, updatedAt: sql`now()` })
      .where(eq(users.id, row.id));
    await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, row.id), sql`${sessions.tokenHash} <> ${session.tokenHash}`));
    await recordAudit(tx, {
      action: 'auth.password_change',
      actorUserId: row.id,
      actorLabel: row.username,
      ip: meta.ip,
      requestId: meta.requestId,
    });
  });
}
