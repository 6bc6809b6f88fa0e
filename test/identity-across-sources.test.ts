// Identity across sources on two simulators (issue 16 items 2–4): a VM moved from vCenter A to vCenter B
// keeping its instance and BIOS UUIDs stays one asset; a VM present in both is one candidate with its
// evidence; hosts that share only placeholder serials and hardware UUIDs are never a candidate.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunMode } from '@/collector/contract';
import { triggerRun } from '@/server/runs/trigger';
import * as assetRoute from '@/app/api/v1/assets/[id]/route';
import * as assetsRoute from '@/app/api/v1/assets/route';
import * as exportRoute from '@/app/api/v1/exports/assets/route';
import * as mergeRoute from '@/app/api/v1/assets/[id]/merge/route';
import * as splitRoute from '@/app/api/v1/assets/[id]/split/route';
import * as candidatesRoute from '@/app/api/v1/duplicate-candidates/route';
import * as candidateRoute from '@/app/api/v1/duplicate-candidates/[id]/route';
import * as ignoreRoute from '@/app/api/v1/duplicate-candidates/[id]/ignore/route';
import type { RouteHandler } from '@/server/http/route';
import { parseEvent } from '@/server/history/events';
import { call, setupApiTest } from './api';
import { createActors, type Actors } from './api-fixtures';
import type { TestDatabase } from './db';
import { createSource, rows, runOf, runWorkerUntilIdle } from './pipeline-helpers';
import { describeWithVcsim, destroyVm, listVmIdentities, startVcsim, type Vcsim } from './vcsim';

const MOVING = {
  name: 'moving-vm',
  uuid: '4211aaaa-0000-4000-8000-000000000001',
  instanceUuid: '5011bbbb-0000-4000-8000-000000000001',
};
const TWIN = {
  name: 'twin-vm',
  uuid: '4211aaaa-0000-4000-8000-000000000002',
  instanceUuid: '5011bbbb-0000-4000-8000-000000000002',
};

