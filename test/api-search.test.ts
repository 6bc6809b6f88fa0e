// Asset search, filters, sort and pagination, detail/relations/history/records, and the CSV export,
// through the real route handlers on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as assetsRoute from '@/app/api/v1/assets/route';
import * as assetRoute from '@/app/api/v1/assets/[id]/route';
import * as relationsRoute from '@/app/api/v1/assets/[id]/relations/route';
import * as historyRoute from '@/app/api/v1/assets/[id]/history/route';
import * as recordsRoute from '@/app/api/v1/assets/[id]/records/route';
import * as exportRoute from '@/app/api/v1/exports/assets/route';
import { normalizeMac, ipVariants } from '@/server/assets/search';
import { call, setupApiTest } from './api';
import {
  createActors,
  insertAssets,
  insertRelation,
  insertRun,
  insertSource,
  type Actors,
} from './api-fixtures';
import type { TestDatabase } from './db';

let t: TestDatabase;
let actors: Actors;
let sourceA: string;
let sourceB: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await setupApiTest();
  actors = await createActors();
  sourceA = await insertSource({ name: 'vc-a' });
  sourceB = await insertSource({ name: 'vc-b' });
  const runA = await insertRun(sourceA);
  const runB = await insertRun(sourceB);
  const a = await insertAssets(sourceA, runA, [
    {
      kind: 'host',
      name: 'esx-01.lab',
      serial: 'CZJ1234ABC',
      ips: ['10.0.0.11'],
      cluster: 'Prod',
      powerState: 'poweredOn',
    },
    { kind: 'cluster', name: 'Prod' },
    {
      kind: 'vm',
      name: 'db-primary',
      hostname: 'db1.corp.example',
      ips: ['10.20.30.40', '2001:db8::10'],
      macs: ['00:50:56:ab:cd:ef'],
      powerState: 'poweredOn',
      cluster: 'Prod',
      host: 'esx-01.lab',
    },
    {
      kind: 'vm',
      name: '数据库服务器-東京',
      hostname: 'tokyo-db',
      ips: ['10.20.30.41'],
      powerState: 'poweredOff',
      host: 'esx-01.lab',
    },
    {
      kind: 'vm',
      name: 'web, "quoted"',
      hostname: '=cmd|calc',
      ips: ['10.20.30.42'],
      powerState: 'suspended',
      status: 'offline',
    },
  ]);
  const b = await insertAssets(sourceB, runB, [
    {
      kind: 'vm',
      name: 'web-100',
      hostname: 'web100.corp.example',
      macs: ['00:50:56:00:00:01'],
      powerState: 'poweredOn',
    },
    { kind: 'vm', name: 'web_1%x', hostname: 'literal', powerState: 'poweredOn' },
  ]);
  [ids.host, ids.cluster, ids.db, ids.cjk, ids.quoted] = a.map((x) => x.uuid);
  [ids.web100, ids.literal] = b.map((x) => x.uuid);
  await insertRelation(sourceA, 'member_of', ids.host!, ids.cluster!);
  await insertRelation(sourceA, 'runs_on', ids.db!, ids.host!);
  await insertRelation(sourceA, 'runs_on', ids.cjk!, ids.host!, 'inactive');
});
afterAll(async () => t?.drop());

async function list(query: string) {
  const res = await call(assetsRoute.GET, { url: `/api/v1/assets?${query}`, token: actors.tokens.user });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as { items: { uuid: string; name: string }[]; total: number; limit: number; offset: number };
}
const found = async (q: string) => (await list(`q=${encodeURIComponent(q)}`)).items.map((i) => i.uuid);

describe('normalization', () => {
  it('MACs in any case and separator', () => {
    for (const m of [
      '00:50:56:AB:CD:EF',
      '00-50-56-ab-cd-ef',
      '0050.56ab.cdef',
      '005056ABCDEF',
      ' 00 50 56 ab cd ef ',
    ]) {
      expect(normalizeMac(m), m).toBe('00:50:56:ab:cd:ef');
    }
    expect(normalizeMac('00:50:56:ab:cd')).toBeNull();
    expect(normalizeMac('zz:50:56:ab:cd:ef')).toBeNull();
  });
  it('IPv6 spellings map to the canonical form', () => {
    expect(ipVariants('2001:DB8:0:0:0:0:0:10')).toContain('2001:db8::10');
    expect(ipVariants('[2001:db8::10]')).toContain('2001:db8::10');
    expect(ipVariants('10.0.0.1')).toEqual(['10.0.0.1']);
    expect(ipVariants('db1')).toEqual([]);
  });
});

