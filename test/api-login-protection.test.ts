// Login protection: failures per user name and per address are slowed, then refused with 429 for a while,
// and audited — through the service with a fast policy, and through the real login route.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import * as loginRoute from '@/app/api/v1/auth/login/route';
import {
  checkLogin,
  ipKey,
  registerLoginFailure,
  registerLoginSuccess,
  userKey,
  USER_POLICY,
  type LoginPolicy,
} from '@/server/login-protection';
import { call, createUser, setupApiTest } from './api';
import type { TestDatabase } from './db';

let t: TestDatabase;
beforeAll(async () => {
  t = await setupApiTest();
  await createUser({ username: 'gina', password: 'gina-password-1' });
});
afterAll(async () => t?.drop());

const fast: LoginPolicy = {
  windowSeconds: 60,
  slowAfter: 2,
  lockAfter: 4,
  lockSeconds: 60,
  baseDelayMs: 100,
  maxDelayMs: 400,
};
const policies = { user: fast, ip: { ...fast, slowAfter: 3, lockAfter: 6 } };

describe('login protection service', () => {
  it('per user: slowed after slowAfter failures (doubling, capped), locked at lockAfter', async () => {
    const s = { ip: '192.0.2.1', username: 'Victim' };
    const delays: number[] = [];
    let lockedAt = -1;
    for (let i = 1; i <= 4; i++) {
      const r = await registerLoginFailure(getDb(), s, policies);
      if (r.lockedNow.includes('user')) lockedAt = i;
      const g = await checkLogin(getDb(), s, policies);
      delays.push(g.locked ? -1 : g.delayMs);
    }
    expect(delays).toEqual([0, 100, 200, -1]);
    expect(lockedAt).toBe(4);
    const g = await checkLogin(getDb(), { ip: '198.51.100.7', username: 'VICTIM' }, policies);
    expect(g).toMatchObject({ locked: true, by: 'user' });
    expect((g as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(50);
  });

  it('an expired lock starts counting from one again; success clears the user counter', async () => {
    await getDb().execute(
      sql`update login_throttles set locked_until = now() - interval '1 second' where key = ${userKey('victim')}`,
    );
    const s = { ip: '192.0.2.99', username: 'victim' };
    expect(await checkLogin(getDb(), s, policies)).toEqual({ locked: false, delayMs: 0 });
    expect((await registerLoginFailure(getDb(), s, policies)).userFailures).toBe(1);
    await registerLoginSuccess(getDb(), s);
    const r = await getDb().execute(sql`select 1 from login_throttles where key = ${userKey('victim')}`);
    expect(r.rows).toHaveLength(0);
  });

  it('per address: many user names from one address lock the address', async () => {
    const ip = '203.0.113.5';
    for (let i = 0; i < 6; i++) await registerLoginFailure(getDb(), { ip, username: `guess-${i}` }, policies);
    expect(await checkLogin(getDb(), { ip, username: 'someone-new' }, policies)).toMatchObject({
      locked: true,
      by: 'ip',
    });
    expect(await checkLogin(getDb(), { ip: '203.0.113.6', username: 'someone-new' }, policies)).toMatchObject(
      {
        locked: false,
      },
    );
    const row = await getDb().execute<{ failures: number }>(
      sql`select failures from login_throttles where key = ${ipKey(ip)}`,
    );
    expect(row.rows[0]!.failures).toBe(6);
  });
});

describe('login route', () => {
  it('repeated failures are slowed, then refused with 429 even with the right password; all audited', async () => {
    const headers = { 'x-forwarded-for': '198.51.100.20' };
    const timings: number[] = [];
    for (let i = 0; i < USER_POLICY.lockAfter; i++) {
      const started = performance.now();
      const res = await call(loginRoute.POST, {
        body: { username: 'gina', password: `wrong-${i}` },
        headers,
      });
      timings.push(performance.now() - started);
      expect(res.status).toBe(401);
    }
    // The attempts after slowAfter failures waited at least the policy's delay.
    expect(timings[USER_POLICY.slowAfter]!).toBeGreaterThanOrEqual(USER_POLICY.baseDelayMs - 5);
    const res = await call(loginRoute.POST, {
      body: { username: 'gina', password: 'gina-password-1' },
      headers,
    });
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    const audit = await getDb().execute<{ action: string; outcome: string; ip: string }>(sql`
      select action, outcome, ip from audit_events where actor_label = 'gina' order by id`);
    const seen = audit.rows.map((a) => `${a.action}:${a.outcome}`);
    expect(seen.filter((s) => s === 'auth.login:failure')).toHaveLength(USER_POLICY.lockAfter);
    expect(seen).toContain('auth.lockout:denied');
    expect(seen.at(-1)).toBe('auth.login:denied');
    expect(audit.rows.every((a) => a.ip === '198.51.100.20')).toBe(true);
  });
});
