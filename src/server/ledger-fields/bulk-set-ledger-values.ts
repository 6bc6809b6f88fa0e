// Bulk edit: one `set` of ledger values and/or `overrides` (display name, primary IP, OS) for the assets
// given by `ids` or by the asset list's filter, in one transaction and a few statements
// (apply-ledger-patches.ts, apply-override-patches.ts) however many assets match. One history event per
// changed asset (values and overrides together), one audit event for the request.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { assetWhere, type AssetFilters } from '@/server/assets/service';
import { audit, type Actor } from '@/server/users/actor';
import { applyLedgerPatches } from './apply-ledger-patches';
import { applyOverridePatches, parseOverrideValue, type OverridePatch } from './apply-override-patches';
import type { OverrideKey } from './overrides';
import { ledgerFieldMap, type AssetKind } from './fields';
import { assertLedgerKeys } from './list-filters';
import { validatePatch, validationFailed } from './validate-values';

export const MAX_BULK_IDS = 20_000;

export interface BulkSetInput {
  ids?: string[];
  filter?: AssetFilters;
  set: Record<string, unknown>;
  overrides?: OverridePatch;
}

function parseOverrides(input: OverridePatch): OverridePatch {
  const out: OverridePatch = {};
  const issues = [];
  for (const [k, raw] of Object.entries(input) as [OverrideKey, string | null][]) {
    const v = parseOverrideValue(k, raw);
    if (v.ok) out[k] = v.value;
    else issues.push({ path: `overrides.${k}`, message: v.reason });
  }
  if (issues.length) throw validationFailed(issues);
  return out;
}

export async function bulkSetLedgerValues(
  db: Db,
  actor: Actor,
  input: BulkSetInput,
): Promise<{ matched: number; changed: number }> {
  if ((input.ids === undefined) === (input.filter === undefined)) {
    throw new AppError('VALIDATION_FAILED', 'body: give either ids or filter', {
      details: { issues: [{ path: 'body.ids', message: 'give either ids or filter' }] },
    });
  }
  const overrides = parseOverrides(input.overrides ?? {});
  const hasOverrides = Object.keys(overrides).length > 0;
  if (!Object.keys(input.set).length && !hasOverrides) {
    throw new AppError('VALIDATION_FAILED', 'body.set: name at least one field or override', {
      details: { issues: [{ path: 'body.set', message: 'name at least one field' }] },
    });
  }
  if (input.filter) await assertLedgerKeys(db, input.filter.ledger);
  const where: SQL = input.ids
    ? sql`a.uuid = any(${sql.param(input.ids)}::uuid[])`
    : assetWhere(input.filter!);
  return db.transaction(async (tx) => {
    const fields = await ledgerFieldMap(tx);
    const kinds = await tx.execute<{ kind: AssetKind; n: number }>(
      sql`select a.kind, count(*)::int as n from assets a where ${where} group by a.kind`,
    );
    const matched = kinds.rows.reduce((s, r) => s + r.n, 0);
    const patch = validatePatch(
      input.set,
      fields,
      kinds.rows.map((r) => r.kind),
    );
    for (const [key, v] of Object.entries(patch)) {
      if (v !== null && fields.get(key)!.unique && matched > 1) {
        throw validationFailed([
          { path: `values.${key}`, message: `is a unique field: one value cannot go to ${matched} assets` },
        ]);
      }
    }
    const hasValues = Object.keys(patch).length > 0;
    let changed =
      matched && hasValues
        ? await applyLedgerPatches(
            tx,
            sql`select a.uuid as asset_uuid, ${JSON.stringify(patch)}::jsonb as patch from assets a where ${where}`,
            { reason: 'bulk', actor },
          )
        : 0;
    if (matched && hasOverrides) {
      const n = await applyOverridePatches(
        tx,
        sql`select a.uuid as asset_uuid, ${JSON.stringify(overrides)}::jsonb as overrides from assets a where ${where}`,
        { reason: 'bulk', actor },
      );
      // Both kinds: an asset counts once — both writers stamp what they changed with this transaction's now().
      changed = !hasValues
        ? n
        : (
            await tx.execute<{ n: number }>(sql`
              select count(*)::int as n from assets a join asset_ledger l on l.asset_uuid = a.uuid
              where ${where} and l.updated_at = now() and l.version > 0`)
          ).rows[0]!.n;
    }
    await audit(
      tx,
      actor,
      'asset.ledger_bulk',
      { type: 'asset', id: null },
      {
        matched,
        changed,
        fields: Object.keys(patch).sort(),
        ...(hasOverrides ? { overrides: Object.keys(overrides).sort() } : {}),
        ...(input.ids ? { ids: input.ids.length } : { filter: input.filter }),
      },
    );
    return { matched, changed };
  });
}
