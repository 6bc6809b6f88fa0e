// Search by any part (issue 14): substrings of name / host name / serial (2+ characters), IPv4 prefixes,
// IPv4 and IPv6 CIDRs, MAC prefixes (OUI) in any spelling, ranked exact > prefix > substring — on an estate
// with awkward names (XML-special characters, quotes, CJK, emoji, LIKE wildcards). Every search names the
// exact set it must find, through the real route handler on a real PostgreSQL with migrations 0007 and 0014.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import * as assetsRoute from '@/app/api/v1/assets/route';
import { searchTerms } from '@/server/assets/search';
import { call, setupApiTest } from './api';
import {
  createActors,
  insertAssets,
  insertRun,
  insertSource,
  type Actors,
  type SeedAsset,
} from './api-fixtures';
import type { TestDatabase } from './db';

let t: TestDatabase;
let actors: Actors;
const id: Record<string, string> = {};

const ESTATE: Record<string, SeedAsset> = {
  vm1: {
    kind: 'vm',
    name: 'DC0_C0_RP0_VM1',
    hostname: 'vm1.lab',
    ips: ['10.0.1.5'],
    macs: ['00:50:56:01:02:03'],
  },
  vm12: { kind: 'vm', name: 'DC0_C0_RP0_VM12', ips: ['10.0.10.7'], macs: ['00:50:56:aa:bb:cc'] },
  proddb: {
    kind: 'vm',
    name: 'prod-db-01',
    hostname: 'db01.corp.example',
    ips: ['10.0.2.9', '2001:db8:0:1::5'],
    macs: ['00:0c:29:11:22:33'],
  },
  db: { kind: 'vm', name: 'db', hostname: 'plain' },
  dbBackup: { kind: 'vm', name: 'db-backup', hostname: 'bk' },
  xml: { kind: 'vm', name: `R&D <test> "x" 'y'`, hostname: 'rnd', ips: ['192.168.1.10'] },
  cjk: { kind: 'vm', name: '数据库-東京-01', hostname: 'tokyo', ips: ['2001:db8:1::7'] },
  emoji: { kind: 'vm', name: '🚀 launch-pad', hostname: 'rocket' },
  wild: { kind: 'vm', name: '100%_off\\sale', hostname: 'literal' },
  host: { kind: 'host', name: 'esx-01', serial: 'CZJ1234ABC', ips: ['10.0.1.200'] },
};

beforeAll(async () => {
  t = await setupApiTest();
  actors = await createActors();
  const source = await insertSource({ name: 'vc-awkward' });
  const run = await insertRun(source);
  const keys = Object.keys(ESTATE);
  const rows = await insertAssets(
    source,
    run,
    keys.map((k) => ESTATE[k]!),
  );
  keys.forEach((k, i) => (id[k] = rows[i]!.uuid));
  // Asserted facts (issue 13's schema): an owner and asset number, and a display name over the observed one.
  const db = getDb();
  await db.execute(sql`insert into asset_ledger (asset_uuid, values)
    values (${id.vm12}, ${JSON.stringify({ owner: 'Zhang Wei 张伟', asset_number: 'AN-7788' })}::jsonb)`);
  await db.execute(sql`update assets set name_override = 'billing-core (renamed)' where uuid = ${id.host}`);
});
afterAll(async () => t?.drop());

async function search(q: string, extra = ''): Promise<string[]> {
  const res = await call(assetsRoute.GET, {
    url: `/api/v1/assets?q=${encodeURIComponent(q)}${extra}&limit=500`,
    token: actors.tokens.user,
  });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  const byUuid = Object.fromEntries(Object.entries(id).map(([k, u]) => [u, k]));
  return (body.items as { uuid: string }[]).map((i) => byUuid[i.uuid]!);
}
const sorted = async (q: string) => (await search(q)).sort();

