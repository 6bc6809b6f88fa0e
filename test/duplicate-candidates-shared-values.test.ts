// Candidate scoring and shared values (DESIGN §8b): a value a few assets of different sources share is
// evidence that they are one, a value more than MAX_HOLDERS assets hold is a placeholder and pairs nobody.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CollectorResponse } from '@/collector/contract';
import { MAX_HOLDERS } from '@/server/identity/junk';
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
