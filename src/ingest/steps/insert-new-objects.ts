// New objects: those whose (kind, external id) this source has never reported get an asset, a link, their
// first record, a snapshot row and a `created` event, each table filled by one INSERT … SELECT from the
// staged rows (`_new` holds the ids PostgreSQL minted for them). Their canonical view is their own record
// (one source), built around the staged normalized object; a new VM whose host is already known takes its
// host's name and cluster here, not in a second write of the row. Adds to counters.new.
//
// Most of a first run's objects are created earlier, while the stream still arrives (./create-early.ts);
// this step creates the rest. Each call is one batch of `_new`.
import type { IngestContext } from '../context';

export async function insertNewObjects(ctx: IngestContext): Promise<void> {
  // Every object was known by its moref: nothing to create (links are never deleted, and map-known-links
  // fails the run should one have lost its moref to another run meanwhile).
  if (!ctx.state.stagedUnknown) return;
  await createNewBatch(ctx, ctx.state.newBatches++, null);
}

/**
 * Creates batch `batch` of new objects: every staged one without a link, or with `early`, those of staged
 * rows [from, to) that stage-stream marked surely new (their evidence is written right after, so `_new`
 * records that it is). Returns how many.
 */
export async function createNewBatch(
  ctx: IngestContext,
  batch: number,
  early: [number, number] | null,
  evidence = false,
): Promise<number> {
  const { sql, sourceId, runId, now } = ctx;
  // A key repeated within an early batch: its last occurrence (the stream's repeats are removed only once
  // it has ended; an earlier batch's object of a repeated key is taken back then). After the stream there
  // are no repeats left, and sorting 10,000 rows with their parsed records to find none cost ~30 ms.
  const lastOccurrence = early
    ? { select: 'distinct on (i.kind, i.external_id)', order: 'order by i.kind, i.external_id, i.idx desc' }
    : { select: '', order: '' };
  const [n] = await sql.query<{ n: number }>(
    `with ins as (
       insert into _new (idx, batch, uuid, link_id, evidence)
       select ${lastOccurrence.select}
              i.idx, $2, gen_random_uuid(), gen_random_uuid(), $5 from _in_asset i
       where ($3::int is null or (i.early and i.idx >= $3 and i.idx < $4))
         and not exists (select 1 from asset_source_links l
                         where l.source_id = $1 and l.external_kind = i.kind and l.external_id = i.external_id)
       ${lastOccurrence.order}
       returning 1
     ) select count(*)::int as n from ins`,
    [sourceId, batch, early?.[0] ?? null, early?.[1] ?? null, evidence],
  );
  ctx.counters.new += n!.n;
  if (!n!.n) return 0;
  await sql.query('analyze _new (idx, batch, uuid)');
  // `{"normalized": …, "sources": [this run], "provenance": {}}`, as mergeCanonical makes it for one source.
  const sources = JSON.stringify([{ source_id: sourceId, run_id: runId, collected_at: now }]);
  await sql.query(
    `insert into assets (uuid, kind, status, canonical, name, hostname, serial_number, ip_addresses, mac_addresses,
                         power_state, cluster_name, host_name, created_at, updated_at, last_seen_at)
     select n.uuid, i.kind, 'active',
            jsonb_build_object('normalized', i.normalized, 'sources', $2::jsonb, 'provenance', '{}'::jsonb),
            i.name, i.hostname, i.serial_number, i.ip_addresses, i.mac_addresses, i.power_state,
            coalesce(i.cluster_name, h.cluster_name), h.name, $3, $3, $3
     from _new n join _in_asset i using (idx)
     -- the VM's first runs_on target among this source's objects known before this run
     left join lateral (
       select a.name, a.cluster_name from _in_rel r
       join asset_source_links l on l.source_id = $1 and l.external_kind = r.to_kind and l.external_id = r.to_id
       join assets a on a.uuid = l.asset_uuid
       where r.type = 'runs_on' and r.from_kind = i.kind and r.from_id = i.external_id
       order by r.idx limit 1
     ) h on i.kind = 'vm'
     where n.batch = $4`,
    [sourceId, sources, now, batch],
  );
  await sql.query(
    `insert into asset_source_links (id, asset_uuid, source_id, external_kind, external_id, identity_key, presence,
                                     first_seen_at, last_seen_at, last_seen_run_id)
     select n.link_id, n.uuid, $1, i.kind, i.external_id, i.identity_key, 'present', $3, $3, $2
     from _new n join _in_asset i using (idx) where n.batch = $4`,
    [sourceId, runId, now, batch],
  );
  await sql.query(
    `insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, raw, hash,
                                 last_seen_run_id, last_seen_at)
     select n.link_id, n.uuid, $1, $2, $3, i.normalized, i.raw, i.hash, $2, $3
     from _new n join _in_asset i using (idx) where n.batch = $4`,
    [sourceId, runId, now, batch],
  );
  // The first version's snapshot row; its content is the asset's canonical until a newer version replaces it.
  await sql.query(
    `with snap as (
       insert into asset_snapshots (asset_uuid, run_id, created_at) select uuid, $2, $3 from _new where batch = $4
     ) insert into asset_events (asset_uuid, run_id, source_id, ts, type, details)
       select n.uuid, $2, $1::uuid, $3, 'created', jsonb_build_object('source_id', $1::uuid, 'kind', i.kind)
       from _new n join _in_asset i using (idx) where n.batch = $4`,
    [sourceId, runId, now, batch],
  );
  return n!.n;
}
