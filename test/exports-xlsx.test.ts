// The RVTools-style workbook from the API (issue 14), opened with a reader library (exceljs' reader): every
// documented sheet and column, one vInfo row per VM with its host, cluster and datacenter, one vDisk row per
// disk, one vNetwork row per NIC, typed cells, a formula-like name stored as text, CJK/emoji/XML-special
// names intact, frozen header and autofilter; the list filters apply. Also the CSV's placement columns.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import * as xlsxRoute from '@/app/api/v1/exports/assets.xlsx/route';
import * as csvRoute from '@/app/api/v1/exports/assets/route';
import { WORKBOOK_SHEETS, columnHeader } from '@/server/exports/workbook-sheets';
import { ByteBatch, cellValue } from '@/server/exports/xlsx-writer';
import { listLedgerFields } from '@/server/ledger-fields/fields';
import { call, setupApiTest } from './api';
import {
  createActors,
  insertAssets,
  insertRelation,
  insertRun,
  insertSource,
  type Actors,
  type SeedAsset,
} from './api-fixtures';
import type { TestDatabase } from './db';

let t: TestDatabase;
let actors: Actors;
const id: Record<string, string> = {};
const GiB = 1024 ** 3;

const disk = (name: string, gib: number, type = 'thin') => ({ name, size_bytes: gib * GiB, type });
const nic = (name: string, mac: string, network: string) => ({ name, mac, network, connected: true });

// name → seed + the normalized-v1 object its canonical view holds.
const ESTATE: Record<string, { seed: SeedAsset; n: Record<string, unknown> }> = {
  cluster: { seed: { kind: 'cluster', name: 'Prod-集群' }, n: { placement: { datacenter: 'DC-東京' } } },
  esx1: {
    seed: { kind: 'host', name: 'esx-01.lab', serial: 'CZJ1', cluster: 'Prod-集群' },
    n: {
      identity: { caption: 'esx-01.lab', vendor: 'Dell Inc.', serial_number: 'CZJ1' },
      hardware: { cpu_count: 32, cpu_mhz: 2600, memory_bytes: 512 * GiB },
      storage: {
        datastores: [
          { name: 'ds-01', type: 'VMFS', capacity_bytes: 2048 * GiB, free_bytes: 512 * GiB },
          { name: 'nfs-01', type: 'NFS', capacity_bytes: 1024 * GiB, free_bytes: 1000 * GiB },
        ],
      },
      placement: { datacenter: 'DC-東京', cluster: 'Prod-集群' },
    },
  },
  esx2: {
    seed: { kind: 'host', name: 'esx-02.standalone' },
    n: {
      identity: { caption: 'esx-02.standalone' },
      storage: {
        datastores: [{ name: 'ds-01', type: 'VMFS', capacity_bytes: 2048 * GiB, free_bytes: 512 * GiB }],
      },
      placement: { datacenter: 'DC-東京' },
    },
  },
  db: {
    seed: {
      kind: 'vm',
      name: 'db-primary',
      host: 'esx-01.lab',
      cluster: 'Prod-集群',
      powerState: 'poweredOn',
    },
    n: {
      identity: {
        caption: 'db-primary',
        hostname: 'db1.corp',
        bios_uuid: '4201-aaaa',
        machine_uuid: '5001-bbbb',
      },
      hardware: {
        cpu_count: 4,
        memory_bytes: 8 * GiB,
        disks: [disk('Hard disk 1', 40), disk('Hard disk 2', 200, 'thick')],
        nics: [
          nic('Network adapter 1', '00:50:56:00:00:01', 'VM Network'),
          nic('Network adapter 2', '00:50:56:00:00:02', 'Backup'),
        ],
      },
      network: {
        ip_addresses: ['10.0.0.10', '2001:db8::10'],
        mac_addresses: ['00:50:56:00:00:01', '00:50:56:00:00:02'],
      },
      storage: { committed_bytes: 100 * GiB, uncommitted_bytes: 140 * GiB },
      annotation: '=SUM(A1) 负责人: DBA\nsecond line',
      runtime: { power_state: 'poweredOn', tools_running: true, tools_status: 'toolsOk' },
      placement: {
        datacenter: 'DC-東京',
        cluster: 'Prod-集群',
        folder: 'vm/Prod',
        resource_pool: 'Resources',
      },
      tags: ['prod', '数据库'],
      template: false,
    },
  },
  cjk: {
    seed: { kind: 'vm', name: '数据库-東京 🚀', host: 'esx-02.standalone', powerState: 'poweredOff' },
    n: {
      identity: { caption: '数据库-東京 🚀' },
      hardware: {
        cpu_count: 2,
        memory_bytes: 4 * GiB,
        disks: [disk('Hard disk 1', 16)],
        nics: [nic('Network adapter 1', '00:50:56:00:00:03', '生产网络')],
      },
      runtime: { power_state: 'poweredOff', tools_running: false },
      placement: { datacenter: 'DC-東京' },
    },
  },
  formula: {
    seed: { kind: 'vm', name: '=cmd|calc', host: 'esx-01.lab', cluster: 'Prod-集群' },
    n: {
      identity: { caption: '=cmd|calc' },
      hardware: { cpu_count: 1, disks: [], nics: [] },
      placement: { datacenter: 'DC-東京', cluster: 'Prod-集群' },
    },
  },
  xml: {
    seed: { kind: 'vm', name: `R&D <x> "q" 'y'`, host: 'esx-01.lab', cluster: 'Prod-集群' },
    n: {
      identity: { caption: `R&D <x> "q" 'y'` },
      hardware: { disks: [disk('Hard disk 1', 1)] },
      placement: { datacenter: 'DC-東京', cluster: 'Prod-集群' },
    },
  },
};
const VMS = ['db', 'cjk', 'formula', 'xml'];

