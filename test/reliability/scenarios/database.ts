// PostgreSQL restarted during ingest and during a scheduler tick (on a throwaway embedded cluster of the
// suite's own, never the shared server), and the ledger tables turning read-only during ingest.
import { randomBytes } from 'node:crypto';
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

export async function databaseReadOnly(ctx: Context): Promise<Row> {
  const fault = 'ledger tables read-only during ingest';
  const expected =
    'failed INGEST_FAILED (permission denied), 0 partial rows, ledger unchanged; writable again → succeeds';
  const s = await scratchDatabase(ctx.serverUrl, 'readonly');
  const role = `al_rel_ro_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(9).toString('hex');
  await s.db.execute(sql.raw(`create role ${role} login password '${password}'`));
  let w: Proc | undefined;
  try {
    await s.db.execute(
      sql.raw(
        `grant usage on schema public to ${role}; grant all on all tables in schema public to ${role}; ` +
          `grant all on all sequences in schema public to ${role}`,
      ),
    );
    const u = new URL(s.url);
    u.username = role;
    u.password = password;
    w = new Proc('worker', 'src/bin/worker.ts', appEnv(u.toString()));
    const src = await simSource(s, ctx.sim);
    const [hosts] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_hosts')]);
    const before = await ledgerDigest(s.db);
    // History is written after assets, links and records: ingest gets that far, then is refused.
    await s.db.execute(sql.raw(`revoke insert, update, delete on asset_events from ${role}`));
    const runId = await trigger(s, src.id, 'collect_vms');
    const [st] = await waitFinal(s.db, [runId]);
    const partial = await rowsOfRun(s.db, runId);
    const after = await ledgerDigest(s.db);
    await s.db.execute(sql.raw(`grant insert, update, delete on asset_events to ${role}`));
    const [again] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_vms')]);
    const problems = [
      hosts!.status !== 'succeeded' ? `collect_hosts ${hosts!.status} ${hosts!.error_code}` : null,
      st!.status !== 'failed' || st!.error_code !== 'INGEST_FAILED'
        ? `run ${st!.status} ${st!.error_code}`
        : null,
      /permission denied/.test(st!.error_message ?? '') ? null : `message: ${st!.error_message}`,
      partial ? `${partial} partial rows` : null,
      after.digest !== before.digest ? 'ledger changed' : null,
      again!.status !== 'succeeded' ? `after the grant: ${again!.status} ${again!.error_code}` : null,
    ].filter(Boolean);
    return {
      fault,
      expected,
      observed: `${st!.status} ${st!.error_code} ("${(st!.error_message ?? '').slice(0, 60)}…"); ${partial} partial rows; ledger ${after.digest === before.digest ? 'unchanged' : 'CHANGED'}; next run ${again!.status}${problems.length ? ` — ${problems.join('; ')}` : ''}`,
      dataLost: partial + Math.abs(after.rows - before.rows),
      pass: problems.length === 0,
    };
  } finally {
    await w?.kill();
    await s.drop();
    const admin = new pg.Client({ connectionString: ctx.serverUrl });
    await admin.connect();
    await admin.query(`drop role if exists ${role}`).catch(() => {});
    await admin.end();
  }
}
