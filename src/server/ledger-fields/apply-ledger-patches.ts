// The one set-based writer of ledger values, shared by bulk edit and CSV import (the single-asset PATCH
// uses it too, after its version check). Input: a SQL source of (asset_uuid uuid, patch jsonb) rows, where
// a patch is {key: value|null} and null clears. Per asset that actually changes: values merged, version
// bumped, one `ledger_changed` history event with old → new per field. Statements, not rows: the cost is
// three statements whatever the number of assets.
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/server/users/actor';
import { pgCode } from '@/server/users/actor';
import type { LedgerChangedDetails } from '@/server/history/events';

export interface PatchContext {
  reason: LedgerChangedDetails['reason'];
  importId?: string | null;
  actor: Actor;
}

export function eventActor(actor: Actor): LedgerChangedDetails['by'] {
  return { userId: actor.userId, label: actor.label, apiTokenId: actor.apiTokenId ?? null };
}

/** Unique violations of a field's index (asset_ledger_unique_<key>) become a 400 naming the field. */
export function rethrowLedgerUnique(err: unknown): never {
  if (pgCode(err) === '23505') {
    const c =
      (err as { cause?: { constraint?: string }; constraint?: string }).cause?.constraint ??
      (err as { constraint?: string }).constraint ??
      '';
    const field = c.replace(/^asset_ledger_unique_/, '') || 'unknown';
    throw new AppError(
      'VALIDATION_FAILED',
      `values.${field}: another asset already has this value (unique field)`,
      {
        details: { issues: [{ path: `values.${field}`, message: 'duplicate of a unique field' }], field },
      },
    );
  }
  throw err;
}

/** Applies the patches; returns how many assets changed (a count: an import's 50,000 uuids stay in SQL). */
export async function applyLedgerPatches(tx: Tx, source: SQL, ctx: PatchContext): Promise<number> {
  await tx.execute(sql`
    insert into asset_ledger (asset_uuid) select asset_uuid from (${source}) s on conflict do nothing`);
  const details = {
    reason: ctx.reason,
    importId: ctx.importId ?? null,
    by: eventActor(ctx.actor),
  };
  try {
    const r = await tx.execute<{ n: number }>(sql`
      with src as (${source}),
      cur as (
        -- Locks the rows first: under READ COMMITTED a concurrent writer's values are then read, not lost.
        select l.asset_uuid, l.values as old_values, s.patch, jsonb_strip_nulls(l.values || s.patch) as new_values
        from asset_ledger l join src s on s.asset_uuid = l.asset_uuid
        for update of l
      ), chg as (
        select * from cur where old_values <> new_values
      ), upd as (
        update asset_ledger l set values = c.new_values, version = l.version + 1, updated_at = now(),
               updated_by = ${ctx.actor.label}
        from chg c where l.asset_uuid = c.asset_uuid
        returning l.asset_uuid
      ), ev as (
        insert into asset_events (asset_uuid, type, details)
        select c.asset_uuid, 'ledger_changed', ${JSON.stringify(details)}::jsonb || jsonb_build_object('changes', (
          select jsonb_agg(jsonb_build_object('field', k, 'old', c.old_values -> k, 'new', c.new_values -> k) order by k)
          from jsonb_object_keys(c.patch) k where (c.old_values -> k) is distinct from (c.new_values -> k)))
        from chg c
      )
      select count(*)::int as n from upd`);
    return r.rows[0]!.n;
  } catch (err) {
    rethrowLedgerUnique(err);
  }
}
