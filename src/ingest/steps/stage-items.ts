// Stage the run's objects: each (kind, external id) of the mode's kinds once, under the source's ingest lock,
// into `_in_asset`. Sets state.items, counters.assets and counters.duplicates.
import type { IngestContext } from '../context';
import { identityKey } from '../canonical';
import { endpointKey } from '../rows';
import { TEMP_TABLES, plannerSetup } from '../working-tables';
import type { StagedItem } from '../state';

export async function stageItems(ctx: IngestContext): Promise<void> {
  const { sql, state, warnings } = ctx;
  // Only the mode's kinds, each (kind, external_id) once: a duplicate would make two writes of one row.
  // The record texts and hashes are not computed here but where they are written (see recordTexts).
  const byKey = new Map<string, number>();
  const items: StagedItem[] = [];
  let duplicates = 0;
  let foreignKinds = 0;
  for (const a of state.assets) {
    if (!ctx.kinds.includes(a.external_kind)) {
      foreignKinds++;
      continue;
    }
    const key = endpointKey(a.external_kind, a.external_id);
    const item = { a, identity: identityKey(a.external_kind, a.normalized as Record<string, unknown>) };
    const at = byKey.get(key);
    if (at !== undefined) {
      duplicates++;
      items[at] = item;
    } else {
      byKey.set(key, items.length);
      items.push(item);
    }
  }
  if (duplicates)
    warnings.push({
      code: 'DUPLICATE_ASSETS',
      message: `${duplicates} duplicate assets ignored`,
      count: duplicates,
    });
  if (foreignKinds) {
    warnings.push({
      code: 'ASSET_KIND_NOT_IN_MODE',
      message: `${foreignKinds} assets of kinds this mode does not collect were ignored`,
      count: foreignKinds,
    });
  }
  state.items = items;
  ctx.counters.assets = items.length;
  ctx.counters.duplicates = duplicates;

  // Runs of one source ingest one at a time (a hosts run and a VMs run touch the same relations and assets).
  await sql.query(`select pg_advisory_xact_lock(hashtext('asset-ledger:ingest:' || $1::text))`, [
    ctx.sourceId,
  ]);
  await sql.query(plannerSetup(items.length, state.relations.length) + TEMP_TABLES);
  await sql.copy(
    '_in_asset',
    [
      ['idx', 'int4'],
      ['kind', 'text'],
      ['external_id', 'text'],
      ['identity_key', 'text'],
    ],
    items.map((it, i) => [i, it.a.external_kind, it.a.external_id, it.identity]),
  );
  await sql.query('analyze _in_asset');
}
