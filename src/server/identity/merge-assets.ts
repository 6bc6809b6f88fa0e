// Merge (DESIGN §8b): the other asset's links, records, relations (an edge both have is kept once) and
// history move to the survivor, which keeps its UUID; the other stays as a `merged` tombstone pointing at
// the survivor (the API answers 308 for it). Asserted values: the survivor's win; the other's values for
// fields the survivor has empty move over; values that differ stay on the tombstone, are listed in the
// response and written to the survivor's history. Everything that moved is recorded in asset_merges, so a
// split gives back the two assets as they were. Audited; admin or editor.
import type { Db, Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { getAsset } from '@/server/assets/service';
import { audit, type Actor } from '@/server/users/actor';
import { moveLinksRecordsRelations } from './move-asset-contents';
import { recomputeAssets } from './recompute-assets';
import { IDENTITY_TEMP_TABLES, txQuery, type Q } from './sql';

const OVERRIDES = ['name_override', 'primary_ip_override', 'os_override'] as const;

type Locked = { uuid: string; kind: string; status: string } & Record<
  (typeof OVERRIDES)[number],
  string | null
>;

/** Both assets, locked in uuid order (two merges of one pair wait for each other instead of deadlocking). */
export async function lockPair(q: Q, a: string, b: string): Promise<Map<string, Locked>> {
  const rows = await q.query<Locked>(
    `select uuid, kind::text, status::text, ${OVERRIDES.join(', ')} from assets
     where uuid = any($1::uuid[]) order by uuid for update`,
    [[a, b]],
  );
  return new Map(rows.map((r) => [r.uuid, r]));
}

export interface LedgerConflict {
  field: string;
  kept: unknown;
  dropped: unknown;
}

/** Moves the other's asserted values the survivor lacks; returns what moved and what differed. */
async function mergeAsserted(q: Q, survivor: Locked, other: Locked) {
  const [row] = await q.query<{ sv: Record<string, unknown> | null; ov: Record<string, unknown> | null }>(
    `select (select values from asset_ledger where asset_uuid = $1) as sv,
            (select values from asset_ledger where asset_uuid = $2) as ov`,
    [survivor.uuid, other.uuid],
  );
  const sv = row?.sv ?? {};
  const ov = row?.ov ?? {};
  const conflicts: LedgerConflict[] = [];
  const moved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ov)) {
    if (!(k in sv)) moved[k] = v;
    else if (JSON.stringify(sv[k]) !== JSON.stringify(v))
      conflicts.push({ field: k, kept: sv[k], dropped: v });
  }
  const movedOverrides: Record<string, string> = {};
  for (const o of OVERRIDES) {
    if (other[o] === null) continue;
    if (survivor[o] === null) movedOverrides[o] = other[o];
    else if (survivor[o] !== other[o]) conflicts.push({ field: o, kept: survivor[o], dropped: other[o] });
  }
  const keys = Object.keys(moved);
  if (keys.length) {
    // Moved, not copied: a unique field may hold a value once.
    await q.query(
      `with o as (update asset_ledger set values = values - $3::text[], version = version + 1, updated_at = now()
                  where asset_uuid = $2)
       insert into asset_ledger (asset_uuid, values, version) values ($1, $4::jsonb, 1)
       on conflict (asset_uuid) do update set values = asset_ledger.values || excluded.values,
         version = asset_ledger.version + 1, updated_at = now()`,
      [survivor.uuid, other.uuid, keys, JSON.stringify(moved)],
    );
  }
  for (const [o, v] of Object.entries(movedOverrides)) {
    await q.query(`update assets set ${o} = null where uuid = $1`, [other.uuid]);
    await q.query(`update assets set ${o} = $2 where uuid = $1`, [survivor.uuid, v]);
  }
  return { conflicts, moved, movedOverrides };
}

