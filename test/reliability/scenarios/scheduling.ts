// Two schedulers at once must fire every scheduled instant exactly once; 20 sources on several simulators
// with two worker processes must have every run executed exactly once.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createGroup, createSource } from '../../pipeline-helpers';
import { startVcsim, type Vcsim } from '../../vcsim.js';
import type { Context } from '../context';
import { trigger } from '../context';
import { Proc, appEnv, count, scratchDatabase, sleep, waitFinal, waitFor, type Row } from '../harness';

const STEP_MS = 2000;

export async function twoSchedulers(ctx: Context): Promise<Row> {
  const s = await scratchDatabase(ctx.serverUrl, 'twosched');
  const groupId = await createGroup(s.db, { cron: '*/2 * * * * *' });
  await createSource(s.db, { scheduleGroupId: groupId });
  const a = new Proc('scheduler-a', 'src/bin/scheduler.ts', appEnv(s.url));
  const b = new Proc('scheduler-b', 'src/bin/scheduler.ts', appEnv(s.url));
  try {
    await waitFor(
      'both schedulers to start',
      () => a.events('scheduler.started').length && b.events('scheduler.started').length,
      60_000,
    );
    await sleep(16_000);
    const bothTicked = a.alive && b.alive;
    await Promise.all([a.kill(), b.kill()]);
    const fa = a.events('schedule.fired').map((e) => Date.parse(String(e.instant)));
    const fb = b.events('schedule.fired').map((e) => Date.parse(String(e.instant)));
    const all = [...fa, ...fb].sort((x, y) => x - y);
    const dupes = all.length - new Set(all).size;
    // Every instant between the first and the last fired one, in 2 s steps, must be there.
    const gaps = all.length ? (all.at(-1)! - all[0]!) / STEP_MS + 1 - new Set(all).size : 1;
    const last = await s.db.execute<{ last: string }>(
      sql`select last_fired_for as last from schedule_groups where id = ${groupId}`,
    );
    const lastOk = all.length > 0 && Date.parse(last.rows[0]!.last) === all.at(-1);
    return {
      fault: 'two schedulers at once (an instant every 2 s, 16 s)',
      expected: 'every instant fires exactly once (no gap, no double)',
      observed: `${new Set(all).size} instants fired (A ${fa.length}, B ${fb.length}, both ticking every 1 s); ${dupes} twice; ${gaps} skipped; last_fired_for ${lastOk ? '= the last fired' : 'WRONG'}`,
      dataLost: dupes + gaps,
      // Which one wins each instant is up to their phase; both ticking all along is what matters.
      pass: dupes === 0 && gaps === 0 && all.length >= 6 && bothTicked && lastOk,
    };
  } finally {
    await a.kill();
    await b.kill();
    await s.drop();
  }
}

export async function manySourcesTwoWorkers(ctx: Context): Promise<Row> {
  const sims: Vcsim[] = [];
  const s = await scratchDatabase(ctx.serverUrl, 'twentysrc');
  const workers: Proc[] = [];
  try {
    // Twenty small vCenters, each its own instance (no two sources may share one).
    for (let i = 0; i < 20; i += 5)
      sims.push(
        ...(await Promise.all(
          Array.from({ length: 5 }, () =>
            startVcsim({ hostsPerCluster: 1, vmsPerCluster: 3, instanceUuid: randomUUID() }),
          ),
        )),
      );
    const sources = await Promise.all(
      sims.map((sim) =>
        createSource(s.db, {
          config: { endpoint: sim.endpoint, insecure: true },
          credential: { username: sim.username, password: sim.password },
        }),
      ),
    );
    const ids: string[] = [];
    for (const src of sources)
      for (const mode of ['collect_hosts', 'collect_vms'] as const) ids.push(await trigger(s, src.id, mode));
    for (const name of ['worker-a', 'worker-b'])
      workers.push(new Proc(name, 'src/bin/worker.ts', appEnv(s.url, { WORKER_CONCURRENCY: '2' })));
    const t0 = Date.now();
    const states = await waitFinal(s.db, ids, 300_000);
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    const succeeded = states.filter((x) => x.status === 'succeeded').length;
    const once = states.filter((x) => x.attempts.length === 1).length;
    const byWorker = new Map<string, number>();
    for (const st of states)
      for (const at of st.attempts)
        byWorker.set(at.workerId ?? '?', (byWorker.get(at.workerId ?? '?') ?? 0) + 1);
    // Each simulator has 1 cluster, 1 host, 3 VMs.
    const links = await count(
      s.db,
      sql`select count(*)::int n from asset_source_links where presence = 'present'`,
    );
    const expectedLinks = sims.length * 5;
    return {
      fault: '20 sources (20 simulators) × 2 workers (2 slots each)',
      expected: 'all 40 runs succeed, each executed once (1 attempt); every asset present',
      observed: `${succeeded}/40 succeeded in ${secs} s; ${once} with exactly 1 attempt; per worker ${[...byWorker.values()].join(' + ')}; ${links}/${expectedLinks} assets`,
      dataLost: Math.max(0, expectedLinks - links),
      pass: succeeded === 40 && once === 40 && byWorker.size === 2 && links === expectedLinks,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await s.drop();
    await Promise.all(sims.map((x) => x.stop()));
  }
}
