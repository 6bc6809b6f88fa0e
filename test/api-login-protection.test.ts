// Login protection: failures per user name and per address are slowed, then refused with 429 for a while,
// and audited — through the service with a fast policy, and through the real login route.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import * as loginRoute from '@/app/api/v1/auth/login/route';
import {
  claimLoginAttempt,
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
  it('per user: slowed after slowAfter failures (doubling, capped), refused past lockAfter', async () => {
    const s = { ip: '192.0.2.1', username: 'Victim' };
    const gates = [];
    for (let i = 1; i <= 5; i++) gates.push(await claimLoginAttempt(getDb(), s, policies));
    expect(gates.map((g) => (g.locked ? -1 : g.delayMs))).toEqual([0, 0, 100, 200, -1]);
    // The 4th attempt is the last one checked: if it is wrong, the lock has begun.
    expect(gates[3]).toMatchObject({ locked: false, locksIfWrong: ['user'] });
    const g = await claimLoginAttempt(getDb(), { ip: '198.51.100.7', username: 'VICTIM' }, policies);
    expect(g).toMatchObject({ locked: true, by: 'user' });
    expect((g as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(50);
  });

  it('an expired lock starts counting from one again; success clears the user counter', async () => {
    await getDb().execute(
      sql`update login_throttles set locked_until = now() - interval '1 second' where key = ${userKey('victim')}`,
    );
    const s = { ip: '192.0.2.99', username: 'victim' };
    expect(await claimLoginAttempt(getDb(), s, policies)).toMatchObject({
      locked: false,
      delayMs: 0,
      userAttempts: 1,
    });
    await registerLoginSuccess(getDb(), s, policies);
    const r = await getDb().execute(sql`select 1 from login_throttles where key = ${userKey('victim')}`);
    expect(r.rows).toHaveLength(0);
  });

  it('per address: many user names from one address lock the address; a success gives its attempt back', async () => {
    const ip = '203.0.113.5';
    for (let i = 0; i < 5; i++) await claimLoginAttempt(getDb(), { ip, username: `guess-${i}` }, policies);
    // The 6th attempt is the address's last; it succeeds, so it does not count and starts no lock.
    const sixth = await claimLoginAttempt(getDb(), { ip, username: 'gina' }, policies);
    expect(sixth).toMatchObject({ locked: false, locksIfWrong: ['ip'] });
    await registerLoginSuccess(getDb(), { ip, username: 'gina' }, policies);
    expect(await claimLoginAttempt(getDb(), { ip, username: 'guess-5' }, policies)).toMatchObject({
      locked: false,
      ipAttempts: 6,
    });
    expect(await claimLoginAttempt(getDb(), { ip, username: 'someone-new' }, policies)).toMatchObject({
      locked: true,
      by: 'ip',
    });
    expect(
      await claimLoginAttempt(getDb(), { ip: '203.0.113.6', username: 'someone-else' }, policies),
    ).toMatchObject({ locked: false });
  });

  it('is atomic: 60 concurrent attempts on one account, exactly lockAfter of them pass the gate', async () => {
    const s = { ip: null, username: 'race-target' };
    const gates = await Promise.all(
      Array.from({ length: 60 }, () => claimLoginAttempt(getDb(), s, policies)),
    );
    expect(gates.filter((g) => !g.locked)).toHaveLength(fast.lockAfter);
    const row = await getDb().execute<{ failures: number }>(
      sql`select failures from login_throttles where key = ${userKey('race-target')}`,
    );
    expect(row.rows[0]!.failures).toBe(60);
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

  it('60 parallel wrong guesses against one account: at most the limit of passwords are checked', async () => {
    await createUser({ username: 'hank', password: 'hank-password-1' });
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(loginRoute.POST, {
          body: { username: 'hank', password: `wrong-${i}` },
          headers: { 'x-forwarded-for': `198.51.100.${100 + (i % 50)}` },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(USER_POLICY.lockAfter);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - USER_POLICY.lockAfter);
    // One auth.login failure is audited per password checked.
    const checked = await getDb().execute<{ n: number }>(sql`
      select count(*)::int as n from audit_events
      where actor_label = 'hank' and action = 'auth.login' and outcome = 'failure'`);
    expect(checked.rows[0]!.n).toBe(USER_POLICY.lockAfter);
    const lockouts = await getDb().execute<{ n: number }>(sql`
      select count(*)::int as n from audit_events where actor_label = 'hank' and action = 'auth.lockout'`);
    expect(lockouts.rows[0]!.n).toBe(1);
  });
});
