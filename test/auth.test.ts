// Login, sessions, roles and API tokens against a real PostgreSQL, through the real route handlers.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { apiTokens, auditEvents, sessions, users } from '@/db/schema';
import { generateApiToken, sha256, SESSION_COOKIE } from '@/server/auth/session';
import { LOGIN_MAX_FAILURES_PER_USER } from '@/server/auth/login';
import { POST as loginRoute } from '@/app/api/v1/auth/login/route';
import { POST as logoutRoute } from '@/app/api/v1/auth/logout/route';
import { GET as meRoute } from '@/app/api/v1/auth/me/route';
import { POST as passwordRoute } from '@/app/api/v1/auth/password/route';
import { GET as usersRoute } from '@/app/api/v1/users/route';
import { call, cookieFrom, createUser, setupApiTest } from './api';
import type { TestDatabase } from './db';

let t: TestDatabase;
beforeAll(async () => {
  t = await setupApiTest();
  await createUser({ username: 'alice', password: 'alice-password-1', role: 'admin' });
  await createUser({ username: 'bob', password: 'bob-password-1', role: 'user' });
  await createUser({ username: 'carol', password: 'carol-password-1', role: 'user', enabled: false });
});
afterAll(async () => t?.drop());

const login = (username: string, password: string) => call(loginRoute, { body: { username, password } });

