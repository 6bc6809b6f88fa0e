// Provides DATABASE_URL to every test file: the one given, else an embedded PostgreSQL started here for
// this run (temporary data directory, free port) and stopped at teardown. Each file then creates its own
// database on that server (test/db.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded';

export default async function setup(): Promise<void | (() => Promise<void>)> {
  if (process.env.DATABASE_URL) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-ledger-test-pg-'));
  // The postgres user (when tests run as root) must reach the cluster inside.
  fs.chmodSync(dir, 0o755);
  const started = Date.now();
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: 0, persistent: false });
  process.env.DATABASE_URL = pg.serverUrl;
  process.stderr.write(
    `test/global-setup: embedded PostgreSQL on port ${pg.port} (${Date.now() - started} ms); set DATABASE_URL to use another server\n`,
  );
  return async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
