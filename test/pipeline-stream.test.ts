// Contract v2 through the worker with a real streaming subprocess (test/stream-fake-plugin.mjs): a stream
// lands; a plugin that dies mid-stream, writes a broken line or never writes its end line fails with its
// own code and leaves the ledger byte-for-byte unchanged; odd values are dropped per field and reported;
// progress reaches the run row; a running run can be cancelled.
import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunMode } from '@/collector/contract';
import { startWorker } from '@/collector/worker';
import { cancelRun } from '@/server/runs';
import { triggerRun } from '@/server/runs/trigger';
import { systemActor } from '@/server/users/actor';
import { createTestDatabase, type TestDatabase } from './db';
import { ledgerChecksum } from './ledger-checksum';
import { createSource, rows, runOf, runWorkerUntilIdle, TEST_KEY } from './pipeline-helpers';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const plugin = (STREAM: string, env: Record<string, string> = {}) => ({
  command: process.execPath,
  args: ['test/stream-fake-plugin.mjs'],
  env: { STREAM, ...env },
});

async function run(
  sourceId: string,
  STREAM: string,
  env: Record<string, string> = {},
  mode: RunMode = 'collect_vms',
) {
  const { run } = await triggerRun(t.db, { sourceId, mode, trigger: 'manual' });
  await t.db.execute(sql`update runs set max_attempts = 1 where id = ${run.id}`);
  await runWorkerUntilIdle(t.db, { pluginCommand: plugin(STREAM, env) });
  return runOf(t.db, run.id);
}

const vmsOf = async (sourceId: string) =>
  rows<{ external_id: string; normalized: Record<string, Record<string, unknown>> }>(
    t.db,
    sql`select l.external_id, r.normalized from asset_source_links l
        join source_records r on r.link_id = l.id
        where l.source_id = ${sourceId} and l.external_kind = 'vm'
        order by l.external_id`,
  );

describe('contract v2 through the worker', () => {
  it('a streamed run lands: assets, relations, warnings, progress, detect', async () => {
    const src = await createSource(t.db);
    const r = await run(src.id, 'ok', { STREAM_VMS: '2500' });
    expect(r).toMatchObject({ status: 'succeeded' });
    // host-1 is not in the ledger (no hosts run), so the runs_on relations stay unresolved
    expect(r.stats).toMatchObject({ contract: 'v2', assets: 2500, relations_unresolved: 2500 });
    expect(r.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'FAKE_NOTE' })]));
    expect(r.progress).toMatchObject({ phase: 'done', objects: 2501 });
    // finished_at is when it finished, not when its transaction (begun with the plugin) started
    const span = Date.parse(r.finished_at!) - Date.parse(r.started_at!);
    expect(span).toBeGreaterThanOrEqual(Number(r.stats!.plugin_ms) - 50);
    expect((await vmsOf(src.id)).length).toBe(2500);

    const d = await run(src.id, 'ok', {}, 'detect');
    expect(d).toMatchObject({ status: 'succeeded', detect: { instance_uuid: 'vc-uuid-stream' } });
  });

  it.each([
    ['die', 'PLUGIN_EXIT_NONZERO', { STREAM_DIE_AFTER: '5000' }],
    ['broken', 'PLUGIN_OUTPUT_INVALID_JSON', {}],
    ['no_end', 'PLUGIN_END_MISSING', {}],
  ] as const)(
    'a plugin that does %s fails the run with %s; the ledger is unchanged',
    async (behaviour, code, env) => {
      const src = await createSource(t.db);
      expect(await run(src.id, 'ok', { STREAM_VMS: '50' })).toMatchObject({ status: 'succeeded' });
      const before = await ledgerChecksum(t.db);
      const r = await run(src.id, behaviour, { STREAM_VMS: '6000', ...env });
      expect(r).toMatchObject({ status: 'failed', error_code: code });
      expect(await ledgerChecksum(t.db)).toEqual(before);
    },
  );

  it('odd values: the run succeeds, those fields are absent on those objects only, warnings name them', async () => {
    const src = await createSource(t.db);
    const r = await run(src.id, 'odd', { STREAM_VMS: '40' });
    expect(r).toMatchObject({ status: 'succeeded' });
    const vms = new Map((await vmsOf(src.id)).map((v) => [v.external_id, v.normalized]));
    expect(vms.size).toBe(40);
    // vm-1, 11, 21, 31: memory -1 dropped, cpu kept; vm-2…: cpu "NaN" dropped; vm-3…: the 2^70 disk size.
    expect(vms.get('vm-1')!.hardware).toEqual({ cpu_count: 2 });
    expect(vms.get('vm-2')!.hardware).toEqual({ memory_bytes: 2 ** 31 });
    expect(vms.get('vm-3')!.hardware).toEqual({
      cpu_count: 2,
      memory_bytes: 2 ** 31,
      disks: [{ name: 'Hard disk 1' }],
    });
    expect(vms.get('vm-4')!.storage).toEqual({ datastores: [{ name: 'ds-1', capacity_bytes: 10 }] });
    expect(vms.get('vm-5')!.hardware).toEqual({ cpu_count: 2, memory_bytes: 2 ** 31 });
    const fieldWarnings = (r.warnings as { code: string; field?: string; count?: number }[]).filter(
      (w) => w.code === 'FIELD_INVALID',
    );
    expect(Object.fromEntries(fieldWarnings.map((w) => [w.field, w.count]))).toEqual({
      'hardware.memory_bytes': 4,
      'hardware.cpu_count': 4,
      'hardware.disks[].size_bytes': 4,
      'storage.datastores[].free_bytes': 4,
    });
    const mem = fieldWarnings.find((w) => w.field === 'hardware.memory_bytes') as unknown as {
      examples: { external_id: string; value: string }[];
    };
    expect(mem.examples[0]).toMatchObject({ external_id: 'vm-1', value: '-1' });
  });
});

