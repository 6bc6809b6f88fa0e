// Candidate scoring and shared values (DESIGN §8b): a value a few assets of different sources share is
// evidence that they are one, a value more than MAX_HOLDERS assets hold is a placeholder and pairs nobody.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CollectorResponse } from '@/collector/contract';
import { MAX_HOLDERS } from '@/server/identity/junk';
import { CANDIDATE_PAIRS_SQL } from '@/server/identity/score-duplicate-candidates';
import { IDENTITY_TEMP_TABLES } from '@/server/identity/sql';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource, ingestResponse, rows } from './pipeline-helpers';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const SHARED_MAC = '00:50:56:aa:bb:cc';

/** One VM of its own identity in source `i`, with the shared MAC. */
function oneVm(i: number, mac = SHARED_MAC): CollectorResponse {
  const hex = i.toString(16).padStart(12, '0');
  return {
    schema_version: 'collector-response-v1',
    assets: [
      {
        external_kind: 'vm',
        external_id: 'vm-1',
        normalized: {
          identity: {
            caption: `vm-${i}`,
            hostname: `srv-${i}.corp.example`,
            bios_uuid: `4200aaaa-0000-4000-8000-${hex}`,
            machine_uuid: `5000aaaa-0000-4000-8000-${hex}`,
          },
          network: { mac_addresses: [mac] },
        },
        raw_payload: { name: `vm-${i}` },
      },
    ],
    relations: [],
    stats: { assets: 1, relations: 0, inventory_complete: true, warnings: [] },
    errors: [],
  } as CollectorResponse;
}

const sources: string[] = [];

const candidates = async () =>
  rows<{ n: number; rules: string[] }>(
    t.db,
    sql`select count(*)::int as n, array_agg(distinct e->>'rule') as rules
        from duplicate_candidates c cross join lateral jsonb_array_elements(c.evidence) e`,
  );

it(`pairs the assets of ${MAX_HOLDERS} sources that share a MAC, and nobody once more hold it`, async () => {
  for (let i = 0; i < MAX_HOLDERS; i++) {
    const src = await createSource(t.db, { config: { endpoint: `https://vc-${i}.example`, insecure: true } });
    sources.push(src.id);
    await ingestResponse(t.db, src.id, 'collect_vms', oneVm(i));
  }
  const pairs = (MAX_HOLDERS * (MAX_HOLDERS - 1)) / 2;
  expect(await candidates()).toEqual([{ n: pairs, rules: ['vm.mac'] }]);

  const extra = await createSource(t.db, {
    config: { endpoint: 'https://vc-extra.example', insecure: true },
  });
  const r = await ingestResponse(t.db, extra.id, 'collect_vms', oneVm(MAX_HOLDERS));
  expect(r.stats.duplicate_candidates).toBe(0);
  expect((await candidates())[0]!.n).toBe(pairs);
});

it('an asset whose MAC changed loses that evidence and its candidates', async () => {
  const r = await ingestResponse(t.db, sources[0]!, 'collect_vms', oneVm(0, '00:50:56:00:00:01'));
  expect(r.stats.duplicate_candidates).toBe(0);
  const [held] = await rows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from asset_identifiers where rule = 'vm.mac' and value = ${SHARED_MAC}`,
  );
  expect(held!.n).toBe(MAX_HOLDERS); // sources 1… and the extra one
  const left = MAX_HOLDERS - 1;
  expect((await candidates())[0]!.n).toBe((left * (left - 1)) / 2);
});

// The statement counts a value's holders one of two ways (one lookup per touched value, or one pass over
// the table when the run touched a good part of it): both must pair the same assets.
it('finds the same pairs whether it looks values up or counts the whole table', async () => {
  // a value two assets hold, beside the one MAX_HOLDERS hold
  for (const i of [100, 101]) {
    const src = await createSource(t.db, { config: { endpoint: `https://vc-${i}.example`, insecure: true } });
    await ingestResponse(t.db, src.id, 'collect_vms', oneVm(i, '00:50:56:12:34:56'));
  }
  await t.db.execute(sql`analyze asset_identifiers`);
  const client = await t.db.$client.connect();
  try {
    await client.query('begin');
    await client.query(IDENTITY_TEMP_TABLES);
    const pairsOf = async (touched: string[]) => {
      await client.query('delete from _id_touched');
      await client.query('insert into _id_touched select unnest($1::uuid[])', [touched]);
      const [plan] = (
        await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `explain (analyze, format json) ${CANDIDATE_PAIRS_SQL}`,
        )
      ).rows[0]!['QUERY PLAN'];
      const pairs = (await client.query<{ x: string; y: string }>(CANDIDATE_PAIRS_SQL)).rows;
      return { pairs: pairs.map((p) => `${p.x} ${p.y}`), counted: countingBranch(plan.Plan) };
    };
    const all = (await client.query<{ uuid: string }>('select uuid from assets order by uuid')).rows.map(
      (r) => r.uuid,
    );
    const whole = await pairsOf(all);
    expect(whole.counted).toBe('whole table');
    expect(whole.pairs.length).toBeGreaterThan(0);
    const one: string[] = [];
    for (const uuid of all) {
      const r = await pairsOf([uuid]);
      expect(r.counted).toBe('lookups');
      one.push(...r.pairs);
    }
    expect([...new Set(one)].sort()).toEqual([...whole.pairs].sort());
    await client.query('rollback');
  } finally {
    client.release();
  }
});

interface PlanNode {
  'Subplan Name'?: string;
  'Node Type': string;
  'Actual Loops': number;
  'Group Key'?: string[];
  Plans?: PlanNode[];
}

/** Which branch of the `shared` CTE ran: the lookups (a Limit per value) or the whole table's count. */
function countingBranch(root: PlanNode): string {
  const find = (n: PlanNode, f: (n: PlanNode) => boolean): PlanNode | undefined =>
    f(n) ? n : n.Plans?.map((c) => find(c, f)).find(Boolean);
  const shared = find(root, (n) => n['Subplan Name'] === 'CTE shared')!;
  // a branch ran when its scan of asset_identifiers did (a false one-time filter skips it)
  const ran = (f: (n: PlanNode) => boolean) => {
    const branch = find(shared, f);
    const scan = branch && find(branch, (n) => /Scan$/.test(n['Node Type']) && n['Node Type'] !== 'CTE Scan');
    return (scan?.['Actual Loops'] ?? 0) > 0;
  };
  const lookups = ran((n) => n['Node Type'] === 'Limit');
  // the count over the table groups asset_identifiers' own rows (the lookups' distinct groups `mine`)
  const whole = ran(
    (n) => n['Node Type'] === 'Aggregate' && /^o(_\d+)?\.rule$/.test(n['Group Key']?.[0] ?? ''),
  );
  return lookups && !whole ? 'lookups' : whole && !lookups ? 'whole table' : 'both or neither';
}