describe('substring of name, host name and serial', () => {
  it('any part, any case, from two characters', async () => {
    expect(await sorted('VM1')).toEqual(['vm1', 'vm12']);
    expect(await sorted('rp0_vm12')).toEqual(['vm12']);
    expect(await sorted('launch')).toEqual(['emoji']);
    expect(await sorted('corp.exa')).toEqual(['proddb']); // host name
    expect(await sorted('zj1234')).toEqual(['host']); // serial
    expect(await sorted('ck')).toEqual(['dbBackup', 'emoji']); // two characters (db-backup, rocket)
    expect(await sorted('東京')).toEqual(['cjk']);
    expect(await sorted('据库-東')).toEqual(['cjk']);
    expect(await sorted('🚀 l')).toEqual(['emoji']);
    expect(await sorted('nowhere-at-all')).toEqual([]);
  });
  it('XML-special characters and quotes match themselves', async () => {
    expect(await sorted('&D <')).toEqual(['xml']);
    expect(await sorted('"x"')).toEqual(['xml']);
    expect(await sorted("'y'")).toEqual(['xml']);
    expect(await sorted('<test>')).toEqual(['xml']);
  });
  it('%, _ and \\ are literal', async () => {
    expect(await sorted('0%_o')).toEqual(['wild']);
    expect(await sorted('%_')).toEqual(['wild']);
    expect(await sorted('\\s')).toEqual(['wild']);
    expect(await sorted('f\\sa')).toEqual(['wild']);
    expect(await sorted('p0_v')).toEqual(['vm1', 'vm12']);
    expect(await sorted('p0xv')).toEqual([]); // _ is not "any character"
    expect(await sorted('0%r')).toEqual([]); // % is not "anything"
    expect(await sorted('%')).toEqual([]); // one character: a prefix, and no name starts with %
  });
  it('one character is a prefix, not any part', async () => {
    expect(await sorted('D')).toEqual(['db', 'dbBackup', 'proddb', 'vm1', 'vm12']); // proddb: db01.corp…
    expect(await sorted('🚀')).toEqual(['emoji']);
  });
  it('ranked exact > prefix > anywhere inside, then by name', async () => {
    expect(await search('db')).toEqual(['db', 'dbBackup', 'proddb']);
    expect(await search('vm1')).toEqual(['vm1', 'vm12']); // vm1's host name begins with it
    // An explicit sort wins over the rank.
    expect(await search('db', '&sort=-name')).toEqual(['proddb', 'dbBackup', 'db']);
  });
  it('combines with the other filters', async () => {
    expect(await sorted('01')).toEqual(['cjk', 'host', 'proddb']);
    expect(await search('01', '&kind=host')).toEqual(['host']);
  });
});

describe('asserted facts', () => {
  it('owner and asset number, any part', async () => {
    expect(await sorted('张伟')).toEqual(['vm12']);
    expect(await sorted('zhang')).toEqual(['vm12']);
    expect(await sorted('an-7788')).toEqual(['vm12']);
    expect(await sorted('n-77')).toEqual(['vm12']);
  });
  it('the overridden display name and the observed name underneath both find the asset', async () => {
    expect(await sorted('renamed')).toEqual(['host']);
    expect(await sorted('esx-01')).toEqual(['host']);
  });
  it('an exact asset number ranks first', async () => {
    expect((await search('an-7788'))[0]).toBe('vm12');
  });
});

describe('IP addresses', () => {
  it('exact, in any spelling', async () => {
    expect(await sorted('10.0.1.5')).toEqual(['vm1']);
    expect(await sorted('2001:DB8:0:1:0:0:0:5')).toEqual(['proddb']);
    expect(await sorted('10.0.1.20')).toEqual([]); // a complete address is exact, not a prefix
  });
  it('by IPv4 prefix', async () => {
    expect(await sorted('10.0.1.')).toEqual(['host', 'vm1']);
    expect(await sorted('10.0.1')).toEqual(['host', 'vm1', 'vm12']); // 10.0.1.x and 10.0.10.x
    expect(await sorted('10.0.')).toEqual(['host', 'proddb', 'vm1', 'vm12']);
    expect(await sorted('192.168.')).toEqual(['xml']);
  });
  it('by CIDR, IPv4 and IPv6', async () => {
    expect(await sorted('10.0.0.0/23')).toEqual(['host', 'vm1']);
    expect(await sorted('10.0.1.128/25')).toEqual(['host']);
    expect(await sorted('10.0.2.0/24')).toEqual(['proddb']);
    expect(await sorted('10.0.0.0/8')).toEqual(['host', 'proddb', 'vm1', 'vm12']);
    expect(await sorted('2001:db8::/48')).toEqual(['proddb']);
    expect(await sorted('2001:db8::/32')).toEqual(['cjk', 'proddb']);
    expect(await sorted('2001:db8:1::/48')).toEqual(['cjk']);
    // Lengths between two indexed ones are rechecked exactly: /47 holds 2001:db8:0::–2001:db8:1:ffff::.
    expect(await sorted('2001:db8::/47')).toEqual(['cjk', 'proddb']);
    expect(await sorted('2001:db8::/49')).toEqual(['proddb']);
    expect(await sorted('2001:db8:8000::/33')).toEqual([]);
  });
  it('by a CIDR between two indexed lengths, exactly', async () => {
    // IPv4 is indexed at /8, /16 and /24 (a /22 is four /24s, a /27 its /24 rechecked): each shares a key
    // with addresses outside it (10.0.10.7 is in 10.0.0.0/16, 10.0.1.200 in 10.0.1.0/24).
    expect(await sorted('10.0.0.0/22')).toEqual(['host', 'proddb', 'vm1']);
    expect(await sorted('10.0.1.77/22')).toEqual(['host', 'proddb', 'vm1']); // host bits allowed
    expect(await sorted('10.0.8.0/22')).toEqual(['vm12']);
    expect(await sorted('10.0.1.0/27')).toEqual(['vm1']);
    expect(await sorted('10.0.1.192/27')).toEqual(['host']);
    expect(await sorted('10.0.1.32/27')).toEqual([]);
    expect(await sorted('10.0.1.5/32')).toEqual(['vm1']); // no /32 key: the /24 rechecked
    expect(await sorted('10.0.1.6/32')).toEqual([]);
    expect(await sorted('8.0.0.0/7')).toEqual([]); // below /8: not a network search
    // IPv6 is indexed at every 16th length: 2001:db8:0:1::5 is in 2001:db8::/56, not in 2001:db8:0:100::/56.
    expect(await sorted('2001:db8::/56')).toEqual(['proddb']);
    expect(await sorted('2001:db8:0:100::/56')).toEqual([]);
    expect(await sorted('2001:db8:1::/56')).toEqual(['cjk']);
    expect(await sorted('2001:db8:1::7/128')).toEqual(['cjk']);
    expect(await sorted('2001:db8:1::8/127')).toEqual([]);
  });
});

