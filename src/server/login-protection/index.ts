// Login protection (DESIGN §10): failed logins are counted per client address and per user name in a
// window. Past `slowAfter` failures each attempt is delayed (doubling); past `lockAfter` the key is refused
// with 429 until the lock expires. Counting is one upsert per key, so concurrent guesses cannot race past
// the limit.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

export interface LoginPolicy {
  windowSeconds: number;
  slowAfter: number;
  lockAfter: number;
  lockSeconds: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// An address is shared (NAT, a jump host), so it gets more room than one account.
export const USER_POLICY: LoginPolicy = {
  windowSeconds: 900,
  slowAfter: 5,
  lockAfter: 10,
  lockSeconds: 900,
  baseDelayMs: 250,
  maxDelayMs: 2000,
};
export const IP_POLICY: LoginPolicy = { ...USER_POLICY, slowAfter: 10, lockAfter: 30 };

export interface LoginSubject {
  ip: string | null | undefined;
  username: string;
}

export const userKey = (username: string) => `user:${username.trim().toLowerCase().slice(0, 200)}`;
export const ipKey = (ip: string | null | undefined) => `ip:${(ip || 'unknown').slice(0, 100)}`;

export type LoginGate =
  { locked: false; delayMs: number } | { locked: true; retryAfterSeconds: number; by: 'user' | 'ip' };

function delayFor(failures: number, p: LoginPolicy): number {
  if (failures < p.slowAfter) return 0;
  return Math.min(p.baseDelayMs * 2 ** (failures - p.slowAfter), p.maxDelayMs);
}

/** Before verifying a password: is this attempt refused (429), or how long should it be slowed? */
export async function checkLogin(
  db: Db,
  s: LoginSubject,
  policies: { user: LoginPolicy; ip: LoginPolicy } = { user: USER_POLICY, ip: IP_POLICY },
): Promise<LoginGate> {
  const uk = userKey(s.username);
  // No address known (no proxy header): only the user name is checked.
  const ik = s.ip ? ipKey(s.ip) : uk;
  const r = await db.execute<{ key: string; failures: number; retry: number | null; fresh: boolean }>(sql`
    select key, failures,
           case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::int end as retry,
           (window_started_at >= now() - make_interval(secs => case when key = ${uk}
              then ${policies.user.windowSeconds}::int else ${policies.ip.windowSeconds}::int end)
            -- an expired lock means the next failure starts counting from one
            and (locked_until is null or locked_until > now())) as fresh
    from login_throttles where key in (${uk}, ${ik})`);
  let delayMs = 0;
  for (const row of r.rows) {
    const isUser = row.key === uk;
    if (row.retry && row.retry > 0) {
      return { locked: true, retryAfterSeconds: row.retry, by: isUser ? 'user' : 'ip' };
    }
    if (row.fresh) delayMs = Math.max(delayMs, delayFor(row.failures, isUser ? policies.user : policies.ip));
  }
  return { locked: false, delayMs };
}

async function bump(db: Db, key: string, p: LoginPolicy): Promise<{ failures: number; lockedNow: boolean }> {
  // A window that has passed, or a lock that has expired, starts counting again from one.
  const restart = sql`(t.window_started_at < now() - make_interval(secs => ${p.windowSeconds}::int) or t.locked_until <= now())`;
  const next = sql`(case when ${restart} then 1 else t.failures + 1 end)`;
  const r = await db.execute<{ failures: number; locked_now: boolean }>(sql`
    insert into login_throttles as t (key, failures, window_started_at, last_failure_at, locked_until)
    values (${key}, 1, now(), now(),
            case when 1 >= ${p.lockAfter}::int then now() + make_interval(secs => ${p.lockSeconds}::int) end)
    on conflict (key) do update set
      failures = ${next},
      window_started_at = case when ${restart} then now() else t.window_started_at end,
      last_failure_at = now(),
      locked_until = case
        when t.locked_until > now() then t.locked_until
        when ${next} >= ${p.lockAfter}::int then now() + make_interval(secs => ${p.lockSeconds}::int)
        else null end
    returning failures, (locked_until > now() and failures = ${p.lockAfter}::int) as locked_now`);
  const row = r.rows[0]!;
  return { failures: row.failures, lockedNow: row.locked_now };
}

/** After a wrong password (or an unknown user): counts against both keys; says whether a lock began. */
export async function registerLoginFailure(
  db: Db,
  s: LoginSubject,
  policies: { user: LoginPolicy; ip: LoginPolicy } = { user: USER_POLICY, ip: IP_POLICY },
): Promise<{ userFailures: number; ipFailures: number; lockedNow: ('user' | 'ip')[] }> {
  const u = await bump(db, userKey(s.username), policies.user);
  // An unknown address is not a bucket: lumping every such client together would let one slow them all.
  const i = s.ip ? await bump(db, ipKey(s.ip), policies.ip) : { failures: 0, lockedNow: false };
  const lockedNow: ('user' | 'ip')[] = [];
  if (u.lockedNow) lockedNow.push('user');
  if (i.lockedNow) lockedNow.push('ip');
  return { userFailures: u.failures, ipFailures: i.failures, lockedNow };
}

/** After a successful login the account's counter is cleared (the address's is not: it may be guessing). */
export async function registerLoginSuccess(db: Db, s: LoginSubject): Promise<void> {
  await db.execute(sql`delete from login_throttles where key = ${userKey(s.username)}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
