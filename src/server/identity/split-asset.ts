// Split (DESIGN §8b): undoes the merge that brought a link to this asset. Exactly what the merge moved goes
// back — the merged asset's links with their records, its relations (and the edges dropped as doubles come
// back), its history, its asserted values — and the tombstone is an asset again under its own UUID. The
// pair is then a decided one: its candidate is marked ignored. Audited; admin or editor.
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { getAsset } from '@/server/assets/service';
import { audit, type Actor } from '@/server/users/actor';
import { lockPair } from './merge-assets';
import { recomputeAssets } from './recompute-assets';
import { IDENTITY_TEMP_TABLES, txQuery } from './sql';

type Moved = {
  events: string[];
  relations: string[];
  droppedRelations: Record<string, unknown>[];
  ledger: Record<string, unknown>;
  overrides: Record<string, string>;
};

export async function splitAsset(db: Db, actor: Actor, assetId: string, linkId: string) {
  const restored = await db.transaction(async (tx: Tx) => {
    const q = txQuery(tx);
    await q.query(IDENTITY_TEMP_TABLES);
    const [m] = await q.query<{
      id: string;
      merged_uuid: string;
      link_ids: string[];
      moved: Moved;
      candidate_id: string | null;
    }>(
      `select id, merged_uuid, link_ids, moved, candidate_id from asset_merges
       where survivor_uuid = $1 and $2::uuid = any(link_ids) and split_at is null
       order by created_at desc limit 1 for update`,
      [assetId, linkId],
    );
    if (!m) {
      const link = await q.query(`select 1 from asset_source_links where id = $1 and asset_uuid = $2`, [
        linkId,
        assetId,
      ]);
      if (!link.length) throw new AppError('NOT_FOUND', 'no such link on this asset');
      throw new AppError(
        'SPLIT_NOT_MERGED',
        'body.linkId: this link is the asset’s own (it did not come from a merge); only a merged link can be split off',
        { details: { linkId } },
      );
    }
    await lockPair(q, assetId, m.merged_uuid);
    const back = m.merged_uuid;
    await q.query(
      `with l as (update asset_source_links set asset_uuid = $2 where id = any($3::uuid[]) and asset_uuid = $1),
       r as (update source_records set asset_uuid = $2 where link_id = any($3::uuid[]) and asset_uuid = $1)
       select 1`,
      [assetId, back, m.link_ids],
    );
    await q.query(
      `with r as (
         update relations set from_asset_uuid = case when from_asset_uuid = $1 then $2 else from_asset_uuid end,
                              to_asset_uuid = case when to_asset_uuid = $1 then $2 else to_asset_uuid end
         where id = any($3::uuid[])
       ), d as (
         insert into relations select * from jsonb_populate_recordset(null::relations, $4::jsonb)
         on conflict do nothing
       ), e as (
         update asset_events set asset_uuid = $2 where id = any($5::bigint[]) and asset_uuid = $1
       ) update assets set status = 'offline', merged_into = null, updated_at = now() where uuid = $2`,
      [assetId, back, m.moved.relations, JSON.stringify(m.moved.droppedRelations ?? []), m.moved.events],
    );
    const keys = Object.keys(m.moved.ledger ?? {});
    if (keys.length)
      await q.query(
        `with s as (update asset_ledger set values = values - $3::text[], version = version + 1, updated_at = now()
                    where asset_uuid = $1)
         insert into asset_ledger (asset_uuid, values, version) values ($2, $4::jsonb, 1)
         on conflict (asset_uuid) do update set values = asset_ledger.values || excluded.values,
           version = asset_ledger.version + 1, updated_at = now()`,
        [assetId, back, keys, JSON.stringify(m.moved.ledger)],
      );
    for (const [o, v] of Object.entries(m.moved.overrides ?? {})) {
      if (!['name_override', 'primary_ip_override', 'os_override'].includes(o)) continue;
      await q.query(`update assets set ${o} = null where uuid = $1`, [assetId]);
      await q.query(`update assets set ${o} = $2 where uuid = $1`, [back, v]);
    }
    await q.query(`update asset_merges set split_at = now() where id = $1`, [m.id]);
    if (m.candidate_id)
      await q.query(
        `update duplicate_candidates set status = 'ignored', resolved_at = now(), resolved_by = $2, updated_at = now()
         where id = $1`,
        [m.candidate_id, actor.userId],
      );
    await q.query(
      `insert into asset_events (asset_uuid, type, details) values
         ($1, 'split', jsonb_build_object('other_uuid', $2::uuid, 'merge_id', $3::uuid, 'by', $4::text)),
         ($2, 'split', jsonb_build_object('split_from', $1::uuid, 'merge_id', $3::uuid, 'by', $4::text))`,
      [assetId, back, m.id, actor.label],
    );
    await recomputeAssets(q, [assetId, back]);
    await audit(
      tx,
      actor,
      'asset.split',
      { type: 'asset', id: assetId },
      { restored: back, mergeId: m.id, linkId },
    );
    return back;
  });
  return { asset: await getAsset(db, assetId), restored: await getAsset(db, restored) };
}
