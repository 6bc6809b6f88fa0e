// Login protection (DESIGN §10): sign-in attempts are counted per client address and per user name in a
// window. Past `slowAfter` failures each attempt is delayed (doubling); past `lockAfter` the key is refused
// with 429 until the lock expires.
//
// The gate is atomic (issue 11 item 3: 60 parallel guesses had 38 passwords checked against a limit of
// 10, because the gate was read before the failure was counted). Every attempt is counted *before* its
// password is checked, by one upsert per key that returns the attempt's number in the window: only
// attempts numbered up to `lockAfter` are checked, however many arrive at once. A success then takes
// its attempt back (the user name's counter is cleared, the address's decremented).
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
  | {
      locked: false;
      delayMs: number;
      /** The keys whose lock begins if this attempt fails (it was the last one allowed). */
      locksIfWrong: ('user' | 'ip')[];
      userAttempts: number;
      ipAttempts: number;
    }
  | { locked: true; retryAfterSeconds: number; by: 'user' | 'ip' };

type Policies = { user: LoginPolicy; ip: LoginPolicy };
const DEFAULT_POLICIES: Policies = { user: USER_POLICY, ip: IP_POLICY };

function delayFor(failures: number, p: LoginPolicy): number {
  if (failures < p.slowAfter) return 0;
  return Math.min(p.baseDelayMs * 2 ** (failures - p.slowAfter), p.maxDelayMs);
}

/**
 * Counts one attempt against a key and returns its number in the window. One statement: the row lock of
 * the upsert orders concurrent attempts, so each gets its own number. The lock starts with the
 * `lockAfter`-th attempt (taken back if that attempt succeeds); attempts during a lock are counted too.
 */
async function countAttempt(db: Db, key: string, p: LoginPolicy): Promise<{ n: number; retry: number }> {
  // A window that has passed, or a lock that has expired, starts counting again from one.
  const restart = sql`(t.window_started_at < now() - make_interval(secs => ${p.windowSeconds}::int) or t.locked_until <= now())`;
  const next = sql`(case when ${restart} then 1 else t.failures + 1 end)`;
  const lock = sql`now() + make_interval(secs => ${p.lockSeconds}::int)`;
  const r = await db.execute<{ n: number; retry: number | null }>(sql`
    insert into login_throttles as t (key, failures, window_started_at, last_failure_at, locked_until)
    values (${key}, 1, now(), now(), case when 1 >= ${p.lockAfter}::int then ${lock} end)
    on conflict (key) do update set
      failures = ${next},
      window_started_at = case when ${restart} then now() else t.window_started_at end,
      last_failure_at = now(),
      locked_until = case
        when t.locked_until > now() then t.locked_until
        when ${next} >= ${p.lockAfter}::int then ${lock}
        else null end
    returning failures as n,
              case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::int end as retry`);
  const row = r.rows[0]!;
  return { n: row.n, retry: Math.max(1, row.retry ?? 1) };
}

/**
 * Before verifying a password: counts this attempt, then says whether it is refused (429) or how long it
 * waits. At most `lockAfter` attempts per user name (and per address) in a window get their password
 * checked, whatever the concurrency.
 */
export async function claimLoginAttempt(
  db: Db,
  s: LoginSubject,
  policies: Policies = DEFAULT_POLICIES,
): Promise<LoginGate> {
  const user = await countAttempt(db, userKey(s.username), policies.user);
  // No address known (no proxy header): only the user name is counted. An unknown address is not a
  // bucket: lumping every such client together would let one lock them all.
  const ip = s.ip ? await countAttempt(db, ipKey(s.ip), policies.ip) : null;
  if (user.n > policies.user.lockAfter) return { locked: true, retryAfterSeconds: user.retry, by: 'user' };
  if (ip && ip.n > policies.ip.lockAfter) return { locked: true, retryAfterSeconds: ip.retry, by: 'ip' };
  const locksIfWrong: ('user' | 'ip')[] = [];
  if (user.n === policies.user.lockAfter) locksIfWrong.push('user');
  if (ip && ip.n === policies.ip.lockAfter) locksIfWrong.push('ip');
  return {
    locked: false,
    // The delay follows the failures before this attempt.
    delayMs: Math.max(delayFor(user.n - 1, policies.user), ip ? delayFor(ip.n - 1, policies.ip) : 0),
    locksIfWrong,
    userAttempts: user.n,
    ipAttempts: ip?.n ?? 0,
  };
}

/**
 * After a successful login the attempt is taken back: the account's counter is cleared; the address's is
 * decremented (it may be guessing other names), lifting a lock that this very attempt started.
 */
export async function registerLoginSuccess(
  db: Db,
  s: LoginSubject,
  policies: Policies = DEFAULT_POLICIES,
): Promise<void> {
  await db.execute(sql`delete from login_throttles where key = ${userKey(s.username)}`);
  if (!s.ip) return;
  await db.execute(sql`
    update login_throttles set
      failures = greatest(failures - 1, 0),
      locked_until = case when failures - 1 < ${policies.ip.lockAfter}::int then null else locked_until end
    where key = ${ipKey(s.ip)}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