beforeAll(async () => {
  t = await setupApiTest();
  actors = await createActors();
  const source = await insertSource({ name: 'vc-東京' });
  const run = await insertRun(source, 'succeeded', 'collect');
  const keys = Object.keys(ESTATE);
  const rows = await insertAssets(
    source,
    run,
    keys.map((k) => ESTATE[k]!.seed),
  );
  const db = getDb();
  for (const [i, k] of keys.entries()) {
    id[k] = rows[i]!.uuid;
    await db.execute(
      sql`update assets set canonical = jsonb_set(canonical, '{normalized}', ${JSON.stringify(ESTATE[k]!.n)}::jsonb) where uuid = ${id[k]}`,
    );
  }
  // Asserted facts: a ledger owner and asset number on a VM, a display name over a host's observed name.
  await db.execute(sql`insert into asset_ledger (asset_uuid, values)
    values (${id.db}, ${JSON.stringify({ owner: '张伟', asset_number: 'AN-0001' })}::jsonb)`);
  await db.execute(sql`update assets set name_override = 'esx-02 (renamed)' where uuid = ${id.esx2}`);
  await insertRelation(source, 'member_of', id.esx1!, id.cluster!);
  for (const vm of VMS) await insertRelation(source, 'runs_on', id[vm]!, vm === 'cjk' ? id.esx2! : id.esx1!);
});
afterAll(async () => t?.drop());

