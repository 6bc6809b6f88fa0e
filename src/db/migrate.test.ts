import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { assertExtensionsAvailable, migrateDatabase } from './migrate';
import { createTestDatabase, type TestDatabase } from '../../test/db';

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => t?.drop());

  it('apply to an empty database, and a second apply is a no-op', async () => {
    await migrateDatabase(t.db);
    const tables = await t.db.execute(
      sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
    );
    const first = (tables.rows[0] as { n: number }).n;
    expect(first).toBeGreaterThanOrEqual(13);
    const applied = await t.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    await migrateDatabase(t.db);
    const again = await t.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(again.rows[0]).toEqual(applied.rows[0]);
  });

  it('the search extension is installed; a server lacking one is named before any migration runs', async () => {
    const ext = await t.db.execute(sql`select extname from pg_extension where extname = 'pg_trgm'`);
    expect(ext.rows).toHaveLength(1);
    await expect(assertExtensionsAvailable(t.db, ['pg_trgm', 'no_such_extension'])).rejects.toThrow(
      /lacks the extension no_such_extension .*contrib/,
    );
  });
});
