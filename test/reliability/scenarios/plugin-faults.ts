// A plugin that hangs, prints garbage, truncated output, the wrong shape, 200 MB, or exits non-zero after a
// valid body: each run fails with its own code, ingests nothing, and the same worker process goes on to
// run a good plugin.
import { sql } from 'drizzle-orm';
import type { Context } from '../context';
import { trigger } from '../context';
import { createSource } from '../../pipeline-helpers';
import { Proc, appEnv, count, scratchDatabase, waitFinal, type Row } from '../harness';

const FAULTS: { fault: string; label: string; codes: string[] }[] = [
  { fault: 'hang', label: 'plugin hangs', codes: ['PLUGIN_TIMEOUT'] },
  { fault: 'garbage', label: 'plugin prints garbage', codes: ['PLUGIN_OUTPUT_INVALID_JSON'] },
  { fault: 'truncated', label: 'plugin output truncated', codes: ['PLUGIN_OUTPUT_INVALID_JSON'] },
  { fault: 'wrong-shape', label: 'plugin output of the wrong shape', codes: ['PLUGIN_OUTPUT_INVALID'] },
  { fault: 'huge', label: 'plugin prints 200 MB', codes: ['OUTPUT_TOO_LARGE'] },
  { fault: 'exit-nonzero', label: 'plugin exits 3 after a valid body', codes: ['PLUGIN_EXIT_NONZERO'] },
  {
    fault: 'v2-broken-line',
    label: 'plugin v2 stream: a line that does not parse',
    codes: ['PLUGIN_OUTPUT_INVALID_JSON'],
  },
  { fault: 'v2-no-end', label: 'plugin v2 stream without its end line', codes: ['PLUGIN_END_MISSING'] },
  { fault: 'v2-dies', label: 'plugin killed mid-stream (v2)', codes: ['PLUGIN_EXIT_NONZERO'] },
];

export async function pluginFaults(ctx: Context): Promise<Row[]> {
  const s = await scratchDatabase(ctx.serverUrl, 'plugin');
  const w = new Proc(
    'fault-worker',
    'test/reliability/fault-worker.ts',
    // A limit the 200 MB plugin passes in well under the timeout, even on a busy machine.
    appEnv(s.url, { RUN_TIMEOUT_SECONDS: '5', RUN_OUTPUT_LIMIT_MB: '16' }),
  );
  const rows: Row[] = [];
  try {
    const linksOf = (id: string) =>
      count(s.db, sql`select count(*)::int n from asset_source_links where source_id = ${id}`);
    for (const f of FAULTS) {
      const src = await createSource(s.db, {
        config: { endpoint: `https://fault-${f.fault}.invalid`, fault: f.fault },
      });
      const t0 = Date.now();
      const [st] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_vms')], 60_000);
      const ms = Date.now() - t0;
      const links = await linksOf(src.id);
      const ok = st!.status === 'failed' && f.codes.includes(st!.error_code ?? '') && links === 0 && w.alive;
      rows.push({
        fault: f.label,
        expected: `failed ${f.codes.join(' or ')}; nothing ingested`,
        observed: `${st!.status} ${st!.error_code} after ${(ms / 1000).toFixed(1)} s; ${links} rows; worker ${w.alive ? 'alive' : 'DEAD'}`,
        dataLost: links,
        pass: ok,
      });
    }
    const src = await createSource(s.db, {
      config: { endpoint: 'https://fault-ok.invalid', fault: 'v2-ok' },
    });
    const [st] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_vms')], 60_000);
    const links = await linksOf(src.id);
    // The same source then reports half its VMs with inventory_complete false: nothing may go missing.
    await s.db.execute(
      sql`update sources set config = config || '{"fault":"incomplete"}'::jsonb where id = ${src.id}`,
    );
    const [inc] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_vms')], 60_000);
    const missing = await count(
      s.db,
      sql`select count(*)::int n from asset_source_links where source_id = ${src.id} and presence <> 'present'`,
    );
    rows.push({
      fault: 'plugin reports an incomplete inventory (half the VMs)',
      expected: 'failed INVENTORY_INCOMPLETE; no asset of the earlier run missing',
      observed: `${inc!.status} ${inc!.error_code}; ${missing} of ${links} missing`,
      dataLost: missing,
      pass: inc!.status === 'failed' && inc!.error_code === 'INVENTORY_INCOMPLETE' && missing === 0,
    });
    const runners = await count(
      s.db,
      sql`select count(distinct a->>'workerId')::int n from runs, jsonb_array_elements(attempts) a`,
    );
    rows.push({
      fault: 'the worker after those plugin faults',
      expected: 'the same worker process runs a good plugin: succeeded, 50 VMs',
      observed: `${st!.status}; ${links} VMs; ${runners} worker process(es) ran all ${FAULTS.length + 2} runs`,
      dataLost: Math.max(0, 50 - links),
      pass: st!.status === 'succeeded' && links === 50 && runners === 1 && w.alive,
    });
    return rows;
  } finally {
    await w.kill();
    await s.drop();
  }
}
