// Each test file gets its own database, created from the server in DATABASE_URL and migrated.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, closeDb, type Db } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';

export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: test/global-setup.ts should have provided one');
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = serverUrl();
  const name = `al_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(base, name);
  const db = createDb(url, { max: 5, applicationName: 'asset-ledger-test' });
  if (options.migrate !== false) await migrateDatabase(db);
  return {
    url,
    name,
    db,
    async drop() {
      await closeDb(db).catch(() => {});
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
