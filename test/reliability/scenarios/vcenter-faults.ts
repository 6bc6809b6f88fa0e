// vCenter slow, refusing connections, resetting mid-response, answering 503: the real plugin retries, the
// worker retries the run as new attempts, then the run fails with a clear code — and since an incomplete
// inventory is never ingested, no asset of the earlier good runs goes missing. A fault that clears within
// the plugin's retries ends in success.
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { armVcsimFault, startVcsim, type VcsimFault } from '../../vcsim.js';
import type { Context } from '../context';
import { simSource, trigger } from '../context';
import { Proc, appEnv, count, scratchDatabase, waitFinal, type Row } from '../harness';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Case {
  label: string;
  fault?: VcsimFault;
  config?: Record<string, unknown>;
  /** succeeded, or failed with PLUGIN_ERRORS carrying one of these plugin codes */
  expect: 'succeeded' | string[];
}

export async function vcenterFaults(ctx: Context): Promise<Row[]> {
  const sim = await startVcsim({ hostsPerCluster: 2, vmsPerCluster: 10, instanceUuid: randomUUID() });
  const s = await scratchDatabase(ctx.serverUrl, 'vcenter');
  const w = new Proc('worker', 'src/bin/worker.ts', appEnv(s.url, { RUN_MAX_ATTEMPTS: '2' }));
  const rows: Row[] = [];
  try {
    const src = await simSource(s, sim);
    for (const mode of ['collect_hosts', 'collect_vms'] as const) {
      const [st] = await waitFinal(s.db, [await trigger(s, src.id, mode)]);
      if (st!.status !== 'succeeded') throw new Error(`clean ${mode}: ${st!.status} ${st!.error_code}`);
    }
    const present = () =>
      count(s.db, sql`select count(*)::int n from asset_source_links where presence = 'present'`);
    const before = await present();
    const baseConfig = { endpoint: sim.endpoint, insecure: true };
    const cases: Case[] = [
      {
        label: 'vCenter slow (3 s per page, 1 s request timeout)',
        fault: { kind: 'delay', ms: 3000, method: 'RetrievePropertiesEx' },
        config: { request_timeout_ms: 1000 },
        expect: ['VCENTER_TIMEOUT'],
      },
      {
        label: 'vCenter refusing connections',
        config: { endpoint: `https://127.0.0.1:${await closedPort()}` },
        expect: ['VCENTER_NETWORK_ERROR'],
      },
      {
        label: 'vCenter resetting mid-response (always)',
        fault: { kind: 'reset', method: 'RetrievePropertiesEx' },
        expect: ['VCENTER_NETWORK_ERROR'],
      },
      {
        label: 'vCenter resetting mid-response (once)',
        fault: { kind: 'reset', method: 'RetrievePropertiesEx', count: 1 },
        expect: 'succeeded',
      },
      {
        label: 'vCenter answering 503 (always)',
        fault: { kind: 'status', status: 503 },
        expect: ['VCENTER_API_ERROR'],
      },
      {
        label: 'vCenter answering 503 (twice)',
        fault: { kind: 'status', status: 503, count: 2 },
        expect: 'succeeded',
      },
    ];
    for (const c of cases) {
      await s.db.execute(
        sql`update sources set config = ${JSON.stringify({ ...baseConfig, ...c.config })}::jsonb where id = ${src.id}`,
      );
      if (c.fault) await armVcsimFault(sim, c.fault);
      const t0 = Date.now();
      const [st] = await waitFinal(s.db, [await trigger(s, src.id, 'collect_vms')], 120_000);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const hits = c.fault ? await armVcsimFault(sim, { kind: '' }) : 0;
      const missing = await count(
        s.db,
        sql`select count(*)::int n from asset_source_links where presence <> 'present'`,
      );
      const now = await present();
      const pluginCode = st!.errors?.[0]?.code;
      const ok =
        (c.expect === 'succeeded'
          ? st!.status === 'succeeded'
          : st!.status === 'failed' &&
            st!.error_code === 'PLUGIN_ERRORS' &&
            c.expect.includes(pluginCode ?? '') &&
            st!.attempt >= 2) &&
        missing === 0 &&
        now === before;
      rows.push({
        fault: c.label,
        expected:
          c.expect === 'succeeded'
            ? 'plugin retries, run succeeds; nothing missing'
            : `retried as new attempts, failed PLUGIN_ERRORS/${c.expect.join('|')}; no asset missing`,
        observed: `${st!.status} ${st!.error_code ?? ''}${pluginCode ? `/${pluginCode}` : ''} after ${st!.attempt} attempt(s), ${secs} s${hits ? `, ${hits} faulted calls` : ''}; ${missing} missing of ${before}`,
        dataLost: missing + Math.max(0, before - now),
        pass: ok,
      });
    }
    return rows;
  } finally {
    await armVcsimFault(sim, { kind: '' }).catch(() => {});
    await w.kill();
    await s.drop();
    await sim.stop();
  }
}
