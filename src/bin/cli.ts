// Shared by the process entry points (start, migrate, worker, scheduler): one-line fatal errors, a bounded
// database reachability check, migrations under a lock, and the main of a standalone loop process.
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { closeDb, getDb, type Db } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { getConfig } from '@/lib/config';
import { isAppError, AppError } from '@/lib/errors';
import { createLogger, type Logger } from '@/lib/logger';

export const DB_CONNECT_TIMEOUT_MS = 8_000;

/** Prints one line (no stack trace) for a failure an operator can fix, and exits non-zero. */
export function fatal(err: unknown): never {
  const message = isAppError(err) ? err.message : err instanceof Error ? err.message : String(err);
  process.stderr.write(`asset-ledger: ${message}\n`);
  if (!isAppError(err) && err instanceof Error && process.env.LOG_LEVEL === 'debug') {
    process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
}

/** Where a URL points, without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/** Fails within DB_CONNECT_TIMEOUT_MS with DATABASE_UNAVAILABLE naming the server and the cause. */
export async function checkDatabaseReachable(url: string, variable = 'DATABASE_URL'): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.query('select 1')),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${DB_CONNECT_TIMEOUT_MS / 1000} s`)),
          DB_CONNECT_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = (e as Error).message || code || 'unknown error';
    throw new AppError(
      'DATABASE_UNAVAILABLE',
      `Cannot reach PostgreSQL at ${variable} (${describeUrl(url)}): ${reason}`,
    );
  } finally {
    clearTimeout(timer);
    void client.end().catch(() => {});
  }
}

// Several processes may start at once (start + extra workers): one migrates, the others wait for it.
const MIGRATION_LOCK = 0x41_4c_4d_47; // "ALMG"

export async function migrateWithLock(db: Db): Promise<void> {
  const client = await db.$client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrateDatabase(db);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/** True when the module at `moduleUrl` is the script node was started with (not imported by start.ts). */
export function isMainModule(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1]!).href;
}

/**
 * The main of `npm run worker` / `npm run scheduler`: checks the configuration and the database, starts the
 * loop, and on SIGTERM/SIGINT stops it (once) before closing the database.
 */
export async function runLoopProcess(
  service: string,
  start: (db: Db, log: Logger) => { stop(): Promise<void> },
): Promise<void> {
  try {
    const url = getConfig().DATABASE_URL;
    if (!url) throw new AppError('CONFIG_INVALID', 'Invalid configuration: DATABASE_URL must be set');
    await checkDatabaseReachable(url);
  } catch (err) {
    fatal(err);
  }
  const db = getDb();
  const handle = start(db, createLogger(service));
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await handle.stop();
    await closeDb(db);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}
