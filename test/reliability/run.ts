// `npm run reliability`: faults and load against the real parts — PostgreSQL (DATABASE_URL's server for
// scratch databases, plus a throwaway embedded cluster for the restart rows), the project's vCenter
// simulator, and the app's own processes (src/bin/worker.ts, src/bin/scheduler.ts, src/bin/start.ts).
// Prints one table — fault or load | expected | observed | data lost | pass — and exits non-zero if any
// row fails. `npm run reliability -- <name>…` runs only the scenarios whose name contains a word given.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@/db/embedded';
import { resetConfig } from '@/lib/config';
import { createContext, type Context } from './context';
import type { Row } from './harness';
import { apiLoadAndFuzz } from './scenarios/api';
import { databaseReadOnly, postgresRestarts } from './scenarios/database';
import { fuzzCollector } from './scenarios/fuzz';
import { pluginFaults } from './scenarios/plugin-faults';
import { manySourcesTwoWorkers, twoSchedulers } from './scenarios/scheduling';
import { vcenterFaults } from './scenarios/vcenter-faults';
import { workerKilledDuringIngest, workerKilledDuringPlugin } from './scenarios/worker-kill';

interface Scenario {
  name: string;
  run: (ctx: Context) => Promise<Row | Row[]>;
}

const SCENARIOS: Scenario[] = [
  { name: 'kill-plugin', run: workerKilledDuringPlugin },
  { name: 'kill-ingest', run: workerKilledDuringIngest },
  { name: 'plugin-faults', run: pluginFaults },
  { name: 'vcenter-faults', run: vcenterFaults },
  { name: 'postgres-restart', run: postgresRestarts },
  { name: 'database-read-only', run: databaseReadOnly },
  { name: 'two-schedulers', run: twoSchedulers },
  { name: 'twenty-sources', run: manySourcesTwoWorkers },
  { name: 'fuzz-collector', run: fuzzCollector },
  { name: 'api-load-fuzz', run: apiLoadAndFuzz },
];

function printTable(rows: Row[]): void {
  const header = ['fault or load', 'expected', 'observed', 'data lost', 'pass'];
  const cells = rows.map((r) => [
    r.fault,
    r.expected,
    r.observed,
    String(r.dataLost),
    r.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<number> {
  const started = Date.now();
  // Runs the harness enqueues get 2 attempts (a retry is visible, the table stays quick).
  process.env.RUN_MAX_ATTEMPTS ??= '2';
  resetConfig();
  const only = process.argv.slice(2);
  const say = (m: string) =>
    console.error(`[reliability ${((Date.now() - started) / 1000).toFixed(0)} s] ${m}`);
  let stopPg = async () => {};
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-ledger-rel-pg-'));
    fs.chmodSync(dir, 0o755);
    const pgh = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: 0, persistent: false });
    serverUrl = pgh.serverUrl;
    stopPg = async () => {
      await pgh.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const ctx = await createContext(serverUrl, say);
  const rows: Row[] = [];
  try {
    for (const sc of SCENARIOS) {
      if (only.length && !only.some((o) => sc.name.includes(o))) continue;
      const t0 = Date.now();
      say(`${sc.name}…`);
      try {
        const out = await sc.run(ctx);
        rows.push(...(Array.isArray(out) ? out : [out]));
      } catch (err) {
        rows.push({
          fault: sc.name,
          expected: 'the scenario completes',
          observed: `harness error: ${(err as Error).message.slice(0, 300)}`,
          dataLost: 0,
          pass: false,
        });
      }
      say(`${sc.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    for (const c of ctx.cleanup.reverse()) await c().catch(() => {});
    await stopPg();
  }
  console.log(`\nReliability (${((Date.now() - started) / 1000).toFixed(0)} s wall)\n`);
  printTable(rows);
  const failed = rows.filter((r) => !r.pass).length;
  console.log(failed ? `\n${failed} of ${rows.length} rows FAILED` : `\nall ${rows.length} rows pass`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
