// The worker with a stand-in plugin (a real subprocess): every failure code, retries with attempts,
// timeout killing the process group, output limits, minimal environment, multibyte output, concurrency
// (50 triggers, two workers), and recovery after a worker is SIGKILLed inside the ingest transaction.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, closeDb } from '@/db/client';
import { resetConfig } from '@/lib/config';
import { startWorker } from '@/collector/worker';
import { secretKeyFrom } from '@/server/credentials/crypto';
import { triggerRun } from '@/server/runs/trigger';
import type { RunMode } from '@/collector/contract';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource, rows, runOf, runWorkerUntilIdle, TEST_KEY } from './pipeline-helpers';

let t: TestDatabase;
const tmp = mkdtempSync(path.join(tmpdir(), 'al-worker-'));
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const fake = (FAKE: string, env: Record<string, string> = {}) => ({
  command: process.execPath,
  args: ['test/pipeline-fake-plugin.mjs'],
  env: { FAKE, ...env },
});

async function runWith(
  FAKE: string,
  mode: RunMode = 'collect_vms',
  opts: Parameters<typeof runWorkerUntilIdle>[1] = {},
  env: Record<string, string> = {},
) {
  const src = await createSource(t.db);
  const { run } = await triggerRun(t.db, { sourceId: src.id, mode, trigger: 'manual' });
  await runWorkerUntilIdle(t.db, { pluginCommand: fake(FAKE, env), ...opts });
  return { run: await runOf(t.db, run.id), sourceId: src.id };
}
const assetCount = async (sourceId: string) =>
  (
    await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int n from asset_source_links where source_id = ${sourceId}`,
    )
  )[0]!.n;

describe('worker failure codes', () => {
  it.each([
    ['exit1', 'PLUGIN_EXIT_NONZERO'],
    ['garbage', 'PLUGIN_OUTPUT_INVALID_JSON'],
    ['version', 'PLUGIN_SCHEMA_VERSION'],
    ['invalid', 'PLUGIN_OUTPUT_INVALID'],
    ['incomplete', 'INVENTORY_INCOMPLETE'],
    ['errors_fatal', 'PLUGIN_ERRORS'],
  ])('%s → %s, nothing ingested', async (behaviour, code) => {
    const { run, sourceId } = await runWith(behaviour);
    expect(run).toMatchObject({ status: 'failed', error_code: code, attempt: 1 });
    expect(run.finished_at).not.toBeNull();
    expect(await assetCount(sourceId)).toBe(0);
    if (code === 'PLUGIN_ERRORS') {
      expect(run.errors).toEqual([
        expect.objectContaining({ code: 'VCENTER_AUTH_FAILED', retryable: false }),
      ]);
    }
  });

  it('OUTPUT_TOO_LARGE', async () => {
    const { run } = await runWith('huge', 'collect_vms', { outputLimitBytes: 100_000 });
    expect(run).toMatchObject({ status: 'failed', error_code: 'OUTPUT_TOO_LARGE' });
  });

  it('PLUGIN_SPAWN_FAILED', async () => {
    const src = await createSource(t.db);
    const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'healthcheck', trigger: 'manual' });
    await runWorkerUntilIdle(t.db, { pluginCommand: { command: '/nonexistent/plugin', args: [] } });
    expect(await runOf(t.db, run.id)).toMatchObject({ status: 'failed', error_code: 'PLUGIN_SPAWN_FAILED' });
  });

  it('SOURCE_MISSING, CREDENTIAL_MISSING, CREDENTIAL_UNREADABLE', async () => {
    const gone = await createSource(t.db);
    const r1 = await triggerRun(t.db, { sourceId: gone.id, mode: 'collect_vms', trigger: 'manual' });
    await t.db.execute(sql`update sources set deleted_at = now() where id = ${gone.id}`);
    const noCred = await createSource(t.db, { credential: null });
    const r2 = await triggerRun(t.db, { sourceId: noCred.id, mode: 'collect_vms', trigger: 'manual' });
    await runWorkerUntilIdle(t.db, { pluginCommand: fake('ok') });
    expect(await runOf(t.db, r1.run.id)).toMatchObject({ status: 'failed', error_code: 'SOURCE_MISSING' });
    expect(await runOf(t.db, r2.run.id)).toMatchObject({
      status: 'failed',
      error_code: 'CREDENTIAL_MISSING',
    });

    const wrongKey = await runWith('ok', 'collect_vms', { secretKeys: [secretKeyFrom('b'.repeat(64))] });
    expect(wrongKey.run).toMatchObject({ status: 'failed', error_code: 'CREDENTIAL_UNREADABLE' });
  });

  it('without explicit keys the worker decrypts with the current key or ASSET_LEDGER_OLD_SECRET_KEYS', async () => {
    const saved = { cur: process.env.ASSET_LEDGER_SECRET_KEY, old: process.env.ASSET_LEDGER_OLD_SECRET_KEYS };
    process.env.ASSET_LEDGER_SECRET_KEY = 'd'.repeat(64);
    process.env.ASSET_LEDGER_OLD_SECRET_KEYS = 'a'.repeat(64); // TEST_KEY, which the fixtures encrypt with
    resetConfig();
    try {
      const { run } = await runWith('ok', 'healthcheck', { secretKeys: undefined });
      expect(run).toMatchObject({ status: 'succeeded' });
    } finally {
      process.env.ASSET_LEDGER_SECRET_KEY = saved.cur;
      process.env.ASSET_LEDGER_OLD_SECRET_KEYS = saved.old;
      if (saved.cur === undefined) delete process.env.ASSET_LEDGER_SECRET_KEY;
      if (saved.old === undefined) delete process.env.ASSET_LEDGER_OLD_SECRET_KEYS;
      resetConfig();
    }
  });

  it('retryable plugin errors become new attempts until RUN_MAX_ATTEMPTS, then fail', async () => {
    const { run } = await runWith('errors_retryable');
    expect(run).toMatchObject({ status: 'failed', error_code: 'PLUGIN_ERRORS', attempt: 3, max_attempts: 3 });
    expect(run.attempts).toHaveLength(3);
    expect(run.attempts).toEqual(
      [1, 2, 3].map((attempt) => expect.objectContaining({ attempt, errorCode: 'PLUGIN_ERRORS' })),
    );
    // stored as the API serves them: RFC 3339 UTC, not jsonb's `…+00:00`
    const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
    for (const a of run.attempts as { startedAt: string; finishedAt: string }[]) {
      expect(a.startedAt).toMatch(RFC3339_UTC);
      expect(a.finishedAt).toMatch(RFC3339_UTC);
    }
    expect(run.errors).toEqual([expect.objectContaining({ code: 'VCENTER_UNREACHABLE', retryable: true })]);
  });

  it('a retry waits for its backoff (not_before)', async () => {
    const src = await createSource(t.db);
    const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'collect_vms', trigger: 'manual' });
    await runWorkerUntilIdle(t.db, { pluginCommand: fake('errors_retryable'), retryBaseSeconds: 60 });
    const r = await runOf(t.db, run.id);
    expect(r).toMatchObject({ status: 'queued', attempt: 2, error_code: 'PLUGIN_ERRORS' });
    expect(new Date(r.not_before).getTime()).toBeGreaterThan(Date.now() + 50_000);
    await t.db.execute(sql`update runs set status = 'cancelled' where id = ${run.id}`); // out of later tests' way
  });

  it('PLUGIN_TIMEOUT kills the whole process group', async () => {
    const pidfile = path.join(tmp, 'grandchild.pid');
    const src = await createSource(t.db);
    const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'healthcheck', trigger: 'manual' });
    await t.db.execute(sql`update runs set max_attempts = 1 where id = ${run.id}`);
    await runWorkerUntilIdle(t.db, {
      pluginCommand: fake('sleep', { FAKE_PIDFILE: pidfile }),
      timeoutSeconds: 1,
    });
    expect(await runOf(t.db, run.id)).toMatchObject({ status: 'failed', error_code: 'PLUGIN_TIMEOUT' });
    const pid = Number(readFileSync(pidfile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    // Gone, or a zombie waiting to be reaped by init (killed, not running).
    const state = existsSync(`/proc/${pid}/stat`)
      ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]
      : 'gone';
    expect(['gone', 'Z', 'X']).toContain(state);
  });
});

describe('worker stop', () => {
  it('stop() with a timeout kills the plugin and puts its run back in the queue', async () => {
    const src = await createSource(t.db);
    const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'healthcheck', trigger: 'manual' });
    const w = startWorker({
      db: t.db,
      secretKeys: [TEST_KEY],
      pollMs: 50,
      pluginCommand: fake('sleep', { FAKE_PIDFILE: path.join(tmp, 'stop.pid') }),
    });
    while ((await runOf(t.db, run.id)).status !== 'running') await new Promise((r) => setTimeout(r, 50));
    await w.stop({ timeoutMs: 300 });
    const r = await runOf(t.db, run.id);
    expect(r).toMatchObject({ status: 'queued', worker_id: null, attempt: 1 });
    expect(r.attempts).toEqual([expect.objectContaining({ errorCode: 'WORKER_STOPPED' })]);
    await t.db.execute(sql`update runs set status = 'cancelled' where id = ${run.id}`);
  });
});

describe('worker wake-up', () => {
  it('a triggered run is claimed on its NOTIFY, not at the next poll', async () => {
    const src = await createSource(t.db);
    const w = startWorker({ db: t.db, secretKeys: [TEST_KEY], pollMs: 600_000, pluginCommand: fake('ok') });
    let listener = 0;
    try {
      // the worker has polled once (nothing queued) and listens; its next poll would be 10 minutes away
      for (;;) {
        const [l] = await rows<{ pid: number }>(
          t.db,
          sql`select pid from pg_stat_activity
              where datname = current_database() and query = 'LISTEN asset_ledger_runs'`,
        );
        if (l) {
          listener = l.pid;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 200));
      const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'healthcheck', trigger: 'manual' });
      let r = await runOf(t.db, run.id);
      while (['queued', 'running'].includes(r.status)) {
        await new Promise((res) => setTimeout(res, 50));
        r = await runOf(t.db, run.id);
      }
      expect(r.status).toBe('succeeded');
    } finally {
      await w.stop();
    }
    // stop() closes the listening connection rather than pooling it: its backend goes away (a pooled one
    // would live on, and its last query change once reused). A closed connection's backend leaves
    // pg_stat_activity a moment after the socket closes, so wait for that.
    const alive = async () =>
      (
        await rows<{ n: number }>(
          t.db,
          sql`select count(*)::int as n from pg_stat_activity where pid = ${listener}`,
        )
      )[0]!.n;
    const until = Date.now() + 5_000;
    while ((await alive()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await alive()).toBe(0);
  }, 60_000);
});

describe('worker success paths', () => {
  it('the plugin gets a minimal environment and the credential only on stdin', async () => {
    process.env.ASSET_LEDGER_SECRET_KEY ??= 'c'.repeat(64);
    const { run } = await runWith('env', 'healthcheck');
    expect(run.status).toBe('succeeded');
    const info = JSON.parse((run.warnings[0] as { message: string }).message);
    expect(info.credential).toEqual({ username: 'ledger@vsphere.local', password: 'ledger-pass' });
    for (const k of info.env as string[])
      expect(['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'FAKE', 'ASSET_LEDGER_LIFELINE_FD']).toContain(k);
    expect(info.env).not.toContain('DATABASE_URL');
    expect(info.env).not.toContain('ASSET_LEDGER_SECRET_KEY');
    expect(info.env).not.toContain('NODE_OPTIONS');
  });

  it('decodes multibyte output split across chunks', async () => {
    const { run, sourceId } = await runWith(
      'multibyte',
      'collect_vms',
      {},
      { FAKE_CAPTION: 'Zürich-€-😀-数据库', FAKE_VMS: '40' },
    );
    expect(run.status).toBe('succeeded');
    const names = await rows<{ name: string }>(
      t.db,
      sql`select a.name from assets a join asset_source_links l on l.asset_uuid = a.uuid where l.source_id = ${sourceId} order by l.external_id limit 1`,
    );
    expect(names[0]!.name).toBe('Zürich-€-😀-数据库-0');
  });

  it('stores detect results on the run', async () => {
    const { run } = await runWith('ok', 'detect');
    expect(run).toMatchObject({
      status: 'succeeded',
      detect: { target_version: '8.0.2', instance_uuid: 'vc-uuid-1' },
    });
  });
});

describe('concurrency', () => {
  it('50 concurrent triggers for one (source, mode) → exactly one active run', async () => {
    const src = await createSource(t.db);
    const wide = createDb(t.url, { max: 50 });
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          triggerRun(wide, { sourceId: src.id, mode: 'collect_vms', trigger: 'api' }),
        ),
      );
      expect(results.filter((r) => !r.suppressed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
      const active = await rows<{ n: number }>(
        t.db,
        sql`select count(*)::int n from runs where source_id = ${src.id} and status in ('queued', 'running')`,
      );
      expect(active[0]!.n).toBe(1);
      await t.db.execute(sql`update runs set status = 'cancelled' where source_id = ${src.id}`);
    } finally {
      await closeDb(wide);
    }
  });

  it('two workers and 20 queued runs: each run executed exactly once', async () => {
    const log = path.join(tmp, 'executions.log');
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const src = await createSource(t.db);
      for (const mode of ['collect_hosts', 'collect_vms'] as const) {
        ids.push((await triggerRun(t.db, { sourceId: src.id, mode, trigger: 'manual' })).run.id);
      }
    }
    const dbA = createDb(t.url, { max: 4 });
    const dbB = createDb(t.url, { max: 4 });
    const opts = { pluginCommand: fake('record', { FAKE_LOG: log }), pollMs: 50, concurrency: 2 };
    const a = startWorker({
      db: dbA,
      workerId: 'A',
      secretKeys: [(await import('./pipeline-helpers')).TEST_KEY],
      ...opts,
    });
    const b = startWorker({
      db: dbB,
      workerId: 'B',
      secretKeys: [(await import('./pipeline-helpers')).TEST_KEY],
      ...opts,
    });
    try {
      await Promise.all([a.idle(), b.idle()]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await Promise.all([closeDb(dbA), closeDb(dbB)]);
    }
    const executed = readFileSync(log, 'utf8').trim().split('\n');
    expect(executed.sort()).toEqual([...ids].sort());
    const runs = await rows<{ status: string; worker_id: string; n: number }>(
      t.db,
      sql`select status::text, worker_id, jsonb_array_length(attempts) as n from runs where id = any(${`{${ids.join(',')}}`}::uuid[])`,
    );
    expect(runs.filter((r) => !(r.status === 'succeeded' && r.n === 1))).toEqual([]);
    expect(new Set(runs.map((r) => r.worker_id))).toEqual(new Set(['A', 'B']));
    // Hosts first: no VMs run of a source started before its hosts run had finished.
    const overlaps = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from runs v join runs h on h.source_id = v.source_id
          where v.mode = 'collect_vms' and h.mode = 'collect_hosts'
            and v.id = any(${`{${ids.join(',')}}`}::uuid[]) and v.started_at < h.finished_at`,
    );
    expect(overlaps[0]!.n).toBe(0);
  });

  it('a worker SIGKILLed inside the ingest transaction leaves no rows; the run is recovered and completes', async () => {
    const src = await createSource(t.db);
    const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'collect_vms', trigger: 'manual' });
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/pipeline-kill-worker.ts', t.url, '25'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout! });
      rl.on('line', (l) => l === 'IN_INGEST' && resolve());
      child.once('exit', (c) => reject(new Error(`worker exited early (${c})`)));
    });
    // Everything is written but not committed: nothing is visible.
    expect(await assetCount(src.id)).toBe(0);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await runOf(t.db, run.id)).toMatchObject({ status: 'running', attempt: 1 });
    expect(await assetCount(src.id)).toBe(0);
    expect(
      (await rows<{ n: number }>(t.db, sql`select count(*)::int n from assets`))[0]!.n,
    ).toBeGreaterThanOrEqual(0);

    // Another worker notices the missing heartbeat, requeues the run as attempt 2 and completes it.
    const w = startWorker({
      db: t.db,
      secretKeys: [(await import('./pipeline-helpers')).TEST_KEY],
      pollMs: 100,
      heartbeatSeconds: 1,
      staleSeconds: 2,
      pluginCommand: fake('ok', { FAKE_VMS: '25' }),
    });
    try {
      const deadline = Date.now() + 30_000;
      while ((await runOf(t.db, run.id)).status !== 'succeeded' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await w.stop();
    }
    const done = await runOf(t.db, run.id);
    expect(done).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(done.attempts[0]).toMatchObject({ attempt: 1, errorCode: 'WORKER_LOST' });
    expect(await assetCount(src.id)).toBe(25);
  });

  it('never recovers a run that is still heart-beating', async () => {
    const src = await createSource(t.db);
    const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'healthcheck', trigger: 'manual' });
    // One worker runs a slow plugin with a fast heartbeat; a second worker with a short stale limit polls meanwhile.
    const slow = startWorker({
      db: t.db,
      workerId: 'slow',
      secretKeys: [(await import('./pipeline-helpers')).TEST_KEY],
      pollMs: 50,
      heartbeatSeconds: 1,
      pluginCommand: {
        command: 'sh',
        args: [
          '-c',
          `sleep 4; cat >/dev/null; printf '%s' '{"schema_version":"collector-response-v1","assets":[],"relations":[],"stats":{"assets":0,"relations":0,"inventory_complete":true,"warnings":[]},"errors":[]}'`,
        ],
      },
    });
    // The watcher starts once the slow worker owns the run (else it might simply claim it first).
    while ((await runOf(t.db, run.id)).status !== 'running') await new Promise((r) => setTimeout(r, 50));
    const watcher = startWorker({
      db: t.db,
      workerId: 'watcher',
      pollMs: 100,
      staleSeconds: 2,
      pluginCommand: fake('ok'),
    });
    try {
      await slow.idle();
    } finally {
      await Promise.all([slow.stop(), watcher.stop()]);
    }
    expect(await runOf(t.db, run.id)).toMatchObject({ status: 'succeeded', attempt: 1, worker_id: 'slow' });
  });
});
