// The set-based writer of overrides (display name, primary IP, OS) for bulk edit and CSV import, beside
// applyLedgerPatches for values. Input: a SQL source of (asset_uuid uuid, overrides jsonb) rows, where
// overrides is {name|primaryIp|os: string|null} (null clears). Per asset that actually changes: the
// override columns set, the ledger version bumped, old → new per override in the asset's one `ledger_changed` event.
// Collect runs never write these columns, so an override stays until a person clears it.
import { sql, type SQL } from 'drizzle-orm';
import { isIP } from 'node:net';
import type { Tx } from '@/db/client';
import { canonicalIp } from '@/lib/network-address';
import { eventActor, type PatchContext } from './apply-ledger-patches';
import { OVERRIDE_COLUMNS, OVERRIDE_KEYS, type OverrideKey } from './overrides';

export type OverridePatch = Partial<Record<OverrideKey, string | null>>;

/** One override value as stored: trimmed, empty is null; a primary IP must be an address (canonical form). */
export function parseOverrideValue(
  key: OverrideKey,
  raw: string | null,
): { ok: true; value: string | null } | { ok: false; reason: string } {
  const v = raw === null ? null : raw.trim() || null;
  if (v !== null && key === 'primaryIp') {
    if (!isIP(v.replace(/^\[(.*)\]$/, '$1'))) return { ok: false, reason: 'must be an IPv4 or IPv6 address' };
    return { ok: true, value: canonicalIp(v) };
  }
  return { ok: true, value: v };
}

/** Applies the overrides; returns how many assets changed. */
export async function applyOverridePatches(tx: Tx, source: SQL, ctx: PatchContext): Promise<number> {
  const details = { reason: ctx.reason, importId: ctx.importId ?? null, by: eventActor(ctx.actor) };
  const col = (k: OverrideKey) => sql.raw(OVERRIDE_COLUMNS[k]);
  const r = await tx.execute<{ n: number }>(sql`
    with src as (${source}),
    cur as (
      select a.uuid, s.overrides, jsonb_build_object(${sql.join(
        OVERRIDE_KEYS.map((k) => sql`${k}::text, a.${col(k)}`),
        sql`, `,
      )}) as old
      from assets a join src s on s.asset_uuid = a.uuid
      for update of a
    ), chg as (
      select c.uuid, c.overrides, x.changes from cur c
      cross join lateral (
        select jsonb_agg(jsonb_build_object('field', 'override.' || k, 'old', c.old -> k, 'new', c.overrides -> k)
                         order by k) as changes
        from jsonb_object_keys(c.overrides) k
        where (c.old -> k) is distinct from (c.overrides -> k)) x
      where x.changes is not null
    ), upd as (
      update assets a set ${sql.join(
        OVERRIDE_KEYS.map(
          (k) => sql`${col(k)} = case when c.overrides ? ${k} then c.overrides ->> ${k} else a.${col(k)} end`,
        ),
        sql`, `,
      )}
      from chg c where a.uuid = c.uuid
      returning a.uuid
    ), ver as (
      insert into asset_ledger (asset_uuid, version, updated_by) select uuid, 1, ${ctx.actor.label} from chg
      on conflict (asset_uuid) do update set version = asset_ledger.version + 1, updated_at = now(),
        updated_by = excluded.updated_by
    ), folded as (
      -- A bulk edit or import that also changed this asset's values wrote its event earlier in this
      -- transaction (same ts = now(), same reason and import): the overrides join it, one event per asset.
      update asset_events e set details = jsonb_set(e.details, '{changes}', (e.details -> 'changes') || c.changes)
      from chg c
      where e.asset_uuid = c.uuid and e.type = 'ledger_changed' and e.ts = now()
        and e.details ->> 'reason' = ${details.reason}
        and (e.details ->> 'importId') is not distinct from ${details.importId}::text
      returning e.asset_uuid
    ), ev as (
      insert into asset_events (asset_uuid, type, details)
      select c.uuid, 'ledger_changed', ${JSON.stringify(details)}::jsonb || jsonb_build_object('changes', c.changes)
      from chg c where c.uuid not in (select asset_uuid from folded)
    )
    select count(*)::int as n from upd`);
  return r.rows[0]!.n;
}
