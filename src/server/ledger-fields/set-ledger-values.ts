// PATCH an asset's asserted facts: ledger values and overrides, guarded by the version the client read
// (optimistic concurrency, like an ETag): a stale version is 409 with the current state, so two editors
// never overwrite each other silently. Invalid input is 400 naming the field and writes nothing.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { canonicalIp } from '@/lib/network-address';
import { AppError } from '@/lib/errors';
import { isIP } from 'node:net';
import type { Actor } from '@/server/users/actor';
import { applyLedgerPatches, eventActor } from './apply-ledger-patches';
import { ledgerFieldMap } from './fields';
import { getAssetLedger, type AssetLedger } from './get-asset-ledger';
import { OVERRIDE_COLUMNS, type OverrideKey } from './overrides';
import { validatePatch, validationFailed, type Issue } from './validate-values';

export interface SetLedgerInput {
  version: number;
  values?: Record<string, unknown>;
  overrides?: Partial<Record<OverrideKey, string | null>>;
}

function parseOverrides(input: SetLedgerInput['overrides']): Partial<Record<OverrideKey, string | null>> {
  const out: Partial<Record<OverrideKey, string | null>> = {};
  const issues: Issue[] = [];
  for (const [k, raw] of Object.entries(input ?? {}) as [OverrideKey, string | null][]) {
    const v = raw === null ? null : raw.trim() || null;
    if (v !== null && k === 'primaryIp') {
      if (!isIP(v.replace(/^\[(.*)\]$/, '$1'))) {
        issues.push({ path: 'overrides.primaryIp', message: 'must be an IPv4 or IPv6 address' });
        continue;
      }
      out[k] = canonicalIp(v);
      continue;
    }
    out[k] = v;
  }
  if (issues.length) throw validationFailed(issues);
  return out;
}

export async function setLedgerValues(
  db: Db,
  actor: Actor,
  uuid: string,
  input: SetLedgerInput,
): Promise<AssetLedger> {
  const overrides = parseOverrides(input.overrides);
  await db.transaction(async (tx) => {
    const asset = await tx.execute<{ kind: 'host' | 'cluster' | 'vm' } & Record<string, string | null>>(sql`
      select kind, name_override, primary_ip_override, os_override from assets where uuid = ${uuid} for update`);
    const a = asset.rows[0];
    if (!a) throw new AppError('NOT_FOUND', 'asset not found');
    const fields = await ledgerFieldMap(tx);
    const patch = validatePatch(input.values ?? {}, fields, [a.kind]);

    // The asset row lock above serializes writers of this asset; the version decides who was first.
    const cur = await tx.execute<{ version: number }>(
      sql`select version from asset_ledger where asset_uuid = ${uuid}`,
    );
    const version = cur.rows[0]?.version ?? 0;
    if (version !== input.version) {
      throw new AppError(
        'VERSION_CONFLICT',
        `version ${input.version} is stale: the asset's ledger is at version ${version}`,
        { status: 409, details: { current: await getAssetLedger(tx, uuid) } },
      );
    }

    const overrideChanges = (Object.entries(overrides) as [OverrideKey, string | null][])
      .filter(([k, v]) => a[OVERRIDE_COLUMNS[k]] !== v)
      .map(([k, v]) => ({ field: `override.${k}`, old: a[OVERRIDE_COLUMNS[k]] ?? null, new: v, key: k }));

    const changed = Object.keys(patch).length
      ? await applyLedgerPatches(
          tx,
          sql`select ${uuid}::uuid as asset_uuid, ${JSON.stringify(patch)}::jsonb as patch`,
          { reason: 'edit', actor },
        )
      : 0;
    if (overrideChanges.length) {
      await tx.execute(sql`
        update assets set ${sql.join(
          overrideChanges.map((c) => sql`${sql.raw(OVERRIDE_COLUMNS[c.key])} = ${c.new}`),
          sql`, `,
        )} where uuid = ${uuid}`);
      // One version per asserted change: an override-only edit bumps it too (the values edit already did).
      if (!changed) {
        await tx.execute(sql`
          insert into asset_ledger (asset_uuid, version, updated_by) values (${uuid}, 1, ${actor.label})
          on conflict (asset_uuid) do update set version = asset_ledger.version + 1, updated_at = now(),
            updated_by = excluded.updated_by`);
      }
      await tx.execute(sql`
        insert into asset_events (asset_uuid, type, details) values (${uuid}, 'ledger_changed', ${JSON.stringify(
          {
            reason: 'edit',
            importId: null,
            by: eventActor(actor),
            changes: overrideChanges.map(({ field, old, new: n }) => ({ field, old, new: n })),
          },
        )}::jsonb)`);
    }
  });
  return getAssetLedger(db, uuid);
}
