// The ledger API (issue 13): field definitions and their 409s, values validated by type (400 naming the
// field, nothing written), optimistic concurrency, overrides that win in list and export while the
// observed value stays, bulk edit by ids and by filter with history and audit, ledger filters and sorts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import * as assetsRoute from '@/app/api/v1/assets/route';
import * as ledgerRoute from '@/app/api/v1/assets/[id]/ledger/route';
import * as bulkRoute from '@/app/api/v1/assets/ledger/bulk/route';
import * as fieldsRoute from '@/app/api/v1/ledger-fields/route';
import * as fieldRoute from '@/app/api/v1/ledger-fields/[key]/route';
import * as exportRoute from '@/app/api/v1/exports/assets/route';
import * as historyRoute from '@/app/api/v1/assets/[id]/history/route';
import { call, setupApiTest } from './api';
import { insertAssets, insertRun, insertSource, seedWorld, type World } from './api-fixtures';
import type { TestDatabase } from './db';

let t: TestDatabase;
let w: World;
let extra: { uuid: string }[];
beforeAll(async () => {
  t = await setupApiTest();
  w = await seedWorld();
  const src = await insertSource();
  const run = await insertRun(src);
  extra = await insertAssets(
    src,
    run,
    Array.from({ length: 6 }, (_, i) => ({ kind: 'vm' as const, name: `bulk-vm-${i}`, cluster: 'bulk' })),
  );
});
afterAll(async () => t?.drop());

const editor = () => w.actors.tokens.editor;
const admin = () => w.actors.tokens.admin;

