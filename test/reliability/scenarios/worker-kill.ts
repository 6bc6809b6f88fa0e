// A worker SIGKILLed while its plugin runs, and again inside the ingest transaction: the plugin must be
// gone within 2 s, the killed attempt must leave no rows, another worker must recover the run, and the
// final ledger must equal a clean run's.
import pg from 'pg';
import { armVcsimFault } from '../../vcsim.js';
import type { Context } from '../context';
import { simSource, trigger } from '../context';
import {
  Proc,
  appEnv,
  childrenOf,
  ledgerDigest,
  processAlive,
  rowsOfRun,
  scratchDatabase,
  waitFinal,
  waitFor,
  writingBackends,
  type Row,
  type RunState,
} from '../harness';

const PLUGIN = 'plugins/vcenter/src/main.ts';

function recovered(st: RunState, killedWorker: string): string | null {
  if (st.status !== 'succeeded') return `ended ${st.status} ${st.error_code ?? ''}`;
  const first = st.attempts[0];
  const last = st.attempts[st.attempts.length - 1];
  if (first?.errorCode !== 'WORKER_LOST')
    return `first attempt ended ${first?.errorCode ?? 'without a code'}`;
  if (!last?.workerId || last.workerId.includes(`:${killedWorker}:`))
    return 'not recovered by another worker';
  return null;
}

export async function workerKilledDuringPlugin(ctx: Context): Promise<Row> {
  const fault = 'worker SIGKILLed while the plugin runs';
  const expected =
    'plugin gone ≤ 2 s; 0 rows of the attempt; WORKER_LOST → succeeds on another worker; ledger = clean';
  const clean = await ctx.cleanDigest();
  const s = await scratchDatabase(ctx.serverUrl, 'killplugin');
  const a = new Proc('worker-a', 'src/bin/worker.ts', appEnv(s.url));
  let b: Proc | undefined;
  try {
    const src = await simSource(s, ctx.sim);
    // Every property page takes 2 s: the plugin is mid-collect for a while.
    await armVcsimFault(ctx.sim, { kind: 'delay', ms: 2000, method: 'RetrievePropertiesEx' });
    const runId = await trigger(s, src.id, 'collect_hosts');
    const [plugin] = await waitFor('the plugin to start', () => {
      const p = childrenOf(a.pid, PLUGIN);
      return p.length ? p : undefined;
    });
    await waitFor(
      'the plugin to reach vCenter',
      async () =>
        (await armVcsimFault(ctx.sim, { kind: 'delay', ms: 2000, method: 'RetrievePropertiesEx' })) > 0,
      30_000,
      200,
    );
    const t0 = Date.now();
    await a.kill('SIGKILL');
    await waitFor('the plugin to exit', () => !processAlive(plugin!), 10_000, 10).catch(() => {});
    const goneMs = Date.now() - t0;
    if (processAlive(plugin!)) process.kill(plugin!, 'SIGKILL');
    await armVcsimFault(ctx.sim, { kind: '' });
    const partial = await rowsOfRun(s.db, runId);
    b = new Proc('worker-b', 'src/bin/worker.ts', appEnv(s.url));
    const [st] = await waitFinal(s.db, [runId], 90_000);
    const [vms] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_vms')]);
    const d = await ledgerDigest(s.db);
    const problems = [
      goneMs > 2000 ? `plugin alive ${goneMs} ms after the kill` : null,
      partial ? `${partial} rows of the killed attempt` : null,
      recovered(st!, String(a.pid)),
      vms!.status !== 'succeeded' ? `collect_vms ${vms!.status} ${vms!.error_code}` : null,
      d.digest !== clean.digest
        ? `ledger differs from the clean run (${d.rows} vs ${clean.rows} rows)`
        : null,
    ].filter(Boolean);
    return {
      fault,
      expected,
      observed: `plugin gone in ${goneMs} ms; ${partial} partial rows; attempt ${st!.attempt} ${st!.status} on another worker; ledger ${d.digest === clean.digest ? '= clean' : '≠ clean'}${problems.length ? ` — ${problems.join('; ')}` : ''}`,
      dataLost: partial + Math.abs(clean.rows - d.rows),
      pass: problems.length === 0,
    };
  } finally {
    await armVcsimFault(ctx.sim, { kind: '' }).catch(() => {});
    await a.kill('SIGKILL');
    await b?.kill();
    await s.drop();
  }
}

export async function workerKilledDuringIngest(ctx: Context): Promise<Row> {
  const fault = 'worker SIGKILLed during ingest';
  const expected = 'rolled back (0 rows); WORKER_LOST → succeeds on another worker; ledger = clean';
  const clean = await ctx.cleanDigest();
  const s = await scratchDatabase(ctx.serverUrl, 'killingest');
  const a = new Proc('worker-a', 'src/bin/worker.ts', appEnv(s.url));
  let b: Proc | undefined;
  const locker = new pg.Client({ connectionString: s.url });
  await locker.connect();
  try {
    const src = await simSource(s, ctx.sim);
    const [hosts] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_hosts')]);
    // History rows come after the assets, links and records: holding a SHARE lock on asset_events stops
    // the ingest transaction right there, with its writes done and not committed.
    await locker.query('begin');
    await locker.query('lock table asset_events in share mode');
    const runId = await trigger(s, src.id, 'collect_vms');
    const backend = await waitFor(
      'the ingest transaction to write and then wait',
      async () => (await writingBackends(s.db, s.name)).find((x) => x.waiting && x.xid),
      90_000,
    );
    await a.kill('SIGKILL');
    await locker.query('commit');
    // The server notices the dead client when the statement ends, and rolls back.
    await waitFor(
      'the killed transaction to end',
      async () => !(await writingBackends(s.db, s.name)).some((x) => x.pid === backend.pid),
      30_000,
    );
    const partial = await rowsOfRun(s.db, runId);
    b = new Proc('worker-b', 'src/bin/worker.ts', appEnv(s.url));
    const [st] = await waitFinal(s.db, [runId], 90_000);
    const d = await ledgerDigest(s.db);
    const problems = [
      hosts!.status !== 'succeeded' ? `collect_hosts ${hosts!.status}` : null,
      partial ? `${partial} rows of the killed attempt` : null,
      recovered(st!, String(a.pid)),
      d.digest !== clean.digest
        ? `ledger differs from the clean run (${d.rows} vs ${clean.rows} rows)`
        : null,
    ].filter(Boolean);
    return {
      fault,
      expected,
      observed: `killed mid-transaction (writes done, waiting on a lock); ${partial} partial rows; attempt ${st!.attempt} ${st!.status} on another worker; ledger ${d.digest === clean.digest ? '= clean' : '≠ clean'}${problems.length ? ` — ${problems.join('; ')}` : ''}`,
      dataLost: partial + Math.abs(clean.rows - d.rows),
      pass: problems.length === 0,
    };
  } finally {
    await locker.end().catch(() => {});
    await a.kill('SIGKILL');
    await b?.kill();
    await s.drop();
  }
}