export async function mergeAssets(db: Db, actor: Actor, survivorId: string, otherId: string) {
  if (survivorId === otherId)
    throw new AppError('VALIDATION_FAILED', 'body.otherId: an asset cannot be merged into itself');
  const result = await db.transaction(async (tx: Tx) => {
    const q = txQuery(tx);
    await q.query(IDENTITY_TEMP_TABLES);
    const locked = await lockPair(q, survivorId, otherId);
    const survivor = locked.get(survivorId);
    const other = locked.get(otherId);
    if (!survivor || !other) throw new AppError('NOT_FOUND', 'asset not found');
    if (survivor.status === 'merged' || other.status === 'merged')
      throw new AppError(
        'CONFLICT',
        'one of the assets was merged into another already; merge its survivor',
        // The UI says it in words by this reason (src/components/identity-error.ts).
        { details: { reason: 'asset_merged' } },
      );
    if (survivor.kind !== other.kind)
      throw new AppError(
        'VALIDATION_FAILED',
        `body.otherId: a ${other.kind} cannot be merged into a ${survivor.kind}`,
        { details: { reason: 'kind_mismatch' } },
      );

    const asserted = await mergeAsserted(q, survivor, other);
    await q.query(`insert into _id_pairs (from_uuid, to_uuid) values ($1, $2)`, [otherId, survivorId]);
    const moved = await moveLinksRecordsRelations(q);
    const events = await q.query<{ id: string }>(
      `update asset_events set asset_uuid = $2 where asset_uuid = $1 returning id::text`,
      [otherId, survivorId],
    );
    await q.query(`delete from _id_pairs`);
    await q.query(
      `update assets set status = 'merged', merged_into = $2, updated_at = now() where uuid = $1`,
      [otherId, survivorId],
    );
    const [pair] = await q.query<{ id: string }>(
      `update duplicate_candidates set status = 'merged', resolved_at = now(), resolved_by = $3, updated_at = now()
       where asset_a = least($1::uuid, $2::uuid) and asset_b = greatest($1::uuid, $2::uuid) returning id`,
      [survivorId, otherId, actor.userId],
    );
    // The tombstone is nobody's duplicate any more.
    await q.query(
      `delete from duplicate_candidates where status = 'open' and (asset_a = $1 or asset_b = $1)`,
      [otherId],
    );
    const [merge] = await q.query<{ id: string }>(
      `insert into asset_merges (survivor_uuid, merged_uuid, candidate_id, link_ids, moved, actor_user_id)
       values ($1, $2, $3, $4::uuid[], $5::jsonb, $6) returning id`,
      [
        survivorId,
        otherId,
        pair?.id ?? null,
        moved.links,
        JSON.stringify({
          events: events.map((e) => e.id),
          relations: moved.moved,
          droppedRelations: moved.dropped,
          ledger: asserted.moved,
          overrides: asserted.movedOverrides,
          ledgerConflicts: asserted.conflicts,
        }),
        actor.userId,
      ],
    );
    await q.query(
      `insert into asset_events (asset_uuid, type, details) values
         ($1, 'merged', jsonb_build_object('other_uuid', $2::uuid, 'merge_id', $3::uuid, 'ledger_conflicts', $4::jsonb,
                                           'by', $5::text)),
         ($2, 'merged', jsonb_build_object('merged_into', $1::uuid, 'merge_id', $3::uuid, 'by', $5::text))`,
      [survivorId, otherId, merge!.id, JSON.stringify(asserted.conflicts), actor.label],
    );
    await recomputeAssets(q, [survivorId, otherId]);
    await audit(
      tx,
      actor,
      'asset.merge',
      { type: 'asset', id: survivorId },
      {
        merged: otherId,
        mergeId: merge!.id,
        links: moved.links.length,
        ledgerConflicts: asserted.conflicts.length,
      },
    );
    return { mergeId: merge!.id, ledgerConflicts: asserted.conflicts };
  });
  return { survivor: await getAsset(db, survivorId), mergedUuid: otherId, ...result };
}
