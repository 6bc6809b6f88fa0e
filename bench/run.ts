// `npm run bench`: every benchmark in one go — collect (simulator, 10k VMs), ingest, API, end to end (worker +
// plugin at 10k/40k/100k VMs), duplicate candidates, ledger writes, search, export — each printing its
// table beside the floor it measures in the same run. Without DATABASE_URL an embedded PostgreSQL is used.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../src/db/embedded';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = [
  { name: 'collect', args: ['--import', 'tsx', 'bench/collect.ts'] },
  { name: 'ingest', args: ['--expose-gc', '--import', 'tsx', 'bench/ingest.ts'] },
  { name: 'api', args: ['--import', 'tsx', 'bench/api.ts'] },
  // End to end: worker + plugin at 10k / 40k / 100k VMs (BENCH_E2E_SIZES)
  { name: 'e2e', args: ['--import', 'tsx', 'bench/e2e.ts'] },
  // Duplicate candidates after a 10,000-VM run against 50,000 assets in three sources (issue 16)
  { name: 'identity', args: ['--import', 'tsx', 'bench/identity.ts'] },
  // Ledger writes: bulk edit and CSV import on 50,000 assets (issue 13)
  { name: 'ledger', args: ['--import', 'tsx', 'bench/ledger.ts'] },
  { name: 'search', args: ['--import', 'tsx', 'bench/search.ts'] },
  { name: 'export', args: ['--import', 'tsx', 'bench/export.ts'] },
];

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  let stop = async () => {};
  const env = { ...process.env };
  if (!env.DATABASE_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-ledger-bench-pg-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: 0, persistent: false });
    env.DATABASE_URL = pg.serverUrl;
    stop = async () => {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  let failed = 0;
  try {
    for (const suite of SUITES) {
      if (only.length && !only.includes(suite.name)) continue;
      console.log(`\n=== bench:${suite.name} ===`);
      const r = spawnSync(process.execPath, suite.args, { cwd: ROOT, env, stdio: 'inherit' });
      if (r.status !== 0) {
        failed++;
        console.log(`bench:${suite.name} exited with ${r.status ?? r.signal}`);
      }
    }
  } finally {
    await stop();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
