import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { AppError } from '@/lib/errors';
import type { Db } from './client';

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Extensions the migrations create: pg_trgm indexes search by any part (migration 0007). */
export const REQUIRED_EXTENSIONS = ['pg_trgm'] as const;

/**
 * Fails with one line naming what the server lacks, before a migration would fail half-way with
 * PostgreSQL's "could not open extension control file". The embedded PostgreSQL ships pg_trgm; a distro
 * server has it in its contrib package.
 */
export async function assertExtensionsAvailable(
  db: Db,
  names: readonly string[] = REQUIRED_EXTENSIONS,
): Promise<void> {
  const r = await db.execute<{ name: string }>(
    sql`select name from pg_available_extensions where name in (${sql.join(
      names.map((n) => sql`${n}`),
      sql`, `,
    )})`,
  );
  const have = new Set(r.rows.map((x) => x.name));
  const missing = names.filter((n) => !have.has(n));
  if (!missing.length) return;
  const version = await db.execute<{ v: string }>(sql`show server_version`);
  throw new AppError(
    'DATABASE_EXTENSION_MISSING',
    `PostgreSQL ${version.rows[0]?.v ?? ''} lacks the extension${missing.length > 1 ? 's' : ''} ` +
      `${missing.join(', ')} (needed for search by any part); install the server's contrib package ` +
      `(Debian/Ubuntu: postgresql-contrib, RHEL: postgresql-contrib) or use the embedded PostgreSQL`,
    { status: 503 },
  );
}

/** Applies pending migrations (a no-op when there are none). */
export async function migrateDatabase(db: Db): Promise<void> {
  await assertExtensionsAvailable(db);
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
