// `npm run db:migrate`: applies pending migrations to DATABASE_URL (a no-op when there are none).
import { closeDb, createDb } from '@/db/client';
import { loadConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/logger';
import { checkDatabaseReachable, fatal, migrateWithLock } from './cli';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    throw new AppError(
      'CONFIG_INVALID',
      'Invalid configuration: DATABASE_URL must be set for db:migrate (npm start migrates the embedded database itself)',
    );
  }
  await checkDatabaseReachable(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL, { max: 2, applicationName: 'asset-ledger-migrate' });
  const started = Date.now();
  try {
    await migrateWithLock(db);
  } finally {
    await closeDb(db);
  }
  createLogger('migrate').info('migrations_applied', { duration_ms: Date.now() - started });
}

main().catch(fatal);