async function workbook(query = ''): Promise<ExcelJS.Workbook> {
  const res = await call(xlsxRoute.GET, {
    url: `/api/v1/exports/assets.xlsx${query}`,
    token: actors.tokens.user,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="estate-.*\.xlsx"/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return wb;
}

/** Rows of a sheet as objects keyed by column key (header row checked against the definition). */
function sheetRows(wb: ExcelJS.Workbook, name: string, locale: 'en' | 'zh-CN' = 'en') {
  const def = WORKBOOK_SHEETS.find((s) => s.name === name)!;
  const ws = wb.getWorksheet(name)!;
  expect(ws, name).toBeTruthy();
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  // The documented columns first; ledger fields (one column each, by label) may follow.
  expect(header.slice(0, def.columns.length), name).toEqual(
    def.columns.map((c) => columnHeader(c as never, locale)),
  );
  const keys = [
    ...def.columns.map((c) => c.key),
    ...header.slice(def.columns.length).map((h) => `ledger:${h}`),
  ];
  const rows: Record<string, ExcelJS.Cell>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    rows.push(Object.fromEntries(keys.map((k, i) => [k, row.getCell(i + 1)])));
  }
  return rows;
}
const val = (c: ExcelJS.Cell | undefined) => c?.value ?? null;

describe('workbook from the API', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    wb = await workbook();
  });

  it('has every documented sheet, in order, each with a frozen header row and an autofilter over its rows', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(WORKBOOK_SHEETS.map((s) => s.name));
    for (const ws of wb.worksheets) {
      expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: 1 });
      // From the header's first cell to the last column of the last row.
      const last = ws.getRow(1).getCell(ws.actualColumnCount).address.replace(/\d+$/, '');
      expect(String(ws.autoFilter ?? ''), ws.name).toBe(`A1:${last}${Math.max(ws.rowCount, 1)}`);
      expect(ws.getRow(1).font?.bold ?? ws.getRow(1).getCell(1).font?.bold, ws.name).toBe(true);
    }
  });

  it('docs/exports.md names every sheet and column the workbook has', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '..', 'docs', 'exports.md'), 'utf8');
    for (const s of WORKBOOK_SHEETS) {
      const start = doc.indexOf(`### ${s.name}\n`);
      expect(start, s.name).toBeGreaterThan(0);
      const end = doc.indexOf('\n### ', start + 1);
      const section = doc.slice(start, end < 0 ? undefined : end);
      // Table rows as cells (prettier pads them): column en, zh-CN, `key`.
      const documented = section
        .split('\n')
        .filter((l) => l.startsWith('|'))
        .map((l) =>
          l
            .split('|')
            .map((x) => x.trim())
            .slice(1, 4)
            .join(' | '),
        );
      for (const c of s.columns) {
        expect(documented, `${s.name}.${c.key}`).toContain(
          `${columnHeader(c as never, 'en')} | ${columnHeader(c as never, 'zh-CN')} | \`${c.key}\``,
        );
      }
    }
  });

  it('vInfo: one row per VM with its host, cluster and datacenter; typed cells', () => {
    const rows = sheetRows(wb, 'vInfo');
    expect(rows.map((r) => val(r.uuid)).sort()).toEqual(VMS.map((k) => id[k]).sort());
    const by = Object.fromEntries(rows.map((r) => [String(val(r.name)), r]));
    const db = by['db-primary']!;
    expect([val(db.hostName), val(db.clusterName), val(db.datacenter)]).toEqual([
      'esx-01.lab',
      'Prod-集群',
      'DC-東京',
    ]);
    // A standalone host's VM: its host, no cluster.
    const cjk = by['数据库-東京 🚀']!;
    expect([val(cjk.hostName), val(cjk.clusterName), val(cjk.datacenter)]).toEqual([
      'esx-02.standalone',
      null,
      'DC-東京',
    ]);
    expect(db.cpuCount!.type).toBe(ExcelJS.ValueType.Number);
    expect(val(db.cpuCount)).toBe(4);
    expect(val(db.memoryBytes)).toBe(8192); // MiB
    expect(val(db.provisionedBytes)).toBe(240 * 1024);
    expect(db.usedBytes!.type).toBe(ExcelJS.ValueType.Number);
    expect(val(db.usedBytes)).toBe(100 * 1024); // MiB
    // The notes as text, lines kept, never a formula.
    expect(db.annotation!.type).toBe(ExcelJS.ValueType.String);
    expect(val(db.annotation)).toBe('=SUM(A1) 负责人: DBA\nsecond line');
    expect(val(by['数据库-東京 🚀']!.annotation)).toBeNull();
    expect(val(db.diskCount)).toBe(2);
    expect(val(db.nicCount)).toBe(2);
    expect(val(db.template)).toBe(false);
    expect(val(db.toolsRunning)).toBe(true);
    expect(val(db.ipAddresses)).toBe('10.0.0.10, 2001:db8::10');
    expect(val(db.tags)).toBe('prod, 数据库');
    expect(val(db.networks)).toBe('VM Network, Backup');
    expect([val(db.biosUuid), val(db.machineUuid)]).toEqual(['4201-aaaa', '5001-bbbb']);
    expect(val(db.sources)).toBe('vc-東京');
    expect(db.createdAt!.type).toBe(ExcelJS.ValueType.Date);
    expect(val(db.lastSeenAt)).toBeInstanceOf(Date);
  });

  it('a formula-like name is stored as text; XML-special characters, CJK and emoji intact', () => {
    const rows = sheetRows(wb, 'vInfo');
    const formula = rows.find((r) => val(r.uuid) === id.formula)!;
    expect(formula.name!.type).toBe(ExcelJS.ValueType.String);
    expect(formula.name!.value).toBe('=cmd|calc');
    expect(formula.name!.formula).toBeUndefined();
    const names = rows.map((r) => val(r.name));
    expect(names).toContain(`R&D <x> "q" 'y'`);
    expect(names).toContain('数据库-東京 🚀');
  });

  it('ledger fields are columns (by their labels); the display name wins over the observed name', async () => {
    const fields = await listLedgerFields(getDb());
    const owner = fields.find((f) => f.key === 'owner')!;
    const number = fields.find((f) => f.key === 'asset_number')!;
    const rows = sheetRows(wb, 'vInfo');
    const db = rows.find((r) => val(r.uuid) === id.db)!;
    expect(val(db[`ledger:${owner.label.en}`])).toBe('张伟');
    expect(val(db[`ledger:${number.label.en}`])).toBe('AN-0001');
    const esx2 = sheetRows(wb, 'vHost').find((r) => val(r.uuid) === id.esx2)!;
    expect(val(esx2.name)).toBe('esx-02 (renamed)');
    // A ledger filter narrows the workbook like the list.
    const owned = await workbook(`?${encodeURIComponent('ledger.owner')}=${encodeURIComponent('张伟')}`);
    expect(sheetRows(owned, 'vInfo').map((r) => val(r.uuid))).toEqual([id.db]);
  });

  it('vDisk: one row per VM disk; vNetwork: one row per NIC, each with the VM placement', () => {
    const disks = sheetRows(wb, 'vDisk');
    expect(disks).toHaveLength(4);
    const dbDisks = disks.filter((r) => val(r.vmUuid) === id.db);
    expect(dbDisks.map((r) => [val(r.disk), val(r.diskCapacity), val(r.diskType)])).toEqual([
      ['Hard disk 1', 40 * 1024, 'thin'],
      ['Hard disk 2', 200 * 1024, 'thick'],
    ]);
    expect(dbDisks[0]!.diskCapacity!.type).toBe(ExcelJS.ValueType.Number);
    expect([val(dbDisks[0]!.hostName), val(dbDisks[0]!.clusterName)]).toEqual(['esx-01.lab', 'Prod-集群']);
    const nics = sheetRows(wb, 'vNetwork');
    expect(nics.map((r) => val(r.nicMac)).sort()).toEqual([
      '00:50:56:00:00:01',
      '00:50:56:00:00:02',
      '00:50:56:00:00:03',
    ]);
    const cjkNic = nics.find((r) => val(r.vmUuid) === id.cjk)!;
    expect([val(cjkNic.nicNetwork), val(cjkNic.hostName), val(cjkNic.nicConnected)]).toEqual([
      '生产网络',
      'esx-02.standalone',
      true,
    ]);
  });

  it('vHost, vCluster, vDatastore, vSource', () => {
    const hosts = sheetRows(wb, 'vHost');
    const esx1 = hosts.find((r) => val(r.uuid) === id.esx1)!;
    expect([val(esx1.clusterName), val(esx1.vendor), val(esx1.vmCount), val(esx1.memoryBytes)]).toEqual([
      'Prod-集群',
      'Dell Inc.',
      3,
      512 * 1024,
    ]);
    expect(hosts).toHaveLength(2);
    const [cluster] = sheetRows(wb, 'vCluster');
    expect([
      val(cluster!.name),
      val(cluster!.hostCount),
      val(cluster!.vmCount),
      val(cluster!.datacenter),
    ]).toEqual(['Prod-集群', 1, 3, 'DC-東京']);
    const ds = sheetRows(wb, 'vDatastore');
    expect(ds.map((r) => [val(r.datastore), val(r.hostCount), val(r.capacity), val(r.freePercent)])).toEqual([
      ['ds-01', 2, 2048 * 1024, 25],
      ['nfs-01', 1, 1024 * 1024, 97.7],
    ]);
    expect(val(ds[0]!.hosts)).toBe('esx-01.lab, esx-02.standalone');
    const [src] = sheetRows(wb, 'vSource');
    expect([val(src!.source), val(src!.endpoint), val(src!.mode), val(src!.runStatus)]).toEqual([
      'vc-東京',
      'https://vc.example.test',
      'collect',
      'succeeded',
    ]);
  });

  it('the list filters apply; zh-CN headers on request', async () => {
    const filtered = await workbook(`?q=${encodeURIComponent('東京')}&lang=zh-CN`);
    expect(sheetRows(filtered, 'vInfo', 'zh-CN').map((r) => val(r.uuid))).toEqual([id.cjk]);
    expect(sheetRows(filtered, 'vDisk', 'zh-CN')).toHaveLength(1);
    expect(sheetRows(filtered, 'vHost', 'zh-CN')).toHaveLength(0);
    const hostsOnly = await workbook('?kind=host&sort=-name');
    expect(sheetRows(hostsOnly, 'vInfo')).toHaveLength(0);
    expect(sheetRows(hostsOnly, 'vHost').map((r) => val(r.name))).toEqual(['esx-02 (renamed)', 'esx-01.lab']);
  });

  it('an unknown sort is a 400 before any byte is streamed', async () => {
    const res = await call(xlsxRoute.GET, {
      url: '/api/v1/exports/assets.xlsx?sort=nope',
      token: actors.tokens.user,
    });
    expect(res.status).toBe(400);
  });
});

