// The one database access layer: a pg Pool wrapped by Drizzle. Services take a `Db` so tests can pass theirs.
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import * as schema from './schema';
import { Rfc3339Client } from './timestamps';

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function createDb(url: string, options: { max?: number; applicationName?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? 'asset-ledger',
    // Raw sql`` rows carry timestamps as RFC 3339 like the API (src/db/timestamps.ts).
    Client: Rfc3339Client,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  // Nor may a checked-out one's (a transaction held across awaits, as ingest does): without a listener its
  // 'error' event is thrown. The query in flight still fails, and the pool drops the client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return drizzle(pool, { schema }) as Db;
}

const globalKey = Symbol.for('asset-ledger.db');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Db };

/** The process-wide database, from DATABASE_URL (set by start-up in embedded mode). */
export function getDb(): Db {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) {
    const url = getConfig().DATABASE_URL ?? process.env.DATABASE_URL;
    if (!url) throw new AppError('DATABASE_UNAVAILABLE', 'DATABASE_URL is not set');
    g[globalKey] = createDb(url);
  }
  return g[globalKey]!;
}

export async function closeDb(db: Db): Promise<void> {
  await db.$client.end();
}

export { schema };
