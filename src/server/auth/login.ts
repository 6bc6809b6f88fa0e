// Login, logout and password change: the service behind /api/v1/auth/*. Every attempt is audited.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { sessions, users } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { recordAudit } from '@/server/audit';
import { revokeUserTokens } from '@/server/tokens/revoke-user-tokens';
import {
  claimLoginAttempt,
  IP_POLICY,
  registerLoginSuccess,
  sleep,
  USER_POLICY,
} from '@/server/login-protection';
import { burnVerifyTime, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password';
import { createSession, type Session, type SessionUser } from './session';

// Sign-in attempts are counted per user name and per client address in login_throttles (one upsert per
// key, before the password is checked, shared by every web instance): slowed past a few failures,
// refused (429) for a while past the limit. See src/server/login-protection.
export const LOGIN_WINDOW_MINUTES = USER_POLICY.windowSeconds / 60;
export const LOGIN_MAX_FAILURES_PER_USER = USER_POLICY.lockAfter;
export const LOGIN_MAX_FAILURES_PER_IP = IP_POLICY.lockAfter;

interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  secure: boolean;
}

export async function login(
  db: Db,
  input: { username: string; password: string },
  meta: RequestMeta,
): Promise<{ user: SessionUser; cookie: string; expiresAt: Date }> {
  const username = input.username.trim().toLowerCase();
  const gate = await claimLoginAttempt(db, { ip: meta.ip, username });
  if (gate.locked) {
    await recordAudit(db, {
      action: 'auth.login',
      outcome: 'denied',
      actorLabel: username,
      ip: meta.ip,
      requestId: meta.requestId,
      details: { reason: 'rate_limited', locked_by: gate.by, retry_after_seconds: gate.retryAfterSeconds },
    });
    throw new AppError(
      'RATE_LIMITED',
      `Too many failed sign-ins; try again in ${Math.ceil(gate.retryAfterSeconds / 60)} minute(s)`,
      { details: { retryAfterSeconds: gate.retryAfterSeconds } },
    );
  }
  // Past a few failures every attempt waits (doubling, capped) before the password is even checked.
  if (gate.delayMs > 0) await sleep(gate.delayMs);

  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = ${username}`)
    .limit(1);
  const ok = row ? row.enabled && (await verifyPassword(row.passwordHash, input.password)) : false;
  if (!row) await burnVerifyTime(input.password);
  if (!row || !ok) {
    // The attempt is already counted; if it was the last one allowed, the lock begins now.
    for (const by of gate.locksIfWrong) {
      await recordAudit(db, {
        action: 'auth.lockout',
        outcome: 'denied',
        actorUserId: row?.id ?? null,
        actorLabel: username,
        ip: meta.ip,
        requestId: meta.requestId,
        details: { locked_by: by, failures: by === 'user' ? gate.userAttempts : gate.ipAttempts },
      });
    }
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

  await registerLoginSuccess(db, { ip: meta.ip, username });
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

/** Changes the caller's own password; other sessions of the user are ended and all its API tokens revoked. */
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
    const tokensRevoked = await revokeUserTokens(tx, row.id);
    await recordAudit(tx, {
      action: 'auth.password_change',
      actorUserId: row.id,
      actorLabel: row.username,
      ip: meta.ip,
      requestId: meta.requestId,
      details: { tokensRevoked },
    });
  });
}