describe('login', () => {
  it('right password: 200, a signed httpOnly SameSite=Lax cookie, and a session row holding only the hash', async () => {
    const res = await login('alice', 'alice-password-1');
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+\\.[^;]+;`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const body = await res.json();
    expect(body.user).toMatchObject({ username: 'alice', role: 'admin' });
    const token = cookieFrom(res).split('=')[1]!.split('.')[0]!;
    const rows = await getDb()
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, sha256(token)));
    expect(rows).toHaveLength(1);
    const me = await call(meRoute, { cookie: cookieFrom(res) });
    expect(me.status).toBe(200);
    expect((await me.json()).user.username).toBe('alice');
  });

  it('user names are case-insensitive', async () => {
    expect((await login('ALICE', 'alice-password-1')).status).toBe(200);
  });

  it('wrong password: 401 AUTH_INVALID_CREDENTIALS and no cookie; the attempt is audited', async () => {
    const res = await login('alice', 'wrong-password');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toEqual({
      error: { code: 'AUTH_INVALID_CREDENTIALS', message: 'Wrong user name or password' },
    });
    const audit = await getDb().select().from(auditEvents).where(eq(auditEvents.outcome, 'failure'));
    expect(audit.some((a) => a.action === 'auth.login' && a.actorLabel === 'alice')).toBe(true);
  });

  it('unknown user and disabled user get the same 401', async () => {
    for (const [u, p] of [
      ['nobody', 'whatever-1'],
      ['carol', 'carol-password-1'],
    ]) {
      const res = await login(u!, p!);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('AUTH_INVALID_CREDENTIALS');
    }
  });

  it('missing fields: 400 VALIDATION_FAILED naming the field', async () => {
    const res = await call(loginRoute, { body: { username: 'alice' } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain('body.password');
  });

  it('is rate-limited per user name after repeated failures', async () => {
    await createUser({ username: 'dave', password: 'dave-password-1' });
    for (let i = 0; i < LOGIN_MAX_FAILURES_PER_USER; i++) {
      expect((await login('dave', `wrong-${i}`)).status).toBe(401);
    }
    const res = await login('dave', 'dave-password-1');
    expect(res.status).toBe(429);
    expect((await res.json()).error.code).toBe('RATE_LIMITED');
  });
});

describe('session cookie', () => {
  it('an unsigned cookie is rejected with 401 AUTH_REQUIRED', async () => {
    const ok = await login('bob', 'bob-password-1');
    const token = cookieFrom(ok).split('=')[1]!.split('.')[0]!;
    const res = await call(meRoute, { cookie: `${SESSION_COOKIE}=${token}` });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('AUTH_REQUIRED');
  });

  it('a forged signature is rejected, even for a token that exists', async () => {
    const ok = await login('bob', 'bob-password-1');
    const [token, sig] = cookieFrom(ok).split('=')[1]!.split('.');
    const forgedSig = (sig![0] === 'A' ? 'B' : 'A') + sig!.slice(1);
    expect((await call(meRoute, { cookie: `${SESSION_COOKIE}=${token}.${forgedSig}` })).status).toBe(401);
    expect((await call(meRoute, { cookie: `${SESSION_COOKIE}=made-up.token` })).status).toBe(401);
  });

  it('a cookie signed with another key is rejected', async () => {
    const ok = await login('bob', 'bob-password-1');
    const value = cookieFrom(ok);
    const saved = process.env.ASSET_LEDGER_SECRET_KEY;
    const { resetConfig } = await import('@/lib/config');
    try {
      process.env.ASSET_LEDGER_SECRET_KEY = 'ab'.repeat(32);
      resetConfig();
      expect((await call(meRoute, { cookie: value })).status).toBe(401);
    } finally {
      process.env.ASSET_LEDGER_SECRET_KEY = saved;
      resetConfig();
    }
    expect((await call(meRoute, { cookie: value })).status).toBe(200);
  });

  it('an expired session is rejected', async () => {
    const ok = await login('bob', 'bob-password-1');
    const token = cookieFrom(ok).split('=')[1]!.split('.')[0]!;
    await getDb()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.tokenHash, sha256(token)));
    expect((await call(meRoute, { cookie: cookieFrom(ok) })).status).toBe(401);
  });

  it('logout deletes the session and clears the cookie', async () => {
    const ok = await login('bob', 'bob-password-1');
    const out = await call(logoutRoute, { cookie: cookieFrom(ok) });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await call(meRoute, { cookie: cookieFrom(ok) })).status).toBe(401);
  });

  it('a cookie-authenticated write from another origin is refused', async () => {
    const ok = await login('bob', 'bob-password-1');
    const res = await call(logoutRoute, {
      cookie: cookieFrom(ok),
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    const same = await call(logoutRoute, { cookie: cookieFrom(ok), headers: { origin: 'http://localhost' } });
    expect(same.status).toBe(204);
  });
});

describe('roles', () => {
  it('anonymous is refused a user route with 401 and an admin route with 401', async () => {
    expect((await call(meRoute)).status).toBe(401);
    const res = await call(usersRoute);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('AUTH_REQUIRED');
  });

  it('the user role is refused an admin-only route with 403 AUTH_FORBIDDEN', async () => {
    const ok = await login('bob', 'bob-password-1');
    const res = await call(usersRoute, { cookie: cookieFrom(ok) });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('AUTH_FORBIDDEN');
  });

  it('an admin may use the admin-only route', async () => {
    const ok = await login('alice', 'alice-password-1');
    const res = await call(usersRoute, { cookie: cookieFrom(ok), url: '/api/v1/users?limit=2' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ limit: 2, offset: 0 });
    expect(body.total).toBeGreaterThanOrEqual(4);
    expect(body.items).toHaveLength(2);
  });
});

describe('API tokens', () => {
  it('a Bearer token authenticates as its user; a revoked one does not', async () => {
    const [alice] = await getDb().select().from(users).where(eq(users.username, 'alice'));
    const { token, prefix, tokenHash } = generateApiToken();
    const [row] = await getDb()
      .insert(apiTokens)
      .values({ userId: alice!.id, name: 'script', prefix, tokenHash })
      .returning();
    const me = await call(meRoute, { token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ authenticatedBy: 'token' });
    await getDb().update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, row!.id));
    expect((await call(meRoute, { token })).status).toBe(401);
    expect((await call(meRoute, { token: 'alt_not-a-token' })).status).toBe(401);
  });
});

describe('password change', () => {
  it('needs the current password, clears must-change, and ends other sessions', async () => {
    await createUser({ username: 'erin', password: 'erin-password-1' });
    const a = cookieFrom(await login('erin', 'erin-password-1'));
    const b = cookieFrom(await login('erin', 'erin-password-1'));
    const wrong = await call(passwordRoute, {
      cookie: a,
      body: { currentPassword: 'nope-nope', newPassword: 'erin-password-2' },
    });
    expect(wrong.status).toBe(401);
    const ok = await call(passwordRoute, {
      cookie: a,
      body: { currentPassword: 'erin-password-1', newPassword: 'erin-password-2' },
    });
    expect(ok.status).toBe(204);
    expect((await call(meRoute, { cookie: a })).status).toBe(200);
    expect((await call(meRoute, { cookie: b })).status).toBe(401);
    expect((await login('erin', 'erin-password-2')).status).toBe(200);
  });
});
