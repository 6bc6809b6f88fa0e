// "Last seen" as the API shows it: unchanged rows are not re-stamped by ingest, a complete run records
// itself in source_scans and readers derive the value (src/ingest/last-seen.ts). Checked through the
// asset service the API, the UI and the CSV export use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource, ingestResponse, rows } from './pipeline-helpers';
import { getAsset, listAssetRecords, listAssetRelations, listAssets } from '@/server/assets/service';
import { hostsResponse, vmsResponse, type SyntheticEstate } from '../bench/ingest-synthetic';
import { sql } from 'drizzle-orm';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const iso = (d: unknown) => new Date(d as string).toISOString();

describe('last seen', () => {
  it('follows complete runs without stamping rows, and freezes when a VM goes missing', async () => {
    const src = await createSource(t.db);
    const e: SyntheticEstate = { clusters: 1, hosts: 2, vms: 3 };
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(e), at(0));
    const r1 = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e), at(1));
    const r2 = await ingestResponse(t.db, src.id, 'collect_vms', vmsResponse(e), at(2));
    expect(r2.stats).toMatchObject({ unchanged: 3, records_written: 0 });
    // The unchanged run did not write the rows' own stamps…
    const [stored] = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int n from asset_source_links where source_id = ${src.id} and last_seen_run_id = ${r2.runId}`,
    );
    expect(stored!.n).toBe(0);

    const [vm] = await rows<{ uuid: string }>(
      t.db,
      sql`select asset_uuid as uuid from asset_source_links where source_id = ${src.id} and external_id = 'vm-1'`,
    );
    // …yet every reader sees run 2.
    const asset = await getAsset(t.db, vm!.uuid);
    expect(iso(asset.lastSeenAt)).toBe(at(2).toISOString());
    expect(asset.links).toHaveLength(1);
    expect(asset.links[0]).toMatchObject({ lastSeenRunId: r2.runId, presence: 'present' });
    expect(iso(asset.links[0]!.lastSeenAt)).toBe(at(2).toISOString());
    const rels = await listAssetRelations(t.db, vm!.uuid, 'active');
    expect(rels.items.length).toBeGreaterThan(0);
    for (const r of rels.items) expect(iso(r.lastSeenAt)).toBe(at(2).toISOString());
    const recs = await listAssetRecords(t.db, vm!.uuid, { limit: 10, offset: 0 });
    expect(recs.items).toHaveLength(1);
    expect(recs.items[0]).toMatchObject({ runId: r1.runId, lastSeenRunId: r2.runId });
    const list = await listAssets(t.db, { kind: 'vm' }, { limit: 10, offset: 0, sort: '-lastSeenAt' });
    expect(list.items.map((a) => iso(a.lastSeenAt))).toEqual(Array(3).fill(at(2).toISOString()));

    // vm-1 changes in run 3: its old record was last seen by run 2, the new one by run 3.
    const r3 = await ingestResponse(
      t.db,
      src.id,
      'collect_vms',
      vmsResponse({ ...e, changedVms: new Set([1]) }),
      at(3),
    );
    const recs3 = await listAssetRecords(t.db, vm!.uuid, { limit: 10, offset: 0 });
    expect(recs3.items.map((r) => [r.runId, r.lastSeenRunId])).toEqual([
      [r3.runId, r3.runId],
      [r1.runId, r2.runId],
    ]);

    // vm-1 is gone in run 4: link, relations and asset keep run 3 as their last seen; others move on.
    const r4 = await ingestResponse(
      t.db,
      src.id,
      'collect_vms',
      vmsResponse({ ...e, changedVms: new Set([1]), goneVms: new Set([1]) }),
      at(4),
    );
    expect(r4.stats).toMatchObject({ missing: 1, offline: 1 });
    const gone = await getAsset(t.db, vm!.uuid);
    expect(gone.status).toBe('offline');
    expect(iso(gone.lastSeenAt)).toBe(at(3).toISOString());
    expect(gone.links[0]).toMatchObject({ presence: 'missing', lastSeenRunId: r3.runId });
    const inactive = await listAssetRelations(t.db, vm!.uuid, 'inactive');
    expect(inactive.items.length).toBeGreaterThan(0);
    for (const r of inactive.items) expect(iso(r.lastSeenAt)).toBe(at(3).toISOString());
    const recs4 = await listAssetRecords(t.db, vm!.uuid, { limit: 10, offset: 0 });
    expect(recs4.items[0]).toMatchObject({ lastSeenRunId: r3.runId });
    const list4 = await listAssets(t.db, { kind: 'vm' }, { limit: 10, offset: 0, sort: 'lastSeenAt' });
    expect(list4.items[0]!.uuid).toBe(vm!.uuid);

    // It comes back in run 5 (unchanged since run 3): seen by run 5 again, record included.
    const r5 = await ingestResponse(
      t.db,
      src.id,
      'collect_vms',
      vmsResponse({ ...e, changedVms: new Set([1]) }),
      at(5),
    );
    expect(r5.stats).toMatchObject({ came_back: 1, records_written: 0 });
    const back = await getAsset(t.db, vm!.uuid);
    expect(back.status).toBe('active');
    expect(iso(back.lastSeenAt)).toBe(at(5).toISOString());
    expect(back.links[0]).toMatchObject({ presence: 'present', lastSeenRunId: r5.runId });
    const recs5 = await listAssetRecords(t.db, vm!.uuid, { limit: 10, offset: 0 });
    expect(recs5.items[0]).toMatchObject({ runId: r3.runId, lastSeenRunId: r5.runId });
  });
});