describe('search', () => {
  it('by name (prefix, any case)', async () => {
    expect(await found('DB-PRIM')).toEqual([ids.db]);
    expect(await found('数据库')).toEqual([ids.cjk]);
  });
  it('by host name', async () => {
    expect(await found('db1.corp')).toEqual([ids.db]);
    expect(await found('WEB100')).toEqual([ids.web100]);
  });
  it('by IPv4 and IPv6 (any spelling)', async () => {
    expect(await found('10.20.30.40')).toEqual([ids.db]);
    expect(await found('2001:db8::10')).toEqual([ids.db]);
    expect(await found('2001:DB8:0:0:0:0:0:10')).toEqual([ids.db]);
    expect(await found('10.20.30.4')).toEqual([]); // IPs match exactly, not by prefix
  });
  it('by MAC in any case and separator', async () => {
    for (const m of ['00:50:56:AB:CD:EF', '00-50-56-ab-cd-ef', '0050.56ab.cdef', '005056abcdef']) {
      expect(await found(m), m).toEqual([ids.db]);
    }
  });
  it('by serial', async () => {
    expect(await found('czj1234abc')).toEqual([ids.host]);
    expect(await found('CZJ12')).toEqual([ids.host]);
  });
  it('LIKE wildcards are literal', async () => {
    expect(await found('web_1%')).toEqual([ids.literal]);
    expect(await found('%')).toEqual([]);
  });
});

