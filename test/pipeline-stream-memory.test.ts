// Memory of the worker in flat estate size: a plugin (test/stream-fake-plugin.mjs) streams 100,000 objects
// with a 1 KB raw payload each (≈130 MB of NDJSON) through the real worker into ingest. The worker's heap is
// sampled throughout; its peak growth stays far below the output's size (a measured figure, with generous
// headroom — held whole, the output alone would be 130 MB of text before parsing).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { triggerRun } from '@/server/runs/trigger';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource, rows, runOf, runWorkerUntilIdle } from './pipeline-helpers';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const OBJECTS = 100_000;
const HEAP_GROWTH_LIMIT_MB = 96;

it(`100,000 streamed objects of 1 KB: the worker's heap grows by less than ${HEAP_GROWTH_LIMIT_MB} MB`, async () => {
  const src = await createSource(t.db);
  const { run } = await triggerRun(t.db, { sourceId: src.id, mode: 'collect_vms', trigger: 'manual' });
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  try {
    await runWorkerUntilIdle(t.db, {
      pluginCommand: {
        command: process.execPath,
        args: ['test/stream-fake-plugin.mjs'],
        env: { STREAM: 'ok', STREAM_VMS: String(OBJECTS - 1), STREAM_PAYLOAD: '1000' },
      },
    });
  } finally {
    clearInterval(sampler);
  }
  const r = await runOf(t.db, run.id);
  expect(r).toMatchObject({ status: 'succeeded' });
  const links = await rows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from asset_source_links where source_id = ${src.id}`,
  );
  expect(links[0]!.n).toBe(OBJECTS - 1); // the plugin's one host is not of this mode's kinds
  const outputMb = Number(r.stats!.output_bytes) / 2 ** 20;
  const growthMb = (peak - base) / 2 ** 20;
  console.log(
    `stream memory: ${OBJECTS} objects, ${outputMb.toFixed(0)} MB of output, worker heap peak +${growthMb.toFixed(1)} MB`,
  );
  expect(outputMb).toBeGreaterThan(100);
  expect(growthMb).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
}, 300_000);
