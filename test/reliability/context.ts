// What every scenario of the reliability suite gets: the PostgreSQL server to make scratch databases on,
// the shared simulator, and the ledger of a clean run against it (the reference for "the ledger equals a
// clean run's").
import { sql } from 'drizzle-orm';
import type { RunMode } from '@/collector/contract';
import { triggerRun } from '@/server/runs/trigger';
import { createSource } from '../pipeline-helpers';
import { startVcsim, type Vcsim } from '../vcsim.js'; // .js: test/vcsim/ (a directory) would shadow test/vcsim.ts
import { Proc, appEnv, ledgerDigest, scratchDatabase, waitFinal, type Scratch } from './harness';

export interface Context {
  /** postgres://… of a server where scratch databases may be created (never restarted by the suite). */
  serverUrl: string;
  /** The simulator the ledger comparisons collect from (2 clusters × 3 hosts, 150 VMs each). */
  sim: Vcsim;
  cleanDigest(): Promise<{ digest: string; rows: number }>;
  cleanup: (() => Promise<void>)[];
  say(msg: string): void;
}

export async function createContext(serverUrl: string, say: (m: string) => void): Promise<Context> {
  const sim = await startVcsim({ clusters: 2, hostsPerCluster: 3, vmsPerCluster: 150 });
  let clean: Promise<{ digest: string; rows: number }> | undefined;
  const ctx: Context = {
    serverUrl,
    sim,
    cleanup: [() => sim.stop()],
    say,
    cleanDigest() {
      clean ??= cleanRun(ctx);
      return clean;
    },
  };
  return ctx;
}

/** A source on the shared simulator with the suite's test credential. */
export async function simSource(scratch: Scratch, sim: Vcsim, config: Record<string, unknown> = {}) {
  return createSource(scratch.db, {
    config: { endpoint: sim.endpoint, insecure: true, ...config },
    credential: { username: sim.username, password: sim.password },
  });
}

export async function trigger(scratch: Scratch, sourceId: string, mode: RunMode): Promise<string> {
  return (await triggerRun(scratch.db, { sourceId, mode, trigger: 'manual' })).run.id;
}

/** collect_hosts then collect_vms on a fresh database with one real worker: the reference ledger. */
async function cleanRun(ctx: Context): Promise<{ digest: string; rows: number }> {
  const s = await scratchDatabase(ctx.serverUrl, 'clean');
  const w = new Proc('worker', 'src/bin/worker.ts', appEnv(s.url));
  try {
    const src = await simSource(s, ctx.sim);
    for (const mode of ['collect_hosts', 'collect_vms'] as const) {
      const [st] = await waitFinal(s.db, [await trigger(s, src.id, mode)]);
      if (st!.status !== 'succeeded')
        throw new Error(`the clean ${mode} run failed: ${st!.error_code} ${st!.error_message}`);
    }
    const d = await ledgerDigest(s.db);
    const n = await s.db.execute<{ n: number }>(sql`select count(*)::int n from asset_source_links`);
    ctx.say(`clean run: ${n.rows[0]!.n} links, ${d.rows} ledger rows`);
    return d;
  } finally {
    await w.kill();
    await s.drop();
  }
}