describe('MAC addresses', () => {
  it('exact in any case and separator', async () => {
    expect(await sorted('00-0C-29-11-22-33')).toEqual(['proddb']);
    expect(await sorted('000c.2911.2233')).toEqual(['proddb']);
  });
  it('by OUI or any longer prefix, any separator', async () => {
    for (const oui of ['00:50:56', '00-50-56', '00:50:56:', '0050.56', '00:50:56'.toUpperCase()]) {
      expect(await sorted(oui), oui).toEqual(['vm1', 'vm12']);
    }
    expect(await sorted('00:50:56:a')).toEqual(['vm12']);
    expect(await sorted('00:0c:29')).toEqual(['proddb']);
    expect(await sorted('00:0c:28')).toEqual([]);
  });
  it('by a prefix ending in half a byte, rechecked exactly', async () => {
    // Keys are whole bytes: 00:50:56:0 looks up 005056 (vm12 too) and keeps the MACs starting 0050560.
    expect(await sorted('00:50:5')).toEqual(['vm1', 'vm12']);
    expect(await sorted('0050.5')).toEqual(['vm1', 'vm12']);
    expect(await sorted('00:50:56:0')).toEqual(['vm1']);
    expect(await sorted('00-50-56-A')).toEqual(['vm12']);
    expect(await sorted('00:0c:2')).toEqual(['proddb']);
    expect(await sorted('00:0c:3')).toEqual([]);
    expect(await sorted('00:50:56:01:02:0')).toEqual(['vm1']); // 11 digits
    expect(await sorted('00:50:56:01:02:1')).toEqual([]);
  });
});

describe('query reading', () => {
  it('reads each kind of term it could be', () => {
    expect(searchTerms('10.0.1.').ipv4Keys).toEqual(['10.0.1.0/24']);
    expect(searchTerms('10.0.1').ipv4Keys).toHaveLength(111); // 10.0.1.0/24, 10.0.10–19.0/24, 10.0.100–199.0/24
    expect(searchTerms('10.0.1.77/22').ipv4Keys).toEqual([
      '10.0.0.0/24',
      '10.0.1.0/24',
      '10.0.2.0/24',
      '10.0.3.0/24',
    ]);
    expect(searchTerms('10.0.1.77/22').ipNetwork).toBeNull();
    expect(searchTerms('10.200.1.77/9').ipv4Keys).toHaveLength(128);
    expect(searchTerms('10.200.1.77/9').ipv4Keys.slice(0, 2)).toEqual(['10.128.0.0/16', '10.129.0.0/16']);
    expect(searchTerms('255.255.255.255/16').ipv4Keys).toEqual(['255.255.0.0/16']);
    expect(searchTerms('10.0.1.77/27').ipNetwork).toEqual({
      address: '10.0.1.77',
      length: 27,
      keyLength: 24,
    });
    expect(searchTerms('10.0.1.5/32').ipNetwork?.keyLength).toBe(24);
    expect(searchTerms('10').ipv4Keys).toEqual([]); // a bare number is text
    expect(searchTerms('10.0.0.0/4').ipv4Keys).toEqual([]);
    expect(searchTerms('2001:db8::/50').ipNetwork).toEqual({
      address: '2001:db8::',
      length: 50,
      keyLength: 48,
    });
    expect(searchTerms('cafe').macPrefix).toBeNull(); // bare hex is a name
    expect(searchTerms('0050.56ab.').macPrefix).toBe('005056ab');
    expect(searchTerms('00:50:5').macPrefix).toBe('00505');
    expect(searchTerms('数据库😀').textLength).toBe(4);
  });
  it('the planner answers every kind from an index, not by reading the table', async () => {
    // The fixture is tiny, so a sequential scan would be cheaper; forbidding it shows that an index can
    // answer the predicate at all (bench/search.ts checks the plan at 50,000 assets with the planner free).
    const { assetWhere } = await import('@/server/assets/service');
    const db = getDb();
    for (const q of [
      'vm',
      'vm1',
      'corp.example',
      'zhang',
      '张伟',
      '10.0.1.',
      '10.0.0.0/23',
      '2001:db8::/47',
      '10.0.0.0/22',
      '10.0.1.0/27',
      '2001:db8::/56',
      '00:50:56',
      '00:50:5',
    ]) {
      const plan = await db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const r = await tx.execute<{ 'QUERY PLAN': string }>(
          sql`explain select uuid from assets a where ${assetWhere({ q })}`,
        );
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      });
      expect(plan, `${q}\n${plan}`).not.toMatch(/Seq Scan/);
      expect(plan, q).toMatch(/Index Scan/);
    }
  });
});
