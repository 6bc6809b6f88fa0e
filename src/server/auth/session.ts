// Sessions and API tokens: the one resolver every route handler (through route()) and every page uses.
// The cookie holds `<token>.<hmac>`; the database holds only sha256(token).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiTokens, sessions, users } from '@/db/schema';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { deriveKey, hmac } from './secret-key';

export const SESSION_COOKIE = 'al_session';
// editor: a user who may also write asserted facts (ledger values, bulk edit, import); no configuration.
export type Role = 'admin' | 'editor' | 'user';
export type RequiredRole = 'user' | 'editor' | 'admin';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  mustChangePassword: boolean;
}

export interface Session {
  /** How the caller authenticated: browser session cookie or API token. */
  kind: 'cookie' | 'token';
  user: SessionUser;
  /** sha256 of the cookie token or the API token (the primary key of its row). */
  tokenHash: string;
  /** The api_tokens.id when kind is 'token'. */
  apiTokenId?: string;
  expiresAt: Date | null;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const cookieKey = () => deriveKey('session-cookie-v1');

export function signCookieValue(token: string): string {
  return `${token}.${hmac(cookieKey(), token)}`;
}

/** Returns the token inside a signed cookie value, or null for anything unsigned or forged. */
export function verifyCookieValue(value: string): string | null {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const token = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(hmac(cookieKey(), token));
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

export function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[name] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

export function sessionCookie(value: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export const clearSessionCookie = (secure: boolean) => sessionCookie('', { maxAgeSeconds: 0, secure });

const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  mustChangePassword: users.mustChangePassword,
};

/** Creates a session row and returns the Set-Cookie value for it. */
export async function createSession(
  db: Db,
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null; secure: boolean },
): Promise<{ cookie: string; expiresAt: Date; tokenHash: string }> {
  const ttlSeconds = getConfig().SESSION_TTL_HOURS * 3600;
  const token = randomBytes(32).toString('base64url');
  const tokenHash = sha256(token);
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  await db.insert(sessions).values({
    tokenHash,
    userId,
    expiresAt,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 400) ?? null,
  });
  // Expired sessions are cleaned up opportunistically; the index on expires_at keeps this cheap.
  await db.delete(sessions).where(sql`${sessions.expiresAt} < now() - interval '1 day'`);
  return {
    cookie: sessionCookie(signCookieValue(token), { maxAgeSeconds: ttlSeconds, secure: meta.secure }),
    expiresAt,
    tokenHash,
  };
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** API tokens are `alt_<random>`; only sha256 is stored, `prefix` is shown in lists. */
export function generateApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = `alt_${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, 12), tokenHash: sha256(token) };
}

async function sessionFromCookie(db: Db, cookieValue: string): Promise<Session | null> {
  const token = verifyCookieValue(cookieValue);
  if (!token) return null;
  const tokenHash = sha256(token);
  const [row] = await db
    .select({ ...userColumns, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, sql`now()`), eq(users.enabled, true)),
    )
    .limit(1);
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.tokenHash, tokenHash));
  }
  const { expiresAt, lastSeenAt: _l, ...user } = row;
  return { kind: 'cookie', user, tokenHash, expiresAt };
}

async function sessionFromBearer(db: Db, token: string): Promise<Session | null> {
  const tokenHash = sha256(token);
  const [row] = await db
    .select({
      ...userColumns,
      tokenId: apiTokens.id,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
        eq(users.enabled, true),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiTokens.id, row.tokenId));
  }
  const { tokenId, expiresAt, lastUsedAt: _l, ...user } = row;
  return { kind: 'token', user, tokenHash, apiTokenId: tokenId, expiresAt };
}

/**
 * The session of a request, from `Authorization: Bearer <api token>` or the session cookie; null when
 * anonymous. A Bearer header that does not resolve makes the request anonymous (it never falls back to
 * the cookie), so a script with a revoked token gets 401, not someone else's session.
 */
export async function resolveSession(db: Db, headers: Headers): Promise<Session | null> {
  const auth = headers.get('authorization');
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? sessionFromBearer(db, m[1]!) : null;
  }
  const value = parseCookies(headers.get('cookie'))[SESSION_COOKIE];
  return value ? sessionFromCookie(db, value) : null;
}

export function roleAllows(role: Role, required: RequiredRole): boolean {
  if (required === 'user') return true;
  if (required === 'editor') return role === 'editor' || role === 'admin';
  return role === 'admin';
}

/** Throws AUTH_REQUIRED (401) or AUTH_FORBIDDEN (403); returns the session narrowed to non-null. */
export function requireRole(session: Session | null, required: RequiredRole): Session {
  if (!session) throw new AppError('AUTH_REQUIRED', 'Sign in to use this endpoint');
  if (!roleAllows(session.user.role, required)) {
    throw new AppError('AUTH_FORBIDDEN', `This needs the ${required} role`);
  }
  return session;
}