async function getLedger(id: string) {
  const res = await call(ledgerRoute.GET, {
    url: `/api/v1/assets/${id}/ledger`,
    params: { id },
    token: editor(),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function patch(id: string, body: unknown, token = editor()) {
  return call(ledgerRoute.PATCH, { url: `/api/v1/assets/${id}/ledger`, params: { id }, body, token });
}

const count = async (table: string) =>
  (await getDb().execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`))).rows[0]!.n;

describe('field definitions', () => {
  it('has the built-in set on a new installation', async () => {
    const res = await call(fieldsRoute.GET, { token: w.actors.tokens.user });
    const body = await res.json();
    const keys = body.items.map((f: { key: string }) => f.key);
    expect(keys).toEqual([
      'owner',
      'department',
      'business_system',
      'environment',
      'location',
      'rack',
      'rack_unit',
      'lifecycle',
      'purchase_date',
      'warranty_end',
      'asset_number',
      'cost_center',
      'notes',
    ]);
    const lifecycle = body.items.find((f: { key: string }) => f.key === 'lifecycle');
    expect(lifecycle.options).toEqual(['in_use', 'idle', 'maintenance', 'retired', 'disposed']);
    expect(body.items.find((f: { key: string }) => f.key === 'asset_number').unique).toBe(true);
  });

  it('deleting a field with values is 409 unless archived; a type change values do not fit is 409 with the count', async () => {
    const create = await call(fieldsRoute.POST, {
      token: admin(),
      body: { key: 'contract', label: { en: 'Contract', zhCN: '合同' }, type: 'text' },
    });
    expect(create.status).toBe(201);
    const dup = await call(fieldsRoute.POST, {
      token: admin(),
      body: { key: 'contract', label: { en: 'C', zhCN: '合' }, type: 'text' },
    });
    expect(dup.status).toBe(409);
    const [a, b] = extra;
    const v1 = await getLedger(a!.uuid);
    expect((await patch(a!.uuid, { version: v1.version, values: { contract: '12' } })).status).toBe(200);
    const v2 = await getLedger(b!.uuid);
    expect((await patch(b!.uuid, { version: v2.version, values: { contract: 'C-7' } })).status).toBe(200);

    const toNumber = await call(fieldRoute.PATCH, {
      url: '/api/v1/ledger-fields/contract',
      params: { key: 'contract' },
      token: admin(),
      body: { type: 'number' },
    });
    expect(toNumber.status).toBe(409);
    expect((await toNumber.json()).error.details.count).toBe(1);

    const del = await call(fieldRoute.DELETE, {
      url: '/api/v1/ledger-fields/contract',
      params: { key: 'contract' },
      token: admin(),
    });
    expect(del.status).toBe(409);
    expect((await del.json()).error.details.count).toBe(2);
    const archive = await call(fieldRoute.DELETE, {
      url: '/api/v1/ledger-fields/contract?archive=true',
      params: { key: 'contract' },
      token: admin(),
    });
    expect(await archive.json()).toEqual({ deleted: false, archived: true, values: 2 });
    // Archived: not in the asset's ledger, not writable; its values stay stored.
    expect((await getLedger(a!.uuid)).values.contract).toBeUndefined();
    const write = await patch(a!.uuid, {
      version: (await getLedger(a!.uuid)).version,
      values: { contract: 'x' },
    });
    expect(write.status).toBe(400);
    const stored = await getDb().execute<{ v: string }>(
      sql`select values ->> 'contract' as v from asset_ledger where asset_uuid = ${a!.uuid}`,
    );
    expect(stored.rows[0]!.v).toBe('12');
    const audit = await getDb().execute<{ action: string }>(
      sql`select action from audit_events where target_type = 'ledger_field' and target_id = 'contract' order by id`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['ledger_field.create', 'ledger_field.archive']);
  });

  it('an editor may not define fields', async () => {
    const res = await call(fieldsRoute.POST, {
      token: editor(),
      body: { key: 'nope', label: { en: 'N', zhCN: '否' }, type: 'text' },
    });
    expect(res.status).toBe(403);
  });
});

describe('values', () => {
  it.each([
    ['purchase_date', '2026-02-30', 'values.purchase_date'],
    ['lifecycle', 'scrapped', 'values.lifecycle'],
    ['rack_unit', 1e300, 'values.rack_unit'],
    ['rack', 'R1', 'values.rack'], // rack applies to hosts only; this is a VM
    ['no_such_field', 'x', 'values.no_such_field'],
    ['owner', 42, 'values.owner'],
  ])('%s = %s is 400 naming the field and writes nothing', async (key, value, field) => {
    const before = await getLedger(w.vmUuid);
    const events = await count('asset_events');
    const res = await patch(w.vmUuid, { version: before.version, values: { notes: 'ok', [key]: value } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain(field);
    expect(await getLedger(w.vmUuid)).toEqual(before);
    expect(await count('asset_events')).toBe(events);
  });

  it('a duplicate of a unique field is 400 naming it', async () => {
    const [a, b] = extra.slice(2);
    const v = await getLedger(a!.uuid);
    expect((await patch(a!.uuid, { version: v.version, values: { asset_number: 'FA-0001' } })).status).toBe(
      200,
    );
    const v2 = await getLedger(b!.uuid);
    const res = await patch(b!.uuid, { version: v2.version, values: { asset_number: 'FA-0001' } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('values.asset_number');
  });

  it('concurrent PATCHes with the same version: exactly one wins, the other gets 409 with the current values', async () => {
    const id = extra[4]!.uuid;
    const { version } = await getLedger(id);
    const results = await Promise.all(
      ['Alice', 'Bob', 'Carol', 'Dave'].map((owner) => patch(id, { version, values: { owner } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const winner = await results.find((r) => r.status === 200)!.json();
    const loser = await results.find((r) => r.status === 409)!.json();
    expect(loser.error.code).toBe('VERSION_CONFLICT');
    expect(loser.error.details.current.values.owner).toBe(winner.values.owner);
    expect(winner.version).toBe(version + 1);
  });

  it('a user reads values but may not write them', async () => {
    const res = await patch(w.vmUuid, { version: 0, values: { owner: 'x' } }, w.actors.tokens.user);
    expect(res.status).toBe(403);
  });
});

describe('overrides', () => {
  it('win in the list, search sort and export, with the observed value kept; clearing returns to it', async () => {
    const id = extra[5]!.uuid;
    const v = await getLedger(id);
    expect(v.observed.name).toBe('bulk-vm-5');
    const res = await patch(id, {
      version: v.version,
      overrides: { name: '财务-数据库 🚀 <&>', primaryIp: '2001:DB8::1', os: 'Windows Server 2022' },
    });
    expect(res.status).toBe(200);
    const after = await res.json();
    expect(after.overrides).toEqual({
      name: '财务-数据库 🚀 <&>',
      primaryIp: '2001:db8::1',
      os: 'Windows Server 2022',
    });
    expect(after.observed.name).toBe('bulk-vm-5');
    expect(after.version).toBe(v.version + 1);

    const list = await (
      await call(assetsRoute.GET, { url: '/api/v1/assets?cluster=bulk&limit=50', token: editor() })
    ).json();
    const item = list.items.find((x: { uuid: string }) => x.uuid === id);
    expect(item.name).toBe('财务-数据库 🚀 <&>');
    expect(item.primaryIp).toBe('2001:db8::1');
    expect(item.os).toBe('Windows Server 2022');
    // Sorted by the display name: the CJK name sorts after the Latin ones.
    expect(list.items.at(-1).uuid).toBe(id);

    const csv = await (
      await call(exportRoute.GET, { url: '/api/v1/exports/assets?cluster=bulk', token: editor() })
    ).text();
    expect(csv).toContain('"财务-数据库 🚀 <&>"'.replace(/"/g, '')); // no quoting needed: no comma or quote
    expect(csv).toContain('Windows Server 2022');

    const cleared = await (await patch(id, { version: after.version, overrides: { name: null } })).json();
    expect(cleared.overrides.name).toBeNull();
    const again = await (
      await call(assetsRoute.GET, { url: '/api/v1/assets?cluster=bulk&limit=50', token: editor() })
    ).json();
    expect(again.items.find((x: { uuid: string }) => x.uuid === id).name).toBe('bulk-vm-5');
  });

  it('bulk edit sets overrides too: the observed value stays, history names them, a bad IP is 400', async () => {
    const ids = [extra[1]!.uuid, extra[2]!.uuid];
    const res = await call(bulkRoute.POST, {
      token: editor(),
      body: {
        ids,
        set: { cost_center: 'CC-OV' },
        overrides: { os: 'Asserted Linux', primaryIp: ' 10.0.0.9 ' },
      },
    });
    expect(res.status).toBe(200);
    // Values and overrides on the same asset: it counts once.
    expect(await res.json()).toEqual({ matched: 2, changed: 2 });
    const v = await getLedger(ids[0]!);
    expect(v.overrides).toMatchObject({ os: 'Asserted Linux', primaryIp: '10.0.0.9' });
    expect(v.observed.os).not.toBe('Asserted Linux');
    expect(v.values.cost_center).toBe('CC-OV');
    const hist = await (
      await call(historyRoute.GET, {
        url: `/api/v1/assets/${ids[0]}/history`,
        params: { id: ids[0]! },
        token: editor(),
      })
    ).json();
    // One history event per changed asset: the values' and the overrides' changes together.
    const events = hist.items.filter(
      (e: { type: string; details: { reason: string } }) =>
        e.type === 'ledger_changed' && e.details.reason === 'bulk',
    );
    expect(events).toHaveLength(1);
    const ev = events[0];
    expect(ev.details).toMatchObject({ reason: 'bulk', by: { label: 'matrix-editor' } });
    expect(ev.details.changes).toEqual([
      { field: 'cost_center', old: null, new: 'CC-OV' },
      { field: 'override.os', old: null, new: 'Asserted Linux' },
      { field: 'override.primaryIp', old: null, new: '10.0.0.9' },
    ]);
    // Overrides alone, the same again: nothing changes.
    const again = await call(bulkRoute.POST, {
      token: editor(),
      body: { ids, overrides: { os: 'Asserted Linux' } },
    });
    expect(await again.json()).toEqual({ matched: 2, changed: 0 });
    const bad = await call(bulkRoute.POST, {
      token: editor(),
      body: { ids, overrides: { primaryIp: 'nope' } },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('overrides.primaryIp');
  });

  it('a bad primary IP is 400 naming the override', async () => {
    const v = await getLedger(w.vmUuid);
    const res = await patch(w.vmUuid, { version: v.version, overrides: { primaryIp: '10.0.0.300' } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('overrides.primaryIp');
  });
});

describe('bulk edit, filters and sorts', () => {
  it('sets values on every asset matching a filter: one history event per changed asset, one audit event', async () => {
    const audits = await count("audit_events where action = 'asset.ledger_bulk'");
    const res = await call(bulkRoute.POST, {
      token: editor(),
      body: { filter: { cluster: 'bulk' }, set: { lifecycle: 'retired', department: '财务部' } },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ matched: 6, changed: 6 });
    // The same set again changes nothing and writes no history.
    const events = await count("asset_events where type = 'ledger_changed'");
    const again = await (
      await call(bulkRoute.POST, {
        token: editor(),
        body: { filter: { cluster: 'bulk' }, set: { lifecycle: 'retired' } },
      })
    ).json();
    expect(again).toEqual({ matched: 6, changed: 0 });
    expect(await count("asset_events where type = 'ledger_changed'")).toBe(events);
    expect(await count("audit_events where action = 'asset.ledger_bulk'")).toBe(audits + 2);

    const hist = await (
      await call(historyRoute.GET, {
        url: `/api/v1/assets/${extra[0]!.uuid}/history`,
        params: { id: extra[0]!.uuid },
        token: editor(),
      })
    ).json();
    const ev = hist.items.find(
      (e: { type: string; details: { reason: string } }) =>
        e.type === 'ledger_changed' && e.details.reason === 'bulk',
    );
    expect(ev.details.by.label).toBe('matrix-editor');
    expect(ev.details.changes).toEqual([
      { field: 'department', old: null, new: '财务部' },
      { field: 'lifecycle', old: null, new: 'retired' },
    ]);
  });

  it('filters by a ledger field, by empty and non-empty, with a ledger filter in the bulk filter too', async () => {
    const q = async (qs: string) =>
      (await (await call(assetsRoute.GET, { url: `/api/v1/assets?${qs}`, token: editor() })).json()).total;
    expect(await q('ledger.lifecycle=retired')).toBe(6);
    expect(await q('ledger.lifecycle=RETIRED&kind=vm')).toBe(6);
    expect(await q('ledger.lifecycle=(empty)')).toBe(2);
    expect(await q('ledger.lifecycle=(any)')).toBe(6);
    expect(await q('ledger.department=财务部&ledger.lifecycle=retired')).toBe(6);
    const res = await call(bulkRoute.POST, {
      token: editor(),
      body: { filter: { ledger: { lifecycle: 'retired' } }, set: { lifecycle: 'disposed' } },
    });
    expect(await res.json()).toEqual({ matched: 6, changed: 6 });
    expect(await q('ledger.lifecycle=disposed')).toBe(6);
    const unknown = await call(assetsRoute.GET, { url: '/api/v1/assets?ledger.nope=1', token: editor() });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toContain('ledger.nope');
  });

  it('sorts by a ledger field (numbers as numbers) and exports every field as a labelled column', async () => {
    for (const [i, e] of extra.entries()) {
      const v = await getLedger(e.uuid);
      await patch(e.uuid, { version: v.version, values: { owner: `o${i}`, notes: `n,"${i}"\nline 2` } });
    }
    const list = await (
      await call(assetsRoute.GET, { url: '/api/v1/assets?cluster=bulk&sort=-ledger.owner', token: editor() })
    ).json();
    expect(list.items.map((x: { ledger: { owner: string } }) => x.ledger.owner)).toEqual([
      'o5',
      'o4',
      'o3',
      'o2',
      'o1',
      'o0',
    ]);
    const csv = await (
      await call(exportRoute.GET, {
        url: '/api/v1/exports/assets?cluster=bulk&lang=zh-CN&sort=ledger.owner',
        token: editor(),
      })
    ).text();
    const header = csv.split('\r\n')[0]!;
    expect(
      header
        .replace(/^\uFEFF/, '')
        .split(',')
        .slice(0, 4),
    ).toEqual(['资产 UUID', '类型', '状态', '名称']);
    expect(header).toContain('负责人');
    expect(header).toContain('生命周期');
    expect(header).toContain('备注');
    expect(csv).toContain('"n,""0""\nline 2"');
  });

  it('a unique field cannot get one value on many assets; a field of another kind is 400', async () => {
    const res = await call(bulkRoute.POST, {
      token: editor(),
      body: { filter: { cluster: 'bulk' }, set: { asset_number: 'X' } },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('values.asset_number');
    const rack = await call(bulkRoute.POST, {
      token: editor(),
      body: { ids: [w.vmUuid], set: { rack: 'R1' } },
    });
    expect(rack.status).toBe(400);
    expect((await rack.json()).error.message).toContain('values.rack');
  });
});
