// "The database is not there" as opposed to "this query is wrong": connection refused or lost, the server
// shutting down or starting up, too many connections, the pool's connect timeout. route() answers these
// 503 DATABASE_UNAVAILABLE (retry later) instead of 500 INTERNAL (issue 11 item 6). Drizzle wraps the
// driver's error in `cause`, so the whole chain is looked at.

// Socket-level failures (Node's errno codes).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

// SQLSTATE classes 08 (connection exception) and 57P0x (operator intervention: shutdown, crash, cannot
// connect now), 53300 too_many_connections, 25006 read_only_sql_transaction (a standby after failover).
const SQLSTATE = /^(08...|57P0[1-4]|53300|25006)$/;

// pg and pg-pool signal these with a plain Error and no code.
const MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /^Client has encountered a connection error/i,
  /Cannot use a pool after calling end/i,
  /^connect (ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH)/,
];

/**
 * The database refused a write because it is read-only (SQLSTATE 25006): a standby after a failover, or a
 * database set `default_transaction_read_only`. Also "unavailable" above; this names the cause.
 */
export function isDatabaseReadOnly(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    if ((e as { code?: unknown }).code === '25006') return true;
  }
  return false;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    // AggregateError (a host name resolving to several addresses, all refused).
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}