describe('cell values', () => {
  it('typed, MiB from bytes, lists joined, characters XML cannot hold dropped', () => {
    expect(cellValue('mib', 1536 * 1024 * 1024)).toBe(1536);
    expect(cellValue('number', '42')).toBe(42);
    expect(cellValue('number', 'n/a')).toBeNull();
    expect(cellValue('boolean', 'yes')).toBeNull();
    expect(cellValue('list', ['a', 'b'])).toBe('a, b');
    expect(cellValue('text', 'bell\u0007-nul\u0000-ok 🚀')).toBe('bell-nul-ok 🚀');
    expect(cellValue('date', '2026-12-01T07:04:37.569Z')).toEqual(new Date('2026-12-01T07:04:37.569Z'));
  });

  it('rows encoded into the reused buffer are the UTF-8 of their strings, across its refills', () => {
    const b = new ByteBatch();
    const parts = Array.from({ length: 300_000 }, (_, i) => `<row>数据中心-${i}-🚀-&amp;</row>`);
    // Longer than the buffer itself, in characters and (CJK: 3 bytes each) in bytes only.
    parts.push('x'.repeat(5 << 20), '东'.repeat(1_500_000));
    for (const p of parts.slice(0, 150_000)) b.add(p);
    expect(b.take().equals(Buffer.from(parts.slice(0, 150_000).join('')))).toBe(true);
    for (const p of parts.slice(150_000)) b.add(p);
    expect(b.take().equals(Buffer.from(parts.slice(150_000).join('')))).toBe(true);
  });
});

describe('CSV export placement', () => {
  it('a VM row carries its host, cluster and datacenter', async () => {
    const res = await call(csvRoute.GET, {
      url: '/api/v1/exports/assets?kind=vm&sort=name',
      token: actors.tokens.user,
    });
    const [header, ...rows] = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    // Headers are the dictionary's labels.
    const col = (label: string) => header!.indexOf(label);
    expect(col('Host')).toBeGreaterThan(0);
    expect(col('Datacenter')).toBe(col('Host') + 1);
    const db = rows.find((r) => r[col('Name')] === 'db-primary')!;
    expect([db[col('Host')], db[col('Cluster')], db[col('Datacenter')]]).toEqual([
      'esx-01.lab',
      'Prod-集群',
      'DC-東京',
    ]);
    const withQ = await call(csvRoute.GET, {
      url: '/api/v1/exports/assets?q=db-prim',
      token: actors.tokens.user,
    });
    expect(await withQ.text()).toContain('Prod-集群,esx-01.lab,DC-東京');
  });
});
