// The binary COPY writer against a real PostgreSQL: every wire type ingest uses, NULLs, text that the text
// format would have to escape, multibyte characters, and values larger than one outgoing buffer.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { copyRows, type CopyColumn, type CopyValue } from './copy';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ migrate: false });
});
afterAll(async () => t?.drop());

const COLUMNS: CopyColumn[] = [
  ['i', 'int4'],
  ['b', 'int8'],
  ['f', 'bool'],
  ['s', 'text'],
  ['j', 'jsonb'],
  ['u', 'uuid'],
  ['ts', 'timestamptz'],
  ['raw', 'bytea'],
  ['arr', 'text[]'],
];

describe('copyRows (binary COPY)', () => {
  it('round-trips every type it writes', async () => {
    const client = await t.db.$client.connect();
    try {
      await client.query(`create temp table c (i int, b bigint, f boolean, s text, j jsonb, u uuid,
        ts timestamptz, raw bytea, arr text[])`);
      const big = 'x'.repeat(3 * 1024 * 1024) + 'é';
      const rows: CopyValue[][] = [
        [
          1,
          9007199254740991,
          true,
          'tab\there\nnew line \\ backslash',
          '{"a":"\\"quoted\\"","b":[1,2]}',
          '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
          '2026-11-26T01:02:03.456Z',
          Buffer.from([0, 1, 255]),
          ['10.0.0.1', 'fe80::1', 'with "quote", comma\\'],
        ],
        [
          -2,
          -1,
          false,
          '主机 — ünïcödé 🚀',
          '{"名前":"値 🚀"}',
          '00000000-0000-0000-0000-000000000000',
          new Date('1999-12-31T23:59:59.999Z'),
          Buffer.alloc(0),
          [],
        ],
        [null, null, null, null, null, null, null, null, null],
        [
          3,
          0,
          true,
          big,
          `{"big":"${big}"}`,
          'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
          '2026-01-01T00:00:00Z',
          Buffer.from(big),
          [big],
        ],
      ];
      await copyRows(client, 'c', COLUMNS, rows);
      const back = await client.query(
        `select i, b::text, f, s, j::text, u::text, ts, raw, arr from c order by i nulls last`,
      );
      expect(back.rows.map((r) => r.i)).toEqual([-2, 1, 3, null]);
      const [neg, one, three, nul] = back.rows;
      expect(one).toMatchObject({
        b: '9007199254740991',
        f: true,
        s: 'tab\there\nnew line \\ backslash',
        u: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        arr: ['10.0.0.1', 'fe80::1', 'with "quote", comma\\'],
      });
      expect(JSON.parse(one.j)).toEqual({ a: '"quoted"', b: [1, 2] });
      expect(one.ts.toISOString()).toBe('2026-11-26T01:02:03.456Z');
      expect([...one.raw]).toEqual([0, 1, 255]);
      expect(neg).toMatchObject({ b: '-1', f: false, s: '主机 — ünïcödé 🚀', arr: [] });
      expect(JSON.parse(neg.j)).toEqual({ 名前: '値 🚀' });
      expect(neg.ts.toISOString()).toBe('1999-12-31T23:59:59.999Z');
      expect(neg.raw.length).toBe(0);
      expect(Object.values(nul).every((v) => v === null)).toBe(true);
      expect(three.s).toBe(big);
      expect(JSON.parse(three.j).big).toBe(big);
      expect(three.raw.toString()).toBe(big);
      expect(three.arr).toEqual([big]);
      expect(three.u).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
    } finally {
      client.release();
    }
  });

  it('rejects a value of the wrong shape before PostgreSQL sees a malformed row', async () => {
    await t.db.execute(sql`create table d (u uuid)`);
    for (const [rows, message] of [
      [[['not-a-uuid']], /not a uuid/],
      [[['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'extra']], /2 values for 1 columns/],
    ] as const) {
      const client = await t.db.$client.connect();
      let failure: unknown;
      try {
        await copyRows(client, 'd', [['u', 'uuid']], rows);
      } catch (err) {
        failure = err;
      } finally {
        client.release(true); // a connection whose COPY was aborted is not reused
      }
      expect(String(failure)).toMatch(message);
    }
    const n = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from d`);
    expect(n.rows[0]!.n).toBe(0);
  });
});
