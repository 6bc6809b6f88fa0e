// A first collect_vms run of 4,000 simulator VMs through the real worker and plugin, the run in which
// stage-stream may create new objects while the plugin still streams (src/ingest/steps/create-early.ts;
// test/ingest-stream.test.ts proves the batches equal a run fed at once, with a paced source). Whether the
// stream was cut depends on the machine's timing; what lands must be whole either way: every VM with its
// record, `created` event, host, edges and evidence, and a re-run that finds nothing changed.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { triggerRun } from '@/server/runs/trigger';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource, rows, runOf, runWorkerUntilIdle } from './pipeline-helpers';
import { describeWithVcsim, startVcsim, type Vcsim } from './vcsim';

describeWithVcsim('a large first run (simulator, 4,000 VMs)', () => {
  let sim: Vcsim;
  let t: TestDatabase;
  beforeAll(async () => {
    // pages of 500, as vCenter answers: the plugin waits between pages, the worker's COPY waits for it
    [sim, t] = await Promise.all([
      startVcsim({
        clusters: 2,
        hostsPerCluster: 4,
        vmsPerCluster: 2000,
        page: 500,
        startTimeoutMs: 300_000,
      }),
      createTestDatabase(),
    ]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([sim?.stop(), t?.drop()]);
  });

  async function collect(sourceId: string, mode: 'collect_hosts' | 'collect_vms') {
    const { run } = await triggerRun(t.db, { sourceId, mode, trigger: 'manual' });
    await runWorkerUntilIdle(t.db, { timeoutSeconds: 600 });
    return runOf(t.db, run.id);
  }

  it('lands every VM whole, cut or not, and the re-run finds nothing changed', async () => {
    const src = await createSource(t.db, {
      config: { endpoint: sim.endpoint, insecure: true },
      credential: { username: sim.username, password: sim.password },
    });
    expect((await collect(src.id, 'collect_hosts')).status).toBe('succeeded');
    const first = await collect(src.id, 'collect_vms');
    expect(first.status).toBe('succeeded');
    const stats = first.stats as Record<string, number> & { ingest_steps: Record<string, number> };
    expect(stats).toMatchObject({ assets: sim.totals.vms, new: sim.totals.vms, relations_unresolved: 0 });
    console.log(`4,000-VM first run: ingest steps ${JSON.stringify(stats.ingest_steps)}`);

    const [v] = await rows<Record<string, number>>(
      t.db,
      sql`select count(*)::int as vms,
                 count(*) filter (where a.host_name is not null and a.host_name = h.name)::int as placed,
                 count(*) filter (where (select count(*) from source_records s where s.link_id = l.id) = 1)::int as one_record,
                 count(*) filter (where (select string_agg(e.type::text, ',') from asset_events e
                                         where e.asset_uuid = a.uuid) = 'created')::int as created,
                 count(*) filter (where exists (select 1 from relations r where r.from_asset_uuid = h.uuid
                   and r.to_asset_uuid = a.uuid and r.type = 'hosts_vm' and r.status = 'active'))::int as hosted,
                 count(*) filter (where (select count(*) from asset_identifiers i
                                         where i.asset_uuid = a.uuid and i.rule = 'vm.instance_uuid') = 1)::int as evidence
          from asset_source_links l
          join assets a on a.uuid = l.asset_uuid
          left join relations ro on ro.from_asset_uuid = a.uuid and ro.type = 'runs_on' and ro.status = 'active'
          left join assets h on h.uuid = ro.to_asset_uuid
          where l.source_id = ${src.id} and l.external_kind = 'vm'`,
    );
    const n = sim.totals.vms;
    expect(v).toEqual({ vms: n, placed: n, one_record: n, created: n, hosted: n, evidence: n });

    const again = await collect(src.id, 'collect_vms');
    expect(again.status).toBe('succeeded');
    expect(again.stats).toMatchObject({ new: 0, changed: 0, unchanged: n, records_written: 0 });
  }, 600_000);
});
