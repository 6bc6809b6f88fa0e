// PostgreSQL restarted during ingest and during a scheduler tick (on a throwaway embedded cluster of the
// suite's own, never the shared server), and the ledger tables turning read-only during ingest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@/db/embedded';
import { createGroup, createSource } from '../../pipeline-helpers';
import type { Context } from '../context';
import { simSource, trigger } from '../context';
import {
  Proc,
  appEnv,
  count,
  ledgerDigest,
  rowsOfRun,
  runState,
  scratchDatabase,
  waitFinal,
  waitFor,
  writingBackends,
  type Row,
} from '../harness';

/** A lock holder whose connection may die with the server without crashing the suite. */
async function lockHolder(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  return c;
}

export async function postgresRestarts(ctx: Context): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-ledger-rel-restart-'));
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'pg');
  let server: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir, port: 0, persistent: true });
  const port = server.port;
  const restart = async () => {
    const t0 = Date.now();
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    if (server.port !== port) throw new Error(`the restarted server came up on ${server.port}, not ${port}`);
    return Date.now() - t0;
  };
  try {
    return [
      await restartDuringIngest(ctx, server.serverUrl, restart),
      await restartDuringTick(server.serverUrl, restart),
    ];
  } finally {
    await server.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function restartDuringIngest(
  ctx: Context,
  serverUrl: string,
  restart: () => Promise<number>,
): Promise<Row> {
  const fault = 'PostgreSQL restarted during ingest';
  const expected =
    'worker reconnects; the run is not left running (recovered, succeeds); 0 partial rows; ledger = clean';
  const clean = await ctx.cleanDigest();
  const s = await scratchDatabase(serverUrl, 'pgingest');
  const w = new Proc('worker', 'src/bin/worker.ts', appEnv(s.url));
  const locker = await lockHolder(s.url);
  try {
    const src = await simSource(s, ctx.sim);
    const [hosts] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_hosts')]);
    await locker.query('begin');
    await locker.query('lock table asset_events in share mode');
    const runId = await trigger(s, src.id, 'collect_vms');
    await waitFor(
      'the ingest transaction to write and then wait',
      async () => (await writingBackends(s.db, s.name)).find((x) => x.waiting && x.xid),
      90_000,
    );
    const downMs = await restart();
    const partial =
      (await waitFor('the database after the restart', () => rowsOfRun(s.db, runId).then((n) => n + 1))) - 1;
    const [st] = await waitFinal(s.db, [runId], 120_000).catch(async (err: Error) => {
      const now = await runState(s.db, runId);
      if (!w.alive) ctx.say(`the worker died:\n${w.tail()}`);
      const events = w.lines.slice(-8).map((l) => `${l.event_type ?? l.text} ${l.error ?? l.message ?? ''}`);
      throw new Error(
        `${err.message}; the run is ${now.status} (${now.attempts.map((a) => a.errorCode ?? 'ok').join(' → ')}); worker ${w.alive ? 'alive' : 'died'}: ${events.join(' | ')}`,
      );
    });
    const running = await count(s.db, sql`select count(*)::int n from runs where status = 'running'`);
    const d = await ledgerDigest(s.db);
    const problems = [
      hosts!.status !== 'succeeded' ? `collect_hosts ${hosts!.status}` : null,
      st!.status !== 'succeeded' ? `run ended ${st!.status} ${st!.error_code}` : null,
      running ? `${running} runs still running` : null,
      partial ? `${partial} rows of the interrupted attempt` : null,
      w.alive ? null : 'the worker process died',
      d.digest !== clean.digest
        ? `ledger differs from the clean run (${d.rows} vs ${clean.rows} rows)`
        : null,
    ].filter(Boolean);
    return {
      fault,
      expected,
      observed: `down ${(downMs / 1000).toFixed(1)} s; ${partial} partial rows; run ${st!.status} at attempt ${st!.attempt} (${st!.attempts.map((a) => a.errorCode ?? 'ok').join(' → ')}); same worker process ${w.alive ? 'alive' : 'DEAD'}; ledger ${d.digest === clean.digest ? '= clean' : '≠ clean'}${problems.length ? ` — ${problems.join('; ')}` : ''}`,
      dataLost: partial + Math.abs(clean.rows - d.rows),
      pass: problems.length === 0,
    };
  } finally {
    await locker.end().catch(() => {});
    await w.kill();
    await s.drop();
  }
}

async function restartDuringTick(serverUrl: string, restart: () => Promise<number>): Promise<Row> {
  const fault = 'PostgreSQL restarted during a scheduler tick';
  const expected =
    'the tick rolls back; the scheduler reconnects and fires later instants; no instant fired twice';
  const s = await scratchDatabase(serverUrl, 'pgtick');
  // Every 2 s (croner's seconds field), so several instants fall before and after the restart.
  const groupId = await createGroup(s.db, { cron: '*/2 * * * * *' });
  await createSource(s.db, { scheduleGroupId: groupId });
  const sch = new Proc('scheduler', 'src/bin/scheduler.ts', appEnv(s.url));
  const locker = await lockHolder(s.url);
  try {
    const fired = () => sch.events('schedule.fired').map((e) => String(e.instant));
    await waitFor('a first fired instant', () => fired().length > 0, 60_000);
    // Holding the group's row stops the next tick inside its claim transaction; restart right then.
    await locker.query('begin');
    await locker.query('select id from schedule_groups where id = $1 for update', [groupId]);
    await waitFor('the scheduler to wait inside its tick', async () =>
      (await writingBackends(s.db, s.name)).some((x) => x.waiting),
    );
    const before = fired().length;
    const downMs = await restart();
    await waitFor('instants fired after the restart', () => fired().length >= before + 2, 60_000);
    await sch.kill();
    const all = fired();
    const dupes = all.length - new Set(all).size;
    const last = await s.db.execute<{ last: string }>(
      sql`select last_fired_for as last from schedule_groups where id = ${groupId}`,
    );
    const lastOk = new Date(last.rows[0]!.last).toISOString() === [...all].sort().at(-1);
    const ok = dupes === 0 && lastOk && all.length >= before + 2;
    return {
      fault,
      expected,
      observed: `down ${(downMs / 1000).toFixed(1)} s; ${before} instants fired before, ${all.length - before} after; ${dupes} fired twice; last_fired_for ${lastOk ? '= the last fired' : 'WRONG'}`,
      dataLost: dupes,
      pass: ok,
    };
  } finally {
    await locker.end().catch(() => {});
    await sch.kill();
    await s.drop();
  }
}

/** Ends the sessions of `database` (all but this one, or those of one application): a failover's cut. */
async function terminateSessions(admin: pg.Client, database: string, application?: string): Promise<number> {
  const r = await admin.query(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
     where datname = $1 and pid <> pg_backend_pid() and ($2::text is null or application_name = $2)`,
    [database, application ?? null],
  );
  return r.rows[0].n as number;
}

// What a failover to a standby looks like from the app: the sessions it had are cut, and the server it
// reconnects to refuses every write with SQLSTATE 25006 until it is promoted. Here: the database's
// default_transaction_read_only (new sessions are read-only) and pg_terminate_backend of the worker's
// sessions while its ingest transaction is half written; "promoted" = the setting reset and the sessions
// opened meanwhile cut again.
export async function databaseReadOnly(ctx: Context): Promise<Row> {
  const fault = 'database read-only during ingest (failover to a standby)';
  const expected =
    'the attempt fails DATABASE_READ_ONLY; 0 partial rows, ledger unchanged; writable again → the same worker retries it: succeeded';
  const s = await scratchDatabase(ctx.serverUrl, 'readonly');
  // A lease longer than the outage, as in production (120 s): the worker records the outcome itself.
  const w = new Proc('worker', 'src/bin/worker.ts', appEnv(s.url, { RUN_STALE_SECONDS: '60' }));
  const admin = new pg.Client({ connectionString: ctx.serverUrl }); // another database: never read-only
  await admin.connect();
  const locker = await lockHolder(s.url);
  let readOnly = false;
  try {
    const src = await simSource(s, ctx.sim);
    const [hosts] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_hosts')]);
    const before = await ledgerDigest(s.db);
    // History is written after assets, links and records: the ingest waits there, half written.
    await locker.query('begin');
    await locker.query('lock table asset_events in share mode');
    const runId = await trigger(s, src.id, 'collect_vms');
    await waitFor(
      'the ingest transaction to write and then wait',
      async () => (await writingBackends(s.db, s.name)).find((x) => x.waiting && x.xid),
      90_000,
    );
    await admin.query(`alter database "${s.name}" set default_transaction_read_only = on`);
    readOnly = true;
    const cut = await terminateSessions(admin, s.name, 'asset-ledger');
    await locker.query('rollback');
    await waitFor(
      'the worker to meet the read-only database',
      () => w.events('run.outcome_write_retry').length > 0,
      60_000,
    );
    const refused = w.events('run.outcome_write_retry').at(-1)!;
    const partial = await rowsOfRun(s.db, runId);
    const during = await ledgerDigest(s.db);
    await admin.query(`alter database "${s.name}" reset default_transaction_read_only`);
    readOnly = false;
    await terminateSessions(admin, s.name);
    const [st] = await waitFinal(s.db, [runId], 120_000);
    const codes = st!.attempts.map((a) => a.errorCode ?? 'ok');
    const after = await ledgerDigest(s.db);
    const problems = [
      hosts!.status !== 'succeeded' ? `collect_hosts ${hosts!.status} ${hosts!.error_code}` : null,
      cut ? null : 'no worker session was cut',
      refused.read_only === true ? null : `the worker met ${String(refused.error)}, not 25006`,
      codes[0] === 'DATABASE_READ_ONLY' ? null : `attempt 1 ended ${codes[0]}`,
      partial ? `${partial} partial rows` : null,
      during.digest !== before.digest ? 'ledger changed while read-only' : null,
      st!.status !== 'succeeded' ? `then ${st!.status} ${st!.error_code}` : null,
      after.rows > before.rows ? null : 'the retried run ingested nothing',
      w.alive ? null : 'the worker process died',
    ].filter(Boolean);
    return {
      fault,
      expected,
      observed: `${cut} worker session(s) cut; writes refused (${refused.read_only === true ? '25006 read-only' : String(refused.error)}); ${partial} partial rows; ledger ${during.digest === before.digest ? 'unchanged' : 'CHANGED'}; run ${st!.status} at attempt ${st!.attempt} (${codes.join(' → ')}); worker ${w.alive ? 'alive' : 'DEAD'}${problems.length ? ` — ${problems.join('; ')}` : ''}`,
      dataLost:
        partial + (during.digest === before.digest ? 0 : Math.max(1, Math.abs(during.rows - before.rows))),
      pass: problems.length === 0,
    };
  } finally {
    if (readOnly)
      await admin.query(`alter database "${s.name}" reset default_transaction_read_only`).catch(() => {});
    await locker.end().catch(() => {});
    await admin.end().catch(() => {});
    await w.kill();
    await s.drop();
  }
}
