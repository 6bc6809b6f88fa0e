// `npm run reset-password -- [USERNAME] [--enable]`: a new password for someone who lost theirs — above all
// the first admin, whose password `npm start` prints only once. Prints a generated password once; as with an
// admin's reset in the UI, it must be changed at the next sign-in, the user's sessions end and their API
// tokens are revoked, and the reset is audited. USERNAME defaults to admin; --enable also enables a
// disabled account.
//
// The database is DATABASE_URL's, else the embedded one: the one `npm start` is running (found through its
// data directory), or, when nothing runs, the embedded cluster started for the moment and stopped again.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { closeDb, createDb } from '@/db/client';
import { embeddedClusterExists, runningEmbeddedUrl, startEmbeddedPostgres } from '@/db/embedded';
import { loadConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { systemActor } from '@/server/users/actor';
import { resetPassword, updateUser } from '@/server/users/service';
import { checkDatabaseReachable, fatal } from './cli';

const USAGE = 'usage: npm run reset-password -- [USERNAME] [--enable]   (USERNAME defaults to admin)';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { enable: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${(err as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return;
  }
  if (parsed.positionals.length > 1) throw new AppError('VALIDATION_FAILED', USAGE);
  const username = parsed.positionals[0] ?? 'admin';
  const config = loadConfig();

  const cluster = path.join(config.dataDir, 'pg');
  let url = config.DATABASE_URL ?? runningEmbeddedUrl(cluster);
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    if (!embeddedClusterExists(cluster))
      throw new AppError(
        'CONFIG_INVALID',
        `No database yet: neither DATABASE_URL nor an embedded database in ${cluster} (run npm start first)`,
      );
    const embedded = await startEmbeddedPostgres({ dataDir: cluster });
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  try {
    await checkDatabaseReachable(url);
    const db = createDb(url, { max: 2, applicationName: 'asset-ledger-reset-password' });
    try {
      const found = await db.execute<{ id: string; enabled: boolean }>(
        sql`select id, enabled from users where username = ${username}`,
      );
      const user = found.rows[0];
      if (!user) {
        const names = await db.execute<{ username: string }>(
          sql`select username from users where role = 'admin' order by username limit 10`,
        );
        throw new AppError(
          'NOT_FOUND',
          `No user named "${username}". Admins: ${names.rows.map((r) => r.username).join(', ') || 'none'}`,
        );
      }
      const actor = systemActor('reset-password (command line)');
      const { generatedPassword } = await resetPassword(db, actor, user.id);
      if (parsed.values.enable && !user.enabled) await updateUser(db, actor, user.id, { enabled: true });
      console.log(
        [
          `New password for "${username}" (shown only this once): ${generatedPassword}`,
          'It must be changed at the next sign-in; the user’s sessions ended and their API tokens were revoked.',
          ...(!user.enabled && !parsed.values.enable
            ? [`"${username}" is disabled: run again with --enable to enable it.`]
            : []),
          ...(!user.enabled && parsed.values.enable ? [`"${username}" is enabled again.`] : []),
        ].join('\n'),
      );
    } finally {
      await closeDb(db);
    }
  } finally {
    await stopEmbedded?.();
  }
}

main().catch(fatal);
