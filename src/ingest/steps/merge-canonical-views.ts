// Canonical views for assets whose records changed, for assets with several links whose presence changed
// (their merge changes), and for assets this run saw that another source presents too (the winner changes): merged in Node from every present link's latest record, compared by hash, written
// with their search columns, a snapshot row for each new version and a `changed` event with the field
// changes. Read through a cursor a page at a time, so Node holds one page of them whatever their number.
// Sets counters.changed and counters.snapshots (with the new objects' first versions), state.canonViews.
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
import type { CopyColumn, CopyValue } from '../copy';
import { linkLastSeenAt, linkScanJoin } from '../last-seen';
import { SEARCH_COPY_COLUMNS, searchValues } from '../rows';

/** Assets merged per page (each brings its links' normalized objects, a few KB). */
export const CANON_PAGE = 1000;

const CANON_COLUMNS: readonly CopyColumn[] = [
  ['asset_uuid', 'uuid'],
  ['canonical', 'jsonb'],
  ['hash', 'text'],
  ...SEARCH_COPY_COLUMNS,
  ['cluster_name', 'text'],
  ['snapshot', 'bool'],
  ['old_hash', 'text'],
  ['event_type', 'text'],
  ['event_details', 'jsonb'],
];

type Affected = {
  uuid: string;
  kind: AssetKind;
  canonical: Canonical | null;
  contributions:
    | {
        source_id: string;
        run_id: string;
        collected_at: string;
        seen_at: string;
        normalized: Record<string, unknown>;
      }[]
    | null;
};

// Assets this run saw that another source also presents: this run is now their most recently completed
// one, so its values win (mergeCanonical) even where its records did not change.
const SHARED_SEEN = `
  select l.asset_uuid from asset_source_links l
  where l.source_id = $1 and l.presence = 'present'
    and exists (select 1 from asset_source_links o
                where o.asset_uuid = l.asset_uuid and o.source_id <> $1 and o.presence = 'present')`;

export async function mergeCanonicalViews(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, runId, now, state, counters } = ctx;
  const recordsChanged = counters.records_written - counters.new;
  // Nothing to merge without a changed record, a presence change or an asset shared with another source.
  if (!recordsChanged && !counters.missing && !counters.came_back) {
    const shared = await sql.query<{ any: boolean }>(`select exists (${SHARED_SEEN}) as any`, [sourceId]);
    if (!shared[0]?.any) {
      counters.snapshots = counters.new;
      return;
    }
  }
  // A contribution's seen_at: this run for this source's links (its scan is stamped later, stamp-scans),
  // else the link's effective last sighting (src/ingest/last-seen.ts).
  await sql.query(
    `declare _affected no scroll cursor for
     with affected as (
       select asset_uuid from _changed
       union
       select p.asset_uuid from _presence p
       where (select count(*) from asset_source_links l where l.asset_uuid = p.asset_uuid) > 1
       union
       ${SHARED_SEEN}
     )
     select a.uuid, a.kind, a.canonical,
            (select jsonb_agg(jsonb_build_object('source_id', l.source_id, 'run_id', s.run_id,
                                                 'collected_at', s.collected_at, 'normalized', s.normalized,
                                                 'seen_at', case when l.source_id = $1 then $2::timestamptz
                                                                 else ${linkLastSeenAt('l', 'c')} end))
             from asset_source_links l ${linkScanJoin('l', 'c')}
             join lateral (select run_id, collected_at, normalized from source_records s
                           where s.link_id = l.id order by s.id desc limit 1) s on true
             where l.asset_uuid = a.uuid and l.presence = 'present') as contributions
     from affected f join assets a on a.uuid = f.asset_uuid`,
    [sourceId, now],
  );
  let snapshots = 0;
  let changedCount = 0;
  let views = 0;
  for (;;) {
    const page = await sql.query<Affected>(`fetch ${CANON_PAGE} from _affected`);
    const canonRows: CopyValue[][] = [];
    for (const row of page) {
      const list: Contribution[] = (row.contributions ?? []).map((c) => ({
        sourceId: c.source_id,
        runId: c.run_id,
        collectedAt: new Date(c.collected_at).toISOString(),
        seenAt: new Date(c.seen_at).toISOString(),
        normalized: c.normalized,
      }));
      const uuid = row.uuid;
      const old = row.canonical ?? undefined;
      if (!list.length) continue; // no present link left: the asset keeps its last known view
      const canon = mergeCanonical(list);
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
      const cols = searchColumns(row.kind, canon.normalized);
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
    if (canonRows.length) await sql.copy('_canon', CANON_COLUMNS, canonRows);
    views += canonRows.length;
    if (page.length < CANON_PAGE) break;
  }
  await sql.query('close _affected');
  if (views)
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
  state.canonViews = views;
  counters.changed = changedCount;
  counters.snapshots = snapshots + counters.new;
}