describe('cancel', () => {
  it('a queued run is cancelled at once; a finished one cannot be', async () => {
    const src = await createSource(t.db);
    const { run: queued } = await triggerRun(t.db, {
      sourceId: src.id,
      mode: 'collect_vms',
      trigger: 'manual',
    });
    const c = await cancelRun(t.db, systemActor('test'), queued.id);
    expect(c).toMatchObject({ status: 'cancelled', error_code: 'RUN_CANCELLED' });
    await expect(cancelRun(t.db, systemActor('test'), queued.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const audit = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events where action = 'run.cancel' and target_id = ${queued.id}`,
    );
    expect(audit[0]!.n).toBe(1);
  });

  it('a running run: the worker kills the plugin, rolls back, the run ends cancelled, ledger unchanged', async () => {
    const src = await createSource(t.db);
    expect(await run(src.id, 'ok', { STREAM_VMS: '20' })).toMatchObject({ status: 'succeeded' });
    const before = await ledgerChecksum(t.db);
    const { run: r } = await triggerRun(t.db, { sourceId: src.id, mode: 'collect_vms', trigger: 'manual' });
    const w = startWorker({
      db: t.db,
      secretKeys: [TEST_KEY],
      pollMs: 50,
      pluginCommand: plugin('slow', { STREAM_VMS: '100000' }),
    });
    try {
      // Progress appears on the run while it runs, and grows.
      let progress: Record<string, unknown> | null = null;
      for (let i = 0; i < 100 && !(Number(progress?.objects) > 5); i++) {
        await new Promise((res) => setTimeout(res, 100));
        progress = (await runOf(t.db, r.id)).progress;
      }
      expect(progress).toMatchObject({ phase: 'collecting', pluginPhase: 'vms' });
      expect(Number(progress!.objects)).toBeGreaterThan(5);
      const asked = await cancelRun(t.db, systemActor('test'), r.id);
      expect(asked.status).toBe('running');
      expect(asked.cancel_requested_at).not.toBeNull();
      let status = asked.status;
      for (let i = 0; i < 100 && status === 'running'; i++) {
        await new Promise((res) => setTimeout(res, 100));
        status = (await runOf(t.db, r.id)).status;
      }
      expect(await runOf(t.db, r.id)).toMatchObject({ status: 'cancelled', error_code: 'RUN_CANCELLED' });
    } finally {
      await w.stop();
    }
    expect(await ledgerChecksum(t.db)).toEqual(before);
  });
});

describe('worker SIGKILLed while a streamed run is half ingested', () => {
  /** This source's ledger as content (no ids, no times): kind, moref, normalized record, presence. */
  const contentOf = async (sourceId: string) =>
    rows<{ k: string }>(
      t.db,
      sql`select l.external_kind || ' ' || l.external_id || ' ' || l.presence || ' ' || r.normalized::text as k
          from asset_source_links l join source_records r on r.link_id = l.id
          where l.source_id = ${sourceId} order by 1`,
    );

  it('no partial rows; the run is recovered and completes; the ledger equals a clean run', async () => {
    const src = await createSource(t.db);
    const before = await ledgerChecksum(t.db);
    const { run: r } = await triggerRun(t.db, { sourceId: src.id, mode: 'collect_vms', trigger: 'manual' });
    const worker = spawn(process.execPath, ['--import', 'tsx', 'test/stream-kill-worker.ts', t.url, '600'], {
      stdio: 'ignore',
    });
    try {
      // Half way: the run reports objects arriving (ingest has pulled and staged them, uncommitted).
      let objects = 0;
      for (let i = 0; i < 300 && objects < 150; i++) {
        await new Promise((res) => setTimeout(res, 100));
        objects = Number((await runOf(t.db, r.id)).progress?.objects ?? 0);
      }
      expect(objects).toBeGreaterThanOrEqual(150);
      expect(objects).toBeLessThan(600);
    } finally {
      worker.kill('SIGKILL');
      await new Promise((res) => worker.once('exit', res));
    }
    expect(await runOf(t.db, r.id)).toMatchObject({ status: 'running', attempt: 1 });
    expect(await ledgerChecksum(t.db)).toEqual(before);

    // Another worker sees the heartbeat stop, requeues the run as attempt 2 and completes it.
    const w = startWorker({
      db: t.db,
      secretKeys: [TEST_KEY],
      pollMs: 100,
      heartbeatSeconds: 1,
      staleSeconds: 2,
      pluginCommand: plugin('ok', { STREAM_VMS: '600' }),
    });
    try {
      for (let i = 0; i < 300 && (await runOf(t.db, r.id)).status !== 'succeeded'; i++)
        await new Promise((res) => setTimeout(res, 100));
    } finally {
      await w.stop();
    }
    const done = await runOf(t.db, r.id);
    expect(done).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(done.attempts[0]).toMatchObject({ attempt: 1, errorCode: 'WORKER_LOST' });

    const clean = await createSource(t.db);
    expect(await run(clean.id, 'ok', { STREAM_VMS: '600' })).toMatchObject({ status: 'succeeded' });
    const recovered = await contentOf(src.id);
    expect(recovered).toHaveLength(600);
    expect(recovered).toEqual(await contentOf(clean.id));
  }, 120_000);
});
