// Ingest against a real PostgreSQL with synthetic responses: identity, records, canonical view, search
// columns, presence, relation lifecycle and history.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db';
import { createRunningRun, createSource, ingestResponse, rows } from './pipeline-helpers';
import { ingestRun } from '@/ingest/ingest';
import { recordLastSeenRunId, recordScanJoin } from '@/ingest/last-seen';
import { hostsResponse, vmsResponse, type SyntheticEstate } from '../bench/ingest-synthetic';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(t.db, q))[0]!.n;

describe('ingest', () => {
  it('VMs before hosts: lands with an unresolved-relations warning, resolves after the hosts run', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 2, hosts: 4, vms: 10 };
    const first = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    expect(first.stats.new).toBe(10);
    expect(first.stats.relations).toBe(0);
    expect(first.stats.relations_unresolved).toBe(20);
    expect(first.warnings).toEqual([expect.objectContaining({ code: 'RELATIONS_UNRESOLVED', count: 20 })]);

    const hosts = await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e));
    expect(hosts.stats).toMatchObject({ new: 6, relations: 4, relations_unresolved: 0 });
    // The hosts run must not mark the VMs missing: presence is per mode.
    expect(hosts.stats.missing).toBe(0);

    const again = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    expect(again.stats).toMatchObject({
      new: 0,
      changed: 0,
      unchanged: 10,
      relations: 20,
      relations_unresolved: 0,
    });
    expect(again.warnings).toEqual([]);
    expect(
      await count(
        sql`select count(*)::int n from relations where source_id = ${src.id} and status = 'active'`,
      ),
    ).toBe(24);
    // Search columns: host_name from runs_on, cluster from the host's member_of.
    const [vm] = await rows<{
      host_name: string;
      cluster_name: string;
      mac_addresses: string[];
      ip_addresses: string[];
      name: string;
    }>(
      t.db,
      sql`select a.host_name, a.cluster_name, a.mac_addresses, a.ip_addresses, a.name from assets a
          join asset_source_links l on l.asset_uuid = a.uuid where l.source_id = ${src.id} and l.external_id = 'vm-5'`,
    );
    expect(vm).toEqual({
      name: 'vm-5',
      host_name: 'esx-1.corp.example',
      cluster_name: 'cluster-1',
      mac_addresses: ['00:50:56:00:00:05'],
      ip_addresses: ['10.1.0.5'],
    });
  });

  it('records only on change, snapshots and change events, vMotion and destroy', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 3, vms: 6 };
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e));
    const r1 = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    expect(r1.stats).toMatchObject({ new: 6, records_written: 6, snapshots: 6, relations: 12 });
    const r2 = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    expect(r2.stats).toMatchObject({ new: 0, changed: 0, unchanged: 6, records_written: 0, snapshots: 0 });
    expect(
      await count(
        // Unchanged records are seen through the run's scan, not re-stamped (src/ingest/last-seen.ts).
        sql`select count(*)::int n from source_records s ${sql.raw(recordScanJoin('s', 'l', 'c'))}
            where s.source_id = ${src.id} and ${sql.raw(recordLastSeenRunId('s', 'l', 'c'))} = ${r2.runId}`,
      ),
    ).toBe(6);

    // vm-1 changes its name and moves from host-1 to host-2.
    const e3 = { ...e, changedVms: new Set([1]), vmHost: new Map([[1, 2]]) };
    const r3 = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e3));
    expect(r3.stats).toMatchObject({
      changed: 1,
      unchanged: 5,
      records_written: 1,
      snapshots: 1,
      relations_inactive: 2,
    });
    const [vm1] = await rows<{ uuid: string; name: string; host_name: string }>(
      t.db,
      sql`select a.uuid, a.name, a.host_name from assets a join asset_source_links l on l.asset_uuid = a.uuid
          where l.source_id = ${src.id} and l.external_id = 'vm-1'`,
    );
    expect(vm1).toMatchObject({ name: 'vm-1-g1', host_name: 'esx-2.corp.example' });
    const runsOn = await rows<{ status: string; host: string }>(
      t.db,
      sql`select r.status::text, h.name as host from relations r join assets h on h.uuid = r.to_asset_uuid
          where r.from_asset_uuid = ${vm1!.uuid} and r.type = 'runs_on' order by r.status`,
    );
    expect(runsOn).toEqual([
      { status: 'active', host: 'esx-2.corp.example' },
      { status: 'inactive', host: 'esx-1.corp.example' },
    ]);
    const events = await rows<{ type: string; details: Record<string, unknown> }>(
      t.db,
      sql`select type::text, details from asset_events where asset_uuid = ${vm1!.uuid} order by id`,
    );
    expect(events.map((x) => x.type)).toEqual(['created', 'changed', 'relation_changed']);
    expect(events[1]!.details.changes).toEqual([{ path: 'identity.caption', old: 'vm-1', new: 'vm-1-g1' }]);
    expect(events[2]!.details).toMatchObject({ relation: 'runs_on' });
    const canonical = (
      await rows<{ canonical: { sources: { run_id: string }[]; provenance: Record<string, number> } }>(
        t.db,
        sql`select canonical from assets where uuid = ${vm1!.uuid}`,
      )
    )[0]!.canonical;
    expect(canonical.sources[0]!.run_id).toBe(r3.runId);
    expect(canonical.provenance).toEqual({}); // one source: every field from sources[0]

    // One snapshot row per version: the superseded one now holds the old view and its hash, the current
    // one's content is the asset's canonical (not stored twice).
    const snaps = await rows<{ run_id: string; name: string | null; hash: string | null }>(
      t.db,
      sql`select run_id, canonical #>> '{normalized,identity,caption}' as name, hash from asset_snapshots
          where asset_uuid = ${vm1!.uuid} order by id`,
    );
    expect(snaps).toEqual([
      { run_id: r1.runId, name: 'vm-1', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      { run_id: r3.runId, name: null, hash: null },
    ]);
    // The record keeps the plugin's raw payload as JSON text, byte for byte what the plugin sent.
    const [rec] = await rows<{ raw: string; raw_gzip: Buffer | null; hash: string }>(
      t.db,
      sql`select s.raw, s.raw_gzip, s.hash from source_records s join asset_source_links l on l.id = s.link_id
          where l.asset_uuid = ${vm1!.uuid} order by s.id desc limit 1`,
    );
    const sent = vmsResponse(e3).assets.find((a) => a.external_id === 'vm-1')!;
    expect(rec!.raw_gzip).toBeNull();
    expect(JSON.parse(rec!.raw)).toEqual(sent.raw_payload);
    expect(rec!.hash).toBe(
      createHash('sha256')
        .update(JSON.stringify([sent.normalized, sent.raw_payload]))
        .digest('hex'),
    );

    // vm-4 destroyed: link missing, asset offline, event; then it comes back.
    const r4 = await ingestResponse(
      t.db,
      src.id,
      'collect_vms',
      vmsResponse({ ...e3, goneVms: new Set([4]) }),
    );
    expect(r4.stats).toMatchObject({ missing: 1, offline: 1, relations_inactive: 2 });
    const [vm4] = await rows<{ uuid: string; status: string; presence: string }>(
      t.db,
      sql`select a.uuid, a.status::text, l.presence::text from assets a join asset_source_links l on l.asset_uuid = a.uuid
          where l.source_id = ${src.id} and l.external_id = 'vm-4'`,
    );
    expect(vm4).toMatchObject({ status: 'offline', presence: 'missing' });
    const r5 = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e3));
    expect(r5.stats).toMatchObject({ came_back: 1, missing: 0 });
    const ev4 = await rows<{ type: string }>(
      t.db,
      sql`select type::text from asset_events where asset_uuid = ${vm4!.uuid} order by id`,
    );
    expect(ev4.map((x) => x.type)).toEqual(['created', 'went_missing', 'came_back', 'relation_changed']);
  });

  it('re-attaches an object that reappears under a new moref with the same instance UUID', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 1, vms: 2 };
    await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    const resp = vmsResponse(e);
    resp.assets[0]!.external_id = 'vm-1000';
    const r = await ingestResponse(t.db, src.id, 'collect_vms', resp);
    expect(r.stats).toMatchObject({ new: 0, reattached: 1, missing: 0 });
    expect(
      await count(
        sql`select count(*)::int n from assets a join asset_source_links l on l.asset_uuid = a.uuid where l.source_id = ${src.id}`,
      ),
    ).toBe(2);
  });

  // A re-run whose edges are the active ones writes nothing (one join tells); these are not that run.
  it('a re-run that reports one edge twice and leaves another out, or changes an edge payload, is not unchanged', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 2, vms: 3 };
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e));
    await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    const active = () =>
      rows<{ type: string; from_id: string; to_id: string; raw: unknown }>(
        t.db,
        sql`select r.type::text, lf.external_id as from_id, lt.external_id as to_id, r.raw_payload as raw
            from relations r
            join asset_source_links lf on lf.asset_uuid = r.from_asset_uuid and lf.source_id = r.source_id
            join asset_source_links lt on lt.asset_uuid = r.to_asset_uuid and lt.source_id = r.source_id
            where r.source_id = ${src.id} and r.status = 'active' and lf.external_kind = 'vm'
            order by 1, 2, 3`,
      );
    const before = await active();
    expect(before.length).toBeGreaterThan(1);

    // as many edges as are active, all of them active ones, but one of them twice and another missing
    const twice = vmsResponse(e);
    const [left, ...rest] = twice.relations;
    twice.relations = [...rest, rest[0]!];
    const r1 = await ingestResponse(t.db, src.id, 'collect_vms', twice);
    expect(r1.stats.relations_inactive).toBe(1);
    expect((await active()).length).toBe(before.length - 1);
    expect((await active()).some((x) => x.from_id === left!.from.external_id && x.type === left!.type)).toBe(
      false,
    );

    // every edge again, one with another payload
    const payload = vmsResponse(e);
    payload.relations[0] = { ...payload.relations[0]!, raw_payload: { note: 'moved 🚚 <&>' } };
    const r2 = await ingestResponse(t.db, src.id, 'collect_vms', payload);
    expect(r2.stats.relations_inactive).toBe(0);
    const after = await active();
    expect(after.length).toBe(before.length);
    expect(after.filter((x) => JSON.stringify(x.raw) === '{"note":"moved 🚚 <&>"}').length).toBe(1);

    // and the same edges once more: unchanged, nothing written
    const again = await ingestResponse(t.db, src.id, 'collect_vms', payload);
    expect(again.stats).toMatchObject({ relations: payload.relations.length, relations_inactive: 0 });
    expect(await active()).toEqual(after);
  });

  it('an incomplete run records no presence or relation changes', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 2, vms: 4 };
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e));
    await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    const partial = vmsResponse({ ...e, goneVms: new Set([0, 1]) });
    partial.stats.inventory_complete = false;
    const r = await ingestResponse(t.db, src.id, 'collect_vms', partial);
    expect(r.stats).toMatchObject({ missing: 0, relations_inactive: 0 });
    expect(
      await count(
        sql`select count(*)::int n from asset_source_links where source_id = ${src.id} and presence = 'missing'`,
      ),
    ).toBe(0);
  });

  it('a change in the raw payload alone is a new record, but not a new version of the asset', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 2, vms: 3 };
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e));
    await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e));
    const next = vmsResponse(e);
    const vm1 = next.assets.find((a) => a.external_id === 'vm-1')!;
    vm1.raw_payload = { ...(vm1.raw_payload as Record<string, unknown>), overallStatus: 'yellow' };
    const r = await ingestResponse(t.db, src.id, 'collect_vms', next);
    // The record is what the source said: a raw-only change is recorded. The asset's values did not change,
    // so no snapshot and no change event.
    expect(r.stats).toMatchObject({ records_written: 1, changed: 0, unchanged: 3, snapshots: 0 });
    const recs = await rows<{ external_id: string; n: number; raw: string }>(
      t.db,
      sql`select l.external_id, count(*)::int as n,
                 (array_agg(s.raw order by s.id desc))[1] as raw
          from source_records s join asset_source_links l on l.id = s.link_id
          where l.source_id = ${src.id} and l.external_kind = 'vm' group by l.external_id order by l.external_id`,
    );
    expect(recs.map((x) => [x.external_id, x.n])).toEqual([
      ['vm-0', 1],
      ['vm-1', 2],
      ['vm-2', 1],
    ]);
    expect(JSON.parse(recs[1]!.raw)).toMatchObject({ overallStatus: 'yellow' });
    expect(
      await count(sql`select count(*)::int n from asset_events e join asset_source_links l
                      on l.asset_uuid = e.asset_uuid where l.source_id = ${src.id} and e.type = 'changed'`),
    ).toBe(0);
  });

  it('reuses its working tables on a connection: a rolled-back run leaves nothing for the next one', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 2, vms: 4 };
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e));
    const client = await t.db.$client.connect();
    try {
      const ingest = async (runId: string) =>
        ingestRun(client, {
          runId,
          sourceId: src.id,
          mode: 'collect_vms',
          collectedAt: new Date(),
          assets: vmsResponse(e).assets,
          relations: vmsResponse(e).relations,
          inventoryComplete: true,
        });
      const run1 = await createRunningRun(t.db, src.id, 'collect_vms');
      await client.query('begin');
      expect((await ingest(run1)).stats.new).toBe(4);
      await client.query('rollback');
      await t.db.execute(sql`update runs set status = 'failed' where id = ${run1}`);
      // The same connection still has the tables; the aborted run's rows in them must not count.
      const [tables] = (await client.query(`select to_regclass('pg_temp._map') is not null as here`))
        .rows as { here: boolean }[];
      expect(tables!.here).toBe(true);
      const run2 = await createRunningRun(t.db, src.id, 'collect_vms');
      await client.query('begin');
      const r = await ingest(run2);
      await client.query('commit');
      expect(r.stats).toMatchObject({ new: 4, relations: 8, relations_unresolved: 0 });
      const left = (
        await client.query(`select (select count(*) from _map) + (select count(*) from _rel) as n`)
      ).rows as { n: string }[];
      expect(Number(left[0]!.n)).toBe(0); // emptied at commit
    } finally {
      client.release();
    }
    expect(await count(sql`select count(*)::int n from asset_source_links where source_id = ${src.id}`)).toBe(
      7,
    );
  });

  it('round trips do not grow with the number of assets', async () => {
    const small = await createSource(t.db);
    const big = await createSource(t.db);
    await ingestResponse(t.db, small.id, 'collect_hosts', hostsResponse({ clusters: 1, hosts: 2, vms: 0 }));
    await ingestResponse(t.db, big.id, 'collect_hosts', hostsResponse({ clusters: 4, hosts: 50, vms: 0 }));
    const a = await ingestResponse(
      t.db,
      small.id,
      'collect_vms',
      vmsResponse({ clusters: 1, hosts: 2, vms: 5 }),
    );
    const b = await ingestResponse(
      t.db,
      big.id,
      'collect_vms',
      vmsResponse({ clusters: 4, hosts: 50, vms: 500 }),
    );
    expect(b.stats.round_trips).toBe(a.stats.round_trips);
  });
});