describeWithVcsim('identity across sources (two simulators)', () => {
  let t: TestDatabase;
  let a: Vcsim;
  let b: Vcsim | undefined;
  let srcA: string;
  let srcB: string;
  let actors: Actors;
  beforeAll(async () => {
    [t, a] = await Promise.all([
      setupApiTest(),
      startVcsim({ hostsPerCluster: 2, vmsPerCluster: 3, vms: [MOVING, TWIN], junkHostIdentity: true }),
    ]);
    actors = await createActors();
    srcA = (
      await createSource(t.db, {
        name: 'vCenter A',
        config: { endpoint: a.endpoint, insecure: true },
        credential: a,
      })
    ).id;
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), t?.drop()]);
  });

  const collect = async (sourceId: string, modes: RunMode[] = ['collect_hosts', 'collect_vms']) => {
    for (const mode of modes) {
      const id = (await triggerRun(t.db, { sourceId, mode, trigger: 'manual' })).run.id;
      await runWorkerUntilIdle(t.db);
      const run = await runOf(t.db, id);
      expect(run, JSON.stringify([run.error_code, run.errors])).toMatchObject({ status: 'succeeded' });
    }
  };
  const assetOf = async (name: string) =>
    rows<{ uuid: string; status: string }>(
      t.db,
      sql`select uuid, status::text from assets where name = ${name} and kind = 'vm' order by created_at`,
    );
  const candidates = () =>
    rows<{
      id: string;
      kind: string;
      asset_a: string;
      asset_b: string;
      score: number;
      evidence: { rule: string }[];
      status: string;
    }>(
      t.db,
      sql`select id, kind::text, asset_a, asset_b, score, evidence, status::text from duplicate_candidates order by score desc`,
    );

  let movingUuid: string;
  it('vCenter A collected: every asset has its evidence, placeholder values left out', async () => {
    await collect(srcA);
    const [moving] = await assetOf(MOVING.name);
    movingUuid = moving!.uuid;
    const ids = await rows<{ rule: string; value: string }>(
      t.db,
      sql`select rule, value from asset_identifiers where asset_uuid = ${movingUuid} order by rule`,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        { rule: 'vm.bios_uuid', value: MOVING.uuid },
        { rule: 'vm.instance_uuid', value: MOVING.instanceUuid },
        expect.objectContaining({ rule: 'vm.mac' }),
      ]),
    );
    // Every host reports "To be filled by O.E.M." and one placeholder hardware UUID: no host evidence.
    const hostIds = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int n from asset_identifiers i join assets h on h.uuid = i.asset_uuid
          where h.kind = 'host' and i.rule in ('host.serial', 'host.hardware_uuid')`,
    );
    expect(
      hostIds[0]!.n,
      JSON.stringify(
        await rows(
          t.db,
          sql`select i.*, h.name from asset_identifiers i join assets h on h.uuid = i.asset_uuid where h.kind = 'host'`,
        ),
      ),
    ).toBe(0);
    expect(await candidates()).toEqual([]);
    // The moving VM gets an asserted value that must survive the move.
    await t.db.execute(
      sql`insert into asset_ledger (asset_uuid, values, version) values (${movingUuid}, '{"owner": "平台组 <ops>"}', 1)`,
    );
  });

  it('the VM leaves A and appears in B with its UUIDs: one asset, same UUID and ledger value, history says it moved; the twin is one candidate', async () => {
    const vms = await listVmIdentities(a);
    const moref = [...vms].find(([, v]) => v.name === MOVING.name)![0];
    await destroyVm(a, moref);
    await collect(srcA, ['collect_vms']);
    expect(await assetOf(MOVING.name)).toEqual([{ uuid: movingUuid, status: 'offline' }]);

    b = await startVcsim({
      seed: 7,
      hostsPerCluster: 2,
      vmsPerCluster: 3,
      vms: [MOVING, TWIN],
      junkHostIdentity: true,
      instanceUuid: randomUUID(),
    });
    srcB = (
      await createSource(t.db, {
        name: 'vCenter B',
        config: { endpoint: b.endpoint, insecure: true },
        credential: b,
      })
    ).id;
    await collect(srcB);

    expect(await assetOf(MOVING.name)).toEqual([{ uuid: movingUuid, status: 'active' }]);
    const links = await rows<{ source_id: string; presence: string }>(
      t.db,
      sql`select source_id, presence::text from asset_source_links where asset_uuid = ${movingUuid} order by first_seen_at`,
    );
    expect(links).toEqual([
      { source_id: srcA, presence: 'missing' },
      { source_id: srcB, presence: 'present' },
    ]);
    const ledger = await rows<{ values: Record<string, unknown> }>(
      t.db,
      sql`select values from asset_ledger where asset_uuid = ${movingUuid}`,
    );
    expect(ledger[0]!.values).toEqual({ owner: '平台组 <ops>' });
    const events = await rows<{ type: string; source_id: string | null; details: Record<string, unknown> }>(
      t.db,
      sql`select type::text, source_id, details from asset_events where asset_uuid = ${movingUuid} order by id`,
    );
    expect(events.map((e) => e.type)).toEqual(['created', 'went_missing', 'moved']);
    expect(events[2]!.details).toMatchObject({ from_source_id: srcA, to_source_id: srcB });
    // The timeline reads it through its typed shape (src/server/history/events.ts).
    expect(parseEvent({ type: 'moved', details: events[2]!.details })).toMatchObject({
      type: 'moved',
      details: { from_source_id: srcA, to_source_id: srcB },
    });
    // Its canonical view and placement are B's now.
    const [row] = await rows<{ host_name: string | null; src: string }>(
      t.db,
      sql`select host_name, canonical #>> '{sources,0,source_id}' as src from assets where uuid = ${movingUuid}`,
    );
    expect(row).toMatchObject({ src: srcB });
    expect(row!.host_name).not.toBeNull();

    // The twin is in both: two assets, one open candidate with the evidence, nothing else (seeded B has
    // UUIDs, MACs and host names of its own; the hosts share only placeholders).
    const twins = await assetOf(TWIN.name);
    expect(twins).toHaveLength(2);
    const c = await candidates();
    expect(c).toEqual([
      expect.objectContaining({
        kind: 'vm',
        status: 'open',
        score: 100,
        asset_a: [twins[0]!.uuid, twins[1]!.uuid].sort()[0],
        asset_b: [twins[0]!.uuid, twins[1]!.uuid].sort()[1],
      }),
    ]);
    expect(c[0]!.evidence.map((e) => e.rule).sort()).toEqual(['vm.bios_uuid', 'vm.instance_uuid']);
  });

  it('an unchanged re-run changes nothing: the same one candidate, no new move', async () => {
    const before = await candidates();
    await collect(srcB, ['collect_vms']);
    await collect(srcA, ['collect_vms']);
    expect(await candidates()).toEqual(before);
    expect(await assetOf(MOVING.name)).toEqual([{ uuid: movingUuid, status: 'active' }]);
  });

  const h = (x: unknown) => x as RouteHandler;
  const api = async (handler: unknown, opts: Parameters<typeof call>[1] = {}) => {
    const res = await call(h(handler), { token: actors.tokens.admin, ...opts });
    return { status: res.status, headers: res.headers, body: res.status === 308 ? null : await res.json() };
  };
  // What a split must give back: everything but history and the stamps of the run in between (B ran again
  // while the two were one, and saw its VM).
  const essence = (d: Record<string, unknown>) => {
    const { updatedAt: _u, lastSeenAt: _l, links, ...rest } = d;
    void _u;
    void _l;
    return {
      ...rest,
      links: (links as Record<string, unknown>[]).map(
        ({ lastSeenAt: _a, lastSeenRunId: _b, ...l }) => (void _a, void _b, l),
      ),
    };
  };

  // An asset's records, relations (both directions) and asserted values, as a split must give them back.
  const contentsOf = async (uuid: string) => ({
    records: await rows(
      t.db,
      sql`select id::text, link_id, source_id, hash from source_records where asset_uuid = ${uuid} order by id`,
    ),
    relations: await rows(
      t.db,
      sql`select id, type::text, from_asset_uuid, to_asset_uuid, status::text, source_id from relations
          where from_asset_uuid = ${uuid} or to_asset_uuid = ${uuid} order by id`,
    ),
    ledger: await rows(
      t.db,
      sql`select values, name_override, primary_ip_override, os_override from assets a
          left join asset_ledger l on l.asset_uuid = a.uuid where a.uuid = ${uuid}`,
    ),
  });

  it('the candidate through the API: listed with its evidence, both assets side by side; merge → one asset with two present links and conflicts; the tombstone redirects; split → the two assets as before', async () => {
    const list = await api(candidatesRoute.GET, { url: '/api/v1/duplicate-candidates?kind=vm&minScore=90' });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const cand = list.body.items[0];
    expect(cand.evidence.map((e: { rule: string }) => e.rule).sort()).toEqual([
      'vm.bios_uuid',
      'vm.instance_uuid',
    ]);
    expect(cand.evidence[0].values).toEqual([expect.stringMatching(/^(4211aaaa|5011bbbb)/)]);
    expect(
      (await api(candidatesRoute.GET, { url: '/api/v1/duplicate-candidates?minScore=101' })).status,
    ).toBe(400);
    const detail = await api(candidateRoute.GET, { params: { id: cand.id } });
    expect(detail.body.assets.map((x: { uuid: string }) => x.uuid)).toEqual([
      cand.assetA.uuid,
      cand.assetB.uuid,
    ]);

    const [inA, inB] = await assetOf(TWIN.name); // A's first
    // Asserted values on both: the survivor's owner wins, the other's rack moves over.
    await t.db.execute(sql`insert into asset_ledger (asset_uuid, values, version) values
      (${inA!.uuid}, '{"owner": "team A"}', 1), (${inB!.uuid}, '{"owner": "team B", "rack": "R-01"}', 1)`);
    const before = await Promise.all(
      [inA!.uuid, inB!.uuid].map((id) => api(assetRoute.GET, { params: { id } })),
    );
    const contentsBefore = await Promise.all([inA!.uuid, inB!.uuid].map(contentsOf));
    expect(contentsBefore.map((c) => [c.records.length > 0, c.relations.length > 0])).toEqual([
      [true, true],
      [true, true],
    ]);
    // A split of a link the asset always had is refused in words, with its own code.
    const own = await api(splitRoute.POST, {
      params: { id: inA!.uuid },
      body: { linkId: before[0]!.body.links[0].id },
    });
    expect(own.status).toBe(409);
    expect(own.body.error).toMatchObject({ code: 'SPLIT_NOT_MERGED' });
    expect(own.body.error.message).toContain('did not come from a merge');

    const merged = await api(mergeRoute.POST, { params: { id: inA!.uuid }, body: { otherId: inB!.uuid } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.ledgerConflicts).toEqual([{ field: 'owner', kept: 'team A', dropped: 'team B' }]);
    const survivor = merged.body.survivor;
    expect(survivor.uuid).toBe(inA!.uuid);
    expect(
      survivor.links.map((l: { sourceId: string; presence: string }) => [l.sourceId, l.presence]),
    ).toEqual([
      [srcA, 'present'],
      [srcB, 'present'],
    ]);
    // The simulators disagree on the guest's host name, MACs and IPs: flagged, each source's value kept.
    expect(survivor.conflicts).toEqual(expect.arrayContaining(['identity.hostname']));
    // The view across sources: per field each source's value, the winner's source, the conflict flag.
    const across = survivor.acrossSources;
    expect(across.sources.map((s: { sourceId: string }) => s.sourceId).sort()).toEqual([srcA, srcB].sort());
    const hostname = across.fields.find((f: { path: string }) => f.path === 'identity.hostname');
    expect(hostname.conflict).toBe(true);
    expect(hostname.sourceId).toBe(across.sources[0].sourceId);
    expect(hostname.values.map((v: { sourceId: string }) => v.sourceId)).toEqual(
      across.sources.map((s: { sourceId: string }) => s.sourceId),
    );
    expect(new Set(hostname.values.map((v: { value: unknown }) => v.value)).size).toBe(2);
    expect(hostname.values.map((v: { winning: boolean }) => v.winning)).toEqual([true, false]);
    // The list, its search and the export read the winning value; the other source's is not searched.
    const winning = hostname.values[0].value as string;
    const losing = hostname.values[1].value as string;
    const found = await api(assetsRoute.GET, { url: `/api/v1/assets?q=${encodeURIComponent(winning)}` });
    expect(found.body.items.map((x: { uuid: string; hostname: string }) => [x.uuid, x.hostname])).toEqual([
      [inA!.uuid, winning],
    ]);
    const notFound = await api(assetsRoute.GET, { url: `/api/v1/assets?q=${encodeURIComponent(losing)}` });
    expect(notFound.body.total).toBe(0);
    const csv = await call(h(exportRoute.GET), {
      token: actors.tokens.admin,
      url: `/api/v1/exports/assets?q=${encodeURIComponent(TWIN.name)}`,
    });
    const csvText = await csv.text();
    expect(csvText).toContain(winning);
    expect(csvText).not.toContain(losing);
    const bios = across.fields.find((f: { path: string }) => f.path === 'identity.bios_uuid');
    expect(bios.conflict).toBe(false);
    expect(bios.values.map((v: { value: unknown }) => v.value)).toEqual([TWIN.uuid, TWIN.uuid]);
    expect(survivor.mergedFrom).toEqual([
      expect.objectContaining({ mergedUuid: inB!.uuid, linkIds: [expect.any(String)] }),
    ]);
    // Its history keeps the other's differing asserted value, typed.
    const mergedEv = await rows<{ details: unknown }>(
      t.db,
      sql`select details from asset_events where asset_uuid = ${inA!.uuid} and type = 'merged'`,
    );
    expect(parseEvent({ type: 'merged', details: mergedEv[0]!.details })).toMatchObject({
      details: {
        other_uuid: inB!.uuid,
        ledger_conflicts: [{ field: 'owner', kept: 'team A', dropped: 'team B' }],
      },
    });
    const ledger = await rows<{ asset_uuid: string; values: Record<string, unknown> }>(
      t.db,
      sql`select asset_uuid, values from asset_ledger where asset_uuid in (${inA!.uuid}, ${inB!.uuid}) order by values->>'owner'`,
    );
    expect(ledger).toEqual([
      { asset_uuid: inA!.uuid, values: { owner: 'team A', rack: 'R-01' } },
      { asset_uuid: inB!.uuid, values: { owner: 'team B' } },
    ]);
    const gone = await api(assetRoute.GET, { params: { id: inB!.uuid } });
    expect(gone.status).toBe(308);
    expect(gone.headers.get('location')).toBe(`/api/v1/assets/${inA!.uuid}`);
    expect(
      (await api(candidatesRoute.GET, { url: '/api/v1/duplicate-candidates?status=merged' })).body.total,
    ).toBe(1);
    expect((await api(ignoreRoute.POST, { params: { id: cand.id } })).status).toBe(409);
    const history = await rows<{ type: string }>(
      t.db,
      sql`select type::text from asset_events where asset_uuid = ${inA!.uuid} and type = 'merged'`,
    );
    expect(history).toHaveLength(1);
    // A later run of either source keeps the merged asset one asset, and its values win (the most recently
    // completed run's), though its records did not change.
    const shown = async () => (await api(assetRoute.GET, { params: { id: inA!.uuid } })).body;
    for (const [src, value] of [
      [across.sources[1].sourceId as string, losing],
      [across.sources[0].sourceId as string, winning],
    ]) {
      await collect(src, ['collect_vms']);
      const now = await shown();
      expect(now.canonical.sources[0].sourceId).toBe(src);
      expect(now.hostname).toBe(value);
      expect(now.acrossSources.sources[0].sourceId).toBe(src);
    }
    expect((await assetOf(TWIN.name)).map((x) => x.status).sort()).toEqual(['active', 'merged']);

    const bLink = survivor.links.find((l: { sourceId: string }) => l.sourceId === srcB).id;
    const split = await api(splitRoute.POST, { params: { id: inA!.uuid }, body: { linkId: bLink } });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const after = await Promise.all(
      [inA!.uuid, inB!.uuid].map((id) => api(assetRoute.GET, { params: { id } })),
    );
    expect(after.map((x) => x.status)).toEqual([200, 200]);
    expect(essence(after[0]!.body)).toEqual(essence(before[0]!.body));
    expect(essence(after[1]!.body)).toEqual(essence(before[1]!.body));
    expect(after[0]!.body.mergedFrom).toEqual([]);
    // Records, relations and asserted values are each back where they were.
    expect(await Promise.all([inA!.uuid, inB!.uuid].map(contentsOf))).toEqual(contentsBefore);
    const splitEv = await rows<{ asset_uuid: string; details: unknown }>(
      t.db,
      sql`select asset_uuid, details from asset_events where type = 'split' order by asset_uuid = ${inA!.uuid} desc`,
    );
    expect(splitEv.map((e) => parseEvent({ type: 'split', details: e.details })?.details)).toEqual([
      expect.objectContaining({ other_uuid: inB!.uuid }),
      expect.objectContaining({ split_from: inA!.uuid }),
    ]);
    const ledgerAfter = await rows<{ values: Record<string, unknown> }>(
      t.db,
      sql`select values from asset_ledger where asset_uuid in (${inA!.uuid}, ${inB!.uuid}) order by values->>'owner'`,
    );
    expect(ledgerAfter.map((r) => r.values)).toEqual([
      { owner: 'team A' },
      { owner: 'team B', rack: 'R-01' },
    ]);
    // The pair was decided: it stays out of the open list.
    expect((await api(candidatesRoute.GET)).body.total).toBe(0);
    expect((await api(splitRoute.POST, { params: { id: inA!.uuid }, body: { linkId: bLink } })).status).toBe(
      404,
    );
  });
});