describe('filters, sort, pagination', () => {
  it('kind, status, source, cluster, host, power state', async () => {
    expect((await list('kind=host')).items.map((i) => i.uuid)).toEqual([ids.host]);
    expect((await list('status=offline')).items.map((i) => i.uuid)).toEqual([ids.quoted]);
    expect((await list(`sourceId=${sourceB}`)).total).toBe(2);
    expect((await list('cluster=Prod&kind=vm')).items.map((i) => i.uuid)).toEqual([ids.db]);
    expect(new Set((await list('host=esx-01.lab')).items.map((i) => i.uuid))).toEqual(
      new Set([ids.db, ids.cjk]),
    );
    expect((await list('powerState=suspended')).items.map((i) => i.uuid)).toEqual([ids.quoted]);
    expect((await list('kind=vm&powerState=poweredOn&q=web1')).items.map((i) => i.uuid)).toEqual([
      ids.web100,
    ]);
  });
  it('sort by whitelisted keys both ways; pagination with total', async () => {
    const asc = (await list('kind=vm&sort=name')).items.map((i) => i.name);
    const desc = (await list('kind=vm&sort=-name')).items.map((i) => i.name);
    expect(desc).toEqual([...asc].reverse());
    const p1 = await list('sort=name&limit=2&offset=0');
    const p2 = await list('sort=name&limit=2&offset=2');
    expect(p1.total).toBe(7);
    expect(p1.items).toHaveLength(2);
    expect(p2.items[0]!.uuid).not.toBe(p1.items[1]!.uuid);
    const all = await list('sort=name&limit=500');
    expect([...p1.items, ...p2.items].map((i) => i.uuid)).toEqual(all.items.slice(0, 4).map((i) => i.uuid));
    const past = await list('offset=1000');
    expect(past).toMatchObject({ items: [], total: 7 });
  });
  it('an unknown sort key is a 400 naming query.sort', async () => {
    const res = await call(assetsRoute.GET, {
      url: '/api/v1/assets?sort=password',
      token: actors.tokens.user,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('detail', () => {
  it('canonical fields with provenance and conflicts, and links', async () => {
    const res = await call(assetRoute.GET, { params: { id: ids.db! }, token: actors.tokens.user });
    const body = await res.json();
    expect(body.canonical.normalized.identity.caption).toBe('db-primary');
    // Provenance: the serial came from the latest collection, which is source A's.
    expect(body.canonical.sources[body.canonical.provenance['identity.serial_number']]).toMatchObject({
      sourceId: sourceA,
    });
    expect(body.conflicts).toContain('identity.serial_number');
    expect(body.links).toHaveLength(1);
    expect(body.links[0]).toMatchObject({ sourceId: sourceA, sourceName: 'vc-a', presence: 'present' });
  });
  it('relations active and inactive with first/last seen, both directions', async () => {
    const body = await (
      await call(relationsRoute.GET, { params: { id: ids.host! }, token: actors.tokens.user })
    ).json();
    const byOther = Object.fromEntries(body.items.map((r: { otherUuid: string }) => [r.otherUuid, r]));
    expect(byOther[ids.cluster!]).toMatchObject({ type: 'member_of', direction: 'out', status: 'active' });
    expect(byOther[ids.db!]).toMatchObject({ type: 'runs_on', direction: 'in', status: 'active' });
    expect(byOther[ids.cjk!]).toMatchObject({ status: 'inactive', otherName: '数据库服务器-東京' });
    expect(byOther[ids.cjk!].inactiveSince).toBeTruthy();
    expect(byOther[ids.db!].firstSeenAt).toBeTruthy();
    const inactive = await (
      await call(relationsRoute.GET, {
        params: { id: ids.host! },
        url: `/api/v1/assets/${ids.host}/relations?status=inactive`,
        token: actors.tokens.user,
      })
    ).json();
    expect(inactive.items.map((r: { otherUuid: string }) => r.otherUuid)).toEqual([ids.cjk]);
  });
  it('history and source records', async () => {
    const h = await (
      await call(historyRoute.GET, { params: { id: ids.db! }, token: actors.tokens.user })
    ).json();
    expect(h.total).toBe(1);
    expect(h.items[0].type).toBe('created');
    const r = await (
      await call(recordsRoute.GET, { params: { id: ids.db! }, token: actors.tokens.user })
    ).json();
    expect(r.items[0]).toMatchObject({ sourceId: sourceA, sourceName: 'vc-a', hasRaw: true });
    expect(JSON.stringify(r)).not.toContain('raw-secret-should-not-show');
  });
  it('an unknown asset is a 404', async () => {
    const res = await call(assetRoute.GET, {
      params: { id: '00000000-0000-4000-8000-000000000000' },
      token: actors.tokens.user,
    });
    expect(res.status).toBe(404);
  });
});

// Minimal RFC 4180 parser for the check (quoted fields, doubled quotes, CRLF).
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe('CSV export', () => {
  it('matches the API list for the same filter; UTF-8 with BOM; CJK intact; formulas neutralized', async () => {
    for (const query of [
      'kind=vm&sort=name',
      'q=10.20.30.41',
      `sourceId=${sourceA}&sort=-name`,
      'status=offline',
    ]) {
      const res = await call(exportRoute.GET, {
        url: `/api/v1/exports/assets?${query}`,
        token: actors.tokens.user,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="assets-.*\.csv"/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
      const [header, ...rows] = parseCsv(text);
      expect(header!.slice(0, 4)).toEqual(['Asset UUID', 'Kind', 'Status', 'Name']);
      const api = await list(`${query}&limit=500`);
      expect(rows.map((r) => r[0])).toEqual(api.items.map((i) => i.uuid));
      const nameCol = header!.indexOf('Name');
      expect(rows.map((r) => r[nameCol])).toEqual(api.items.map((i) => i.name));
    }
    const res = await call(exportRoute.GET, {
      url: '/api/v1/exports/assets?q=tokyo',
      token: actors.tokens.user,
    });
    const text = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('数据库服务器-東京');
    const quoted = await call(exportRoute.GET, {
      url: '/api/v1/exports/assets?status=offline',
      token: actors.tokens.user,
    });
    const qt = await quoted.text();
    expect(qt).toContain('"web, ""quoted"""');
    expect(qt).toContain("'=cmd|calc");
  });
});
