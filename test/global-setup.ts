// Provides DATABASE_URL to every test file: the one given, else an embedded PostgreSQL started here for
// this run (temporary data directory, free port) and stopped at teardown. Each file then creates its own
// database on that server (test/db.ts).
//
// It also holds the run's contract log: route() appends every response that does not match its OpenAPI
// declaration (src/server/http/contract.ts), and teardown fails the run if there is any, naming each
// operation and field — even when the test that provoked it asserted nothing about the response.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { CONTRACT_LOG_ENV } from '../src/server/http/contract';

export function contractLogProblems(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const seen = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { violations: string[] };
    for (const v of entry.violations) seen.add(v);
  }
  return [...seen];
}

export default async function setup(): Promise<() => Promise<void>> {
  const contractDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-ledger-contract-'));
  const contractLog = path.join(contractDir, 'violations.jsonl');
  process.env[CONTRACT_LOG_ENV] = contractLog;
  const checkContract = () => {
    const problems = contractLogProblems(contractLog);
    fs.rmSync(contractDir, { recursive: true, force: true });
    if (problems.length) {
      throw new Error(
        `${problems.length} API response(s) did not match the OpenAPI document (src/server/http/contract.ts):\n` +
          problems.map((p) => `  - ${p}`).join('\n'),
      );
    }
  };
  if (process.env.DATABASE_URL) return async () => checkContract();
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
    checkContract();
  };
}
