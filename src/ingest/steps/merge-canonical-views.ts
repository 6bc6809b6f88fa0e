// Canonical views for assets whose records changed, and for assets with several links whose presence changed
// (their merge changes): merged in Node, compared by hash, written with their search columns, a snapshot row
// for each new version and a `changed` event with the field changes. Sets counters.changed and
// counters.snapshots (with the new objects' first versions), state.canonViews.
import type { AssetKind } from '@/collector/contract';
import type { IngestContext } from '../context';
import {
  canonicalHash,
  diffNormalized,
  mergeCanonical,
  searchColumns,
  type Canonical,
  type Contribution,
} from '../canonical';
import type { CopyValue } from '../copy';
import { SEARCH_COPY_COLUMNS, searchValues } from '../rows';

type Row = Record<string, unknown>;

export async function mergeCanonicalViews(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, state } = ctx;
  const { items, changed } = state;
  // Canonical view for assets whose records changed, and for assets with several links whose presence
  // changed (their merge changes). Other present links' latest records come from the database; this
  // run's records are already in memory.
  const writtenLinks = new Map(changed.map((c) => [c.link_id, c]));
  const multi = await sql.query<{ asset_uuid: string }>(
    `select distinct p.asset_uuid from _presence p
     where (select count(*) from asset_source_links l where l.asset_uuid = p.asset_uuid) > 1`,
  );
  const affected = new Set<string>([...changed.map((c) => c.asset_uuid), ...multi.map((m) => m.asset_uuid)]);
  const oldIds = [...affected];
  const [others, olds] = await Promise.all([
    affected.size
      ? sql.query<{
          asset_uuid: string;
          source_id: string;
          run_id: string;
          collected_at: Date;
          normalized: Row;
        }>(
          `select l.asset_uuid, l.source_id, s.run_id, s.collected_at, s.normalized
           from asset_source_links l
           join lateral (select run_id, collected_at, normalized from source_records s
                         where s.link_id = l.id order by s.id desc limit 1) s on true
           where l.asset_uuid = any($1::uuid[]) and l.presence = 'present' and not (l.id = any($2::uuid[]))`,
          [[...affected], [...writtenLinks.keys()]],
        )
      : Promise.resolve([]),
    oldIds.length
      ? sql.query<{ uuid: string; kind: AssetKind; canonical: Canonical }>(
          `select uuid, kind, canonical from assets where uuid = any($1::uuid[])`,
          [oldIds],
        )
      : Promise.resolve([]),
  ]);
  const contributions = new Map<string, Contribution[]>();
  const kindOf = new Map<string, AssetKind>();
  const push = (uuid: string, c: Contribution) => {
    const list = contributions.get(uuid);
    if (list) list.push(c);
    else contributions.set(uuid, [c]);
  };
  for (const c of changed) {
    const a = items[c.idx]!.a;
    kindOf.set(c.asset_uuid, a.external_kind);
    push(c.asset_uuid, { sourceId, runId, collectedAt: now, normalized: a.normalized as Row });
  }
  for (const o of others) {
    push(o.asset_uuid, {
      sourceId: o.source_id,
      runId: o.run_id,
      collectedAt: new Date(o.collected_at).toISOString(),
      normalized: o.normalized,
    });
  }
  const oldCanon = new Map(olds.map((o) => [o.uuid, o.canonical]));
  for (const o of olds) kindOf.set(o.uuid, o.kind);
  let snapshots = 0;
  let changedCount = 0;
  const canonRows: CopyValue[][] = [];
  for (const uuid of affected) {
    const list = contributions.get(uuid);
    if (!list?.length) continue; // no present link left: the asset keeps its last known view
    const canon = mergeCanonical(list);
    const old = oldCanon.get(uuid);
    const hash = canonicalHash(canon)!;
    const oldHash = canonicalHash(old);
    const valuesChanged = hash !== oldHash;
    let eventType: string | null = null;
    let eventDetails: string | null = null;
    if (valuesChanged) {
      const changes = diffNormalized(old?.normalized, canon.normalized);
      if (changes.length) {
        changedCount++;
        eventType = 'changed';
        eventDetails = JSON.stringify({ source_id: sourceId, changes });
      }
    }
    if (valuesChanged) snapshots++;
    const cols = searchColumns(kindOf.get(uuid)!, canon.normalized);
    canonRows.push([
      uuid,
      JSON.stringify(canon),
      hash,
      ...searchValues(cols),
      cols.cluster_name,
      valuesChanged,
      oldHash,
      eventType,
      eventDetails,
    ]);
  }
  if (canonRows.length) {
    await sql.copy(
      '_canon',
      [
        ['asset_uuid', 'uuid'],
        ['canonical', 'jsonb'],
        ['hash', 'text'],
        ...SEARCH_COPY_COLUMNS,
        ['cluster_name', 'text'],
        ['snapshot', 'bool'],
        ['old_hash', 'text'],
        ['event_type', 'text'],
        ['event_details', 'jsonb'],
      ],
      canonRows,
    );
    await sql.query(
      // A new version supersedes the current one: the current snapshot row takes its content (every CTE reads
      // the assets as they were before this statement), and the new version gets a row without content.
      `with prev as (
         update asset_snapshots s set canonical = a.canonical, hash = c.old_hash
         from _canon c join assets a on a.uuid = c.asset_uuid
         where c.snapshot and s.asset_uuid = c.asset_uuid and s.canonical is null
       ), upd as (
         update assets a set canonical = c.canonical, name = c.name, hostname = c.hostname,
           serial_number = c.serial_number,
           ip_addresses = c.ip_addresses, mac_addresses = c.mac_addresses,
           power_state = c.power_state,
           -- VMs without a placement cluster keep the one derived from their host below.
           cluster_name = case when a.kind = 'vm' then coalesce(c.cluster_name, a.cluster_name) else c.cluster_name end,
           updated_at = $2
         from _canon c where a.uuid = c.asset_uuid
       ), snap as (
         insert into asset_snapshots (asset_uuid, run_id, created_at)
         select asset_uuid, $1, $2 from _canon where snapshot
       ) insert into asset_events (asset_uuid, run_id, source_id, ts, type, details)
         select asset_uuid, $1, $3, $2, event_type::asset_event_type, event_details from _canon
         where event_type is not null`,
      [runId, now, sourceId],
    );
  }
  state.canonViews = canonRows.length;
  ctx.counters.changed = changedCount;
  ctx.counters.snapshots = snapshots + state.fresh.length;
}
