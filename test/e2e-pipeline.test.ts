// End to end on the simulator: scheduler tick → two runs → worker (real plugin subprocess) → ledger.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tick } from '@/server/scheduler/scheduler';
import { triggerGroup, triggerRun } from '@/server/runs/trigger';
import { createTestDatabase, type TestDatabase } from './db';
import { createGroup, createSource, rows, runOf, runWorkerUntilIdle, WRAPPER } from './pipeline-helpers';
import { describeWithVcsim, destroyVm, relocateVm, startVcsim, type Vcsim } from './vcsim';

describeWithVcsim('pipeline end to end (simulator)', () => {
  let sim: Vcsim;
  let t: TestDatabase;
  let sourceId: string;
  const config = () => ({ endpoint: sim.endpoint, insecure: true });
  const creds = () => ({ username: sim.username, password: sim.password });

  beforeAll(async () => {
    [sim, t] = await Promise.all([
      startVcsim({ clusters: 2, hostsPerCluster: 2, vmsPerCluster: 4, standaloneHosts: 1 }),
      createTestDatabase(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([sim?.stop(), t?.drop()]);
  });

  const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(t.db, q))[0]!.n;
  const kinds = async (src: string) =>
    Object.fromEntries(
      (
        await rows<{ kind: string; n: number }>(
          t.db,
          sql`select l.external_kind::text as kind, count(*)::int as n from asset_source_links l
              join assets a on a.uuid = l.asset_uuid
              where l.source_id = ${src} and l.presence = 'present' and a.status = 'active' group by 1`,
        )
      ).map((r) => [r.kind, r.n]),
    );
  const activeRelations = async (src: string) =>
    Object.fromEntries(
      (
        await rows<{ type: string; n: number }>(
          t.db,
          sql`select type::text, count(*)::int as n from relations where source_id = ${src} and status = 'active' group by 1`,
        )
      ).map((r) => [r.type, r.n]),
    );

  it('a due group fires once: collect_hosts then collect_vms, both land, the ledger equals the simulator', async () => {
    const now = new Date();
    const hhmm = `${String(now.getUTCHours()).padStart(2, '0')}:${String(now.getUTCMinutes()).padStart(2, '0')}`;
    const group = await createGroup(t.db, { timezone: 'UTC', timeOfDay: hhmm });
    sourceId = (await createSource(t.db, { config: config(), credential: creds(), scheduleGroupId: group }))
      .id;

    const fired = await tick(t.db, now, { graceMinutes: 60 });
    expect(fired).toEqual([expect.objectContaining({ group_id: group, action: 'fired' })]);
    expect(await tick(t.db, now, { graceMinutes: 60 })).toEqual([]);
    const queued = await rows<{ id: string; mode: string }>(
      t.db,
      sql`select id, mode::text from runs where source_id = ${sourceId} order by created_at`,
    );
    expect(queued.map((r) => r.mode)).toEqual(['collect_hosts', 'collect_vms']);

    await runWorkerUntilIdle(t.db, { concurrency: 1 });
    for (const r of queued) {
      const run = await runOf(t.db, r.id);
      expect(run, JSON.stringify(run)).toMatchObject({
        status: 'succeeded',
        error_code: null,
        trigger: 'schedule',
      });
    }
    // The hosts run finished before the VMs run started (oldest first), so every relation resolved.
    const vmsRun = await runOf(t.db, queued[1]!.id);
    expect(vmsRun.warnings).toEqual([]);
    expect(vmsRun.stats).toMatchObject({ new: sim.totals.vms, relations_unresolved: 0 });

    expect(await kinds(sourceId)).toEqual({
      host: sim.totals.hosts,
      cluster: sim.totals.clusters,
      vm: sim.totals.vms,
    });
    expect(await activeRelations(sourceId)).toEqual({
      runs_on: sim.totals.vms,
      hosts_vm: sim.totals.vms,
      member_of: sim.totals.clusters * 2, // standalone hosts belong to no cluster
    });
    expect(
      await count(sql`select count(*)::int n from assets a join asset_source_links l on l.asset_uuid = a.uuid
                      where l.source_id = ${sourceId} and a.kind = 'vm' and a.host_name is null`),
    ).toBe(0);
  });

  // A second source needs a vCenter of its own: the same one twice fails SOURCE_DUPLICATE (issue 16).
  const SIM_OPTS = { clusters: 2, hostsPerCluster: 2, vmsPerCluster: 4, standaloneHosts: 1 };
  async function withOwnVcenter(fn: (config: { endpoint: string; insecure: boolean }) => Promise<void>) {
    const own = await startVcsim(SIM_OPTS);
    try {
      await fn({ endpoint: own.endpoint, insecure: true });
    } finally {
      await own.stop();
    }
  }

  it('a VM run before any host run lands with a warning; after the hosts run, the next VM run resolves all', async () =>
    withOwnVcenter(async (ownConfig) => {
      const src = (await createSource(t.db, { config: ownConfig, credential: creds() })).id;
      const vms1 = await triggerRun(t.db, { sourceId: src, mode: 'collect_vms', trigger: 'manual' });
      await runWorkerUntilIdle(t.db);
      const r1 = await runOf(t.db, vms1.run.id);
      expect(r1.status).toBe('succeeded');
      expect(r1.warnings).toEqual([
        expect.objectContaining({ code: 'RELATIONS_UNRESOLVED', count: 2 * sim.totals.vms }),
      ]);
      await triggerRun(t.db, { sourceId: src, mode: 'collect_hosts', trigger: 'manual' });
      await runWorkerUntilIdle(t.db);
      const vms2 = await triggerRun(t.db, { sourceId: src, mode: 'collect_vms', trigger: 'manual' });
      await runWorkerUntilIdle(t.db);
      const r2 = await runOf(t.db, vms2.run.id);
      expect(r2).toMatchObject({ status: 'succeeded', warnings: [] });
      expect(r2.stats).toMatchObject({
        relations: 2 * sim.totals.vms,
        relations_unresolved: 0,
        unchanged: sim.totals.vms,
      });
      expect(await activeRelations(src)).toMatchObject({ runs_on: sim.totals.vms, hosts_vm: sim.totals.vms });
    }));

  it('a failing hosts run does not stop the VMs run, and the reverse', async () => {
    for (const failMode of ['collect_hosts', 'collect_vms'] as const)
      await withOwnVcenter(async (ownConfig) => {
        const group = await createGroup(t.db);
        const src = (
          await createSource(t.db, { config: ownConfig, credential: creds(), scheduleGroupId: group })
        ).id;
        const res = await triggerGroup(t.db, group, 'manual');
        expect(res).toMatchObject({ queued: 2, suppressed: 0, skippedMissingCredential: 0 });
        await runWorkerUntilIdle(t.db, { pluginCommand: { ...WRAPPER, env: { FAIL_MODE: failMode } } });
        const byMode = Object.fromEntries(
          (
            await rows<{ mode: string; status: string; error_code: string | null }>(
              t.db,
              sql`select mode::text, status::text, error_code from runs where source_id = ${src}`,
            )
          ).map((r) => [r.mode, r]),
        );
        const okMode = failMode === 'collect_hosts' ? 'collect_vms' : 'collect_hosts';
        expect(byMode[failMode]).toMatchObject({ status: 'failed', error_code: 'PLUGIN_EXIT_NONZERO' });
        expect(byMode[okMode]).toMatchObject({ status: 'succeeded', error_code: null });
        const k = await kinds(src);
        if (failMode === 'collect_hosts') expect(k).toEqual({ vm: sim.totals.vms });
        else expect(k).toEqual({ host: sim.totals.hosts, cluster: sim.totals.clusters });
      });
  });

  it('a vMotioned VM has one active runs_on and a history event; a destroyed VM goes missing, a failed run in between changes nothing', async () => {
    const [vm] = await rows<{ external_id: string; asset_uuid: string; host: string }>(
      t.db,
      sql`select l.external_id, l.asset_uuid, lh.external_id as host
          from asset_source_links l
          join relations r on r.from_asset_uuid = l.asset_uuid and r.type = 'runs_on' and r.status = 'active'
          join asset_source_links lh on lh.asset_uuid = r.to_asset_uuid and lh.source_id = l.source_id
          where l.source_id = ${sourceId} and l.external_kind = 'vm' order by l.external_id limit 1`,
    );
    const [other] = await rows<{ external_id: string; asset_uuid: string }>(
      t.db,
      sql`select external_id, asset_uuid from asset_source_links
          where source_id = ${sourceId} and external_kind = 'host' and external_id <> ${vm!.host} order by external_id limit 1`,
    );
    await relocateVm(sim, vm!.external_id, other!.external_id);
    const moved = await triggerRun(t.db, { sourceId, mode: 'collect_vms', trigger: 'manual' });
    await runWorkerUntilIdle(t.db);
    expect(await runOf(t.db, moved.run.id)).toMatchObject({ status: 'succeeded' });
    const runsOn = await rows<{ to: string; status: string }>(
      t.db,
      sql`select to_asset_uuid as to, status::text from relations where from_asset_uuid = ${vm!.asset_uuid} and type = 'runs_on'`,
    );
    expect(runsOn.filter((r) => r.status === 'active')).toEqual([
      { to: other!.asset_uuid, status: 'active' },
    ]);
    expect(runsOn.filter((r) => r.status === 'inactive')).toHaveLength(1);
    const ev = await rows<{ details: Record<string, unknown> }>(
      t.db,
      sql`select details from asset_events where asset_uuid = ${vm!.asset_uuid} and type = 'relation_changed'`,
    );
    expect(ev).toEqual([
      { details: expect.objectContaining({ relation: 'runs_on', to: other!.asset_uuid }) },
    ]);

    // Destroy another VM; a failed VMs run first must change nothing.
    const [victim] = await rows<{ external_id: string; asset_uuid: string }>(
      t.db,
      sql`select external_id, asset_uuid from asset_source_links where source_id = ${sourceId}
          and external_kind = 'vm' and external_id <> ${vm!.external_id} order by external_id limit 1`,
    );
    await destroyVm(sim, victim!.external_id);
    const snapshot = async () =>
      rows(
        t.db,
        sql`select (select count(*)::int from asset_source_links where source_id = ${sourceId} and presence = 'present') as present,
                   (select count(*)::int from relations where source_id = ${sourceId} and status = 'active') as active,
                   (select count(*)::int from asset_events) as events, (select count(*)::int from source_records) as records`,
      );
    const before = await snapshot();
    const failed = await triggerRun(t.db, { sourceId, mode: 'collect_vms', trigger: 'manual' });
    await runWorkerUntilIdle(t.db, { pluginCommand: { ...WRAPPER, env: { FAIL_MODE: 'collect_vms' } } });
    expect(await runOf(t.db, failed.run.id)).toMatchObject({ status: 'failed' });
    expect(await snapshot()).toEqual(before);

    const after = await triggerRun(t.db, { sourceId, mode: 'collect_vms', trigger: 'manual' });
    await runWorkerUntilIdle(t.db);
    expect((await runOf(t.db, after.run.id)).stats).toMatchObject({ missing: 1, offline: 1 });
    const [gone] = await rows<{ status: string; presence: string }>(
      t.db,
      sql`select a.status::text, l.presence::text from assets a join asset_source_links l on l.asset_uuid = a.uuid
          where a.uuid = ${victim!.asset_uuid}`,
    );
    expect(gone).toEqual({ status: 'offline', presence: 'missing' });
  });
});
