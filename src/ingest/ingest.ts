// Ingest of one collect run (DESIGN §8). Runs inside the caller's transaction on one connection, so the
// worker can mark the run succeeded in the same commit: a crash leaves nothing behind. Every step is
// set-based, so the number of round trips does not grow with the number of assets: objects the source
// never reported before are COPYed straight into their tables, the others go through temporary tables
// filled with COPY. Changed records are sent twice (hash first, then body).
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  MODE_KINDS,
  MODE_RELATIONS,
  type AssetKind,
  type CollectorAsset,
  type CollectorRelation,
  type RunMode,
} from '@/collector/contract';
import {
  canonicalHash,
  diffNormalized,
  identityKey,
  mergeCanonical,
  searchColumns,
  singleSourceCanonicalJson,
  type Canonical,
  type Contribution,
  type SearchColumns,
} from './canonical';
import { copyRows, type CopyColumn, type CopyValue } from './copy';
import {
  linkLastSeenAt,
  linkLastSeenRunId,
  linkScanJoin,
  relationLastSeenAt,
  relationLastSeenRunId,
  relationScanJoin,
} from './last-seen';

export interface IngestInput {
  runId: string;
  sourceId: string;
  mode: RunMode;
  collectedAt: Date;
  assets: CollectorAsset[];
  relations: CollectorRelation[];
  /** Presence and relation lifecycle are recorded only for a complete inventory. */
  inventoryComplete: boolean;
}

export interface IngestWarning {
  code: string;
  message: string;
  count?: number;
}

export interface IngestStats {
  assets: number;
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  came_back: number;
  reattached: number;
  offline: number;
  records_written: number;
  snapshots: number;
  relations: number;
  relations_inactive: number;
  relations_unresolved: number;
  duplicates: number;
  round_trips: number;
}

export interface IngestResult {
  stats: IngestStats;
  warnings: IngestWarning[];
  /** Wall time per step (for the benchmark and slow-run diagnosis). */
  timings: { step: string; ms: number }[];
}

// Placement relations: a change of target is a history event on the child (VM moved host, host moved cluster).
const PLACEMENT_RELATIONS = ['runs_on', 'member_of'];

// Planner statistics of the shared tables the run joins against. When the planner believes a table holds
// far fewer rows than the run brings (a first run, a source that grew), it estimates "a few rows" and joins
// against 10,000 run objects become nested loops over thousands of rows (seconds instead of milliseconds);
// autovacuum cannot help, the rows are only just committed. So such a table is analyzed first (one
// statement whatever the run's size; a steady estate analyzes nothing). JIT costs more than it saves here.
// The run's temporary tables are analyzed from a small sample (statistics target 10 instead of 100, 3,000
// rows instead of 30,000): their joins are on unique keys and need row counts, not detailed histograms.
function plannerSetup(assets: number, relations: number): string {
  return `
set local jit = off;
do $$
begin
  if (select reltuples from pg_class where oid = 'asset_source_links'::regclass) < ${Math.floor(assets / 2)} then
    analyze asset_source_links (source_id, external_kind, external_id, asset_uuid, presence);
  end if;
  if (select reltuples from pg_class where oid = 'relations'::regclass) < ${Math.floor(relations / 2)} then
    analyze relations (source_id, type, from_asset_uuid, to_asset_uuid, status);
  end if;
end $$;
set local default_statistics_target = 10;`;
}

// The run's working tables, created once per connection and emptied at every commit (ON COMMIT DELETE ROWS
// only truncates in transactions that used them). Creating ten temporary tables in every run took ~40 ms of
// catalog writes, more than most of an unchanged run's statements.
const TEMP_TABLES = `
do $$
begin
  if to_regclass('pg_temp._rel_old') is null then
    create temp table _in_asset (idx int primary key, kind asset_kind not null, external_id text not null,
      identity_key text) on commit delete rows;
    create temp table _in_hash (idx int primary key, hash text not null) on commit delete rows;
    create temp table _new (idx int primary key) on commit delete rows;
    create temp table _map (idx int primary key, link_id uuid not null, asset_uuid uuid not null, is_new boolean not null,
      was_missing boolean not null, rec_id bigint, rec_hash text, prev_seen_at timestamptz, prev_seen_run uuid)
      on commit delete rows;
    create index on _map (link_id);
    create temp table _in_rec (idx int primary key, normalized jsonb not null, raw text) on commit delete rows;
    create temp table _presence (link_id uuid not null, asset_uuid uuid not null, change text not null,
      external_kind asset_kind not null, external_id text not null) on commit delete rows;
    create temp table _canon (asset_uuid uuid primary key, canonical jsonb not null, hash text not null, name text,
      hostname text, serial_number text, ip_addresses text[] not null, mac_addresses text[] not null, power_state text,
      cluster_name text, snapshot boolean not null, old_hash text, event_type text, event_details jsonb) on commit delete rows;
    create temp table _in_rel (type relation_type not null, from_kind asset_kind not null, from_id text not null,
      to_kind asset_kind not null, to_id text not null, raw jsonb) on commit delete rows;
    create index on _in_rel (from_kind, from_id) where type = 'runs_on';
    create temp table _rel (type relation_type not null, from_uuid uuid not null, to_uuid uuid not null, raw jsonb,
      primary key (type, from_uuid, to_uuid)) on commit delete rows;
    create temp table _rel_old (type relation_type not null, from_uuid uuid not null, to_uuid uuid not null) on commit delete rows;
  end if;
end $$;`;

type Row = Record<string, unknown>;

// The search columns on `assets` that new assets and changed canonical views both write, in this order.
const SEARCH_COPY_COLUMNS: readonly CopyColumn[] = [
  ['name', 'text'],
  ['hostname', 'text'],
  ['serial_number', 'text'],
  ['ip_addresses', 'text[]'],
  ['mac_addresses', 'text[]'],
  ['power_state', 'text'],
];
const searchValues = (c: SearchColumns): CopyValue[] => [
  c.name,
  c.hostname,
  c.serial_number,
  c.ip_addresses,
  c.mac_addresses,
  c.power_state,
];

/**
 * The texts a record stores and their hash: SHA-256 of JSON.stringify([normalized, raw ?? null]), as records
 * have always been hashed, fed in parts (raw payloads are several KB). Computed where the record is written
 * and dropped right after: 10,000 raw texts kept for the whole ingest (≈45 MB) would survive into the old
 * generation, and copying them there cost more garbage collection than serializing them.
 */
export function recordTexts(
  a: CollectorAsset,
  normalizedJson = JSON.stringify(a.normalized),
): { normalizedJson: string; rawJson: string | null; hash: string } {
  const rawJson = a.raw_payload === undefined ? null : JSON.stringify(a.raw_payload);
  const hash = createHash('sha256')
    .update('[')
    .update(normalizedJson)
    .update(',')
    .update(rawJson ?? 'null')
    .update(']')
    .digest('hex');
  return { normalizedJson, rawJson, hash };
}

/**
 * The record hashes of `assets`, computed on the main thread in slices with a turn of the event loop between
 * them, so that the answers to statements sent meanwhile are read without waiting for all of it.
 */
async function hashInSlices(assets: readonly CollectorAsset[]): Promise<string[]> {
  const hashes: string[] = [];
  while (hashes.length < assets.length) {
    const end = Math.min(assets.length, hashes.length + 64);
    for (let i = hashes.length; i < end; i++) hashes.push(recordTexts(assets[i]!).hash);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return hashes;
}

/** The key of an object within one source and run: its kind and moref. */
const endpointKey = (kind: string, id: string): string => `${kind}\u0000${id}`;

export async function ingestRun(client: pg.PoolClient, input: IngestInput): Promise<IngestResult> {
  let roundTrips = 0;
  const timings: { step: string; ms: number }[] = [];
  const timed = async <R>(step: string, fn: () => Promise<R>): Promise<R> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings.push({ step, ms: Math.round(performance.now() - t0) });
    }
  };
  const q = async <T extends Row = Row>(text: string, values?: unknown[]): Promise<T[]> => {
    roundTrips++;
    return timed(
      text.replace(/\s+/g, ' ').trim().slice(0, 60),
      async () => (await client.query(text, values)).rows as T[],
    );
  };
  const copy = async (table: string, cols: readonly CopyColumn[], rows: Iterable<readonly CopyValue[]>) => {
    roundTrips++;
    await timed(`copy ${table}`, () => copyRows(client, table, cols, rows));
  };
  const { runId, sourceId, mode } = input;
  const now = input.collectedAt.toISOString();
  const kinds = MODE_KINDS[mode] as readonly AssetKind[];
  const relTypes = MODE_RELATIONS[mode] as readonly string[];
  const warnings: IngestWarning[] = [];

  // Only the mode's kinds, each (kind, external_id) once: a duplicate would make two writes of one row.
  // The record texts and hashes are not computed here but where they are written (see recordTexts).
  const byKey = new Map<string, number>();
  const items: { a: CollectorAsset; identity: string | null }[] = [];
  let duplicates = 0;
  let foreignKinds = 0;
  for (const a of input.assets) {
    if (!kinds.includes(a.external_kind)) {
      foreignKinds++;
      continue;
    }
    const key = endpointKey(a.external_kind, a.external_id);
    const item = { a, identity: identityKey(a.external_kind, a.normalized as Row) };
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

  // Runs of one source ingest one at a time (a hosts run and a VMs run touch the same relations and assets).
  await q(`select pg_advisory_xact_lock(hashtext('asset-ledger:ingest:' || $1::text))`, [sourceId]);
  await q(plannerSetup(items.length, input.relations.length) + TEMP_TABLES);
  await copy(
    '_in_asset',
    [
      ['idx', 'int4'],
      ['kind', 'text'],
      ['external_id', 'text'],
      ['identity_key', 'text'],
    ],
    items.map((it, i) => [i, it.a.external_kind, it.a.external_id, it.identity]),
  );
  await q('analyze _in_asset');
  // Re-attach: an unknown moref whose identity key belongs to a link of this source that is not in this
  // run takes over that link (and so its asset). Each side is matched at most once.
  const reattached = await q<{ n: number }>(
    `with cand as (
       select distinct on (i.idx) i.idx, i.external_id, l.id as link_id
       from _in_asset i
       join asset_source_links l
         on l.source_id = $1 and l.external_kind = i.kind and l.identity_key = i.identity_key
       ${linkScanJoin('l', 'c')}
       where i.identity_key is not null
         and not exists (select 1 from asset_source_links x
                         where x.source_id = $1 and x.external_kind = i.kind and x.external_id = i.external_id)
         and not exists (select 1 from _in_asset y where y.kind = l.external_kind and y.external_id = l.external_id)
       order by i.idx, ${linkLastSeenAt('l', 'c')} desc
     ), pick as (
       select distinct on (link_id) link_id, external_id from cand order by link_id, idx
     ), upd as (
       update asset_source_links l set external_id = p.external_id from pick p where l.id = p.link_id returning 1
     ) select count(*)::int as n from upd`,
    [sourceId],
  );

  // New objects go straight into their tables with COPY (asset, link, record, snapshot, `created` event):
  // Node mints their ids, so nothing has to be read back, and COPY writes whole pages at a time. Their
  // canonical view is their own record (one link), built here as text around the record's JSON.
  const newRows = await q<{ idx: number }>(
    `select i.idx from _in_asset i
     where not exists (select 1 from asset_source_links l
                       where l.source_id = $1 and l.external_kind = i.kind and l.external_id = i.external_id)
     order by i.idx`,
    [sourceId],
  );
  const fresh = newRows.map(({ idx }) => ({
    idx,
    it: items[idx]!,
    uuid: randomUUID(),
    linkId: randomUUID(),
    // set by the assets copy, used and released by the records copy
    normalizedJson: null as string | null,
  }));
  // endpoint key → the asset uuid minted for it
  const newByKey = new Map<string, string>(
    fresh.map((f) => [endpointKey(f.it.a.external_kind, f.it.a.external_id), f.uuid]),
  );

  // A relation with a new endpoint cannot exist yet: it is inserted directly once both endpoints are known.
  // The other endpoint is either new too or an existing link of this source, looked up here in one query
  // (with its name and cluster: a new VM takes its host's at insert, not in a second write of the row).
  const rels: CollectorRelation[] = [];
  const direct: { r: CollectorRelation; fromKey: string; toKey: string }[] = [];
  const wanted = new Map<string, CollectorRelation['from']>();
  for (const r of input.relations) {
    if (!relTypes.includes(r.type)) continue;
    const fromKey = endpointKey(r.from.external_kind, r.from.external_id);
    const toKey = endpointKey(r.to.external_kind, r.to.external_id);
    const fromNew = newByKey.has(fromKey);
    const toNew = newByKey.has(toKey);
    if (!fromNew && !toNew) {
      rels.push(r);
      continue;
    }
    direct.push({ r, fromKey, toKey });
    if (!fromNew) wanted.set(fromKey, r.from);
    if (!toNew) wanted.set(toKey, r.to);
  }
  const known = new Map<string, { uuid: string; name: string | null; cluster: string | null }>();
  if (wanted.size) {
    const found = await q<{
      kind: AssetKind;
      id: string;
      uuid: string;
      name: string | null;
      cluster: string | null;
    }>(
      `select l.external_kind as kind, l.external_id as id, l.asset_uuid as uuid, a.name, a.cluster_name as cluster
       from unnest($2::asset_kind[], $3::text[]) w(kind, id)
       join asset_source_links l on l.source_id = $1 and l.external_kind = w.kind and l.external_id = w.id
       join assets a on a.uuid = l.asset_uuid`,
      [
        sourceId,
        [...wanted.values()].map((e) => e.external_kind),
        [...wanted.values()].map((e) => e.external_id),
      ],
    );
    for (const f of found) known.set(endpointKey(f.kind, f.id), f);
  }
  const directRows: { type: string; from: string; to: string; raw: string | null }[] = [];
  const directSeen = new Set<string>();
  // A new VM's host (its runs_on target) gives the VM its host name, and its cluster when it names none.
  const hostOfNewVm = new Map<string, { name: string | null; cluster: string | null }>();
  for (const { r, fromKey, toKey } of direct) {
    const from = newByKey.get(fromKey) ?? known.get(fromKey)?.uuid;
    const to = newByKey.get(toKey) ?? known.get(toKey)?.uuid;
    // an endpoint that resolves nowhere goes the general way, which counts it unresolved
    if (!from || !to) {
      rels.push(r);
      continue;
    }
    const host = r.type === 'runs_on' && r.from.external_kind === 'vm' ? known.get(toKey) : undefined;
    if (host && !hostOfNewVm.has(r.from.external_id)) hostOfNewVm.set(r.from.external_id, host);
    const edge = `${r.type} ${from} ${to}`;
    if (directSeen.has(edge)) continue;
    directSeen.add(edge);
    directRows.push({
      type: r.type,
      from,
      to,
      raw: r.raw_payload === undefined ? null : JSON.stringify(r.raw_payload),
    });
  }

  if (rels.length) {
    await copy(
      '_in_rel',
      [
        ['type', 'text'],
        ['from_kind', 'text'],
        ['from_id', 'text'],
        ['to_kind', 'text'],
        ['to_id', 'text'],
        ['raw', 'jsonb'],
      ],
      rels.map((r) => [
        r.type,
        r.from.external_kind,
        r.from.external_id,
        r.to.external_kind,
        r.to.external_id,
        r.raw_payload === undefined ? null : JSON.stringify(r.raw_payload),
      ]),
    );
    await q('analyze _in_rel');
  }

  if (fresh.length) {
    const source = { source_id: sourceId, run_id: runId, collected_at: now };
    await copy(
      'assets',
      [
        ['uuid', 'uuid'],
        ['kind', 'text'],
        ['status', 'text'],
        ['canonical', 'jsonb'],
        ...SEARCH_COPY_COLUMNS,
        ['cluster_name', 'text'],
        ['host_name', 'text'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
        ['last_seen_at', 'timestamptz'],
      ],
      (function* () {
        for (const f of fresh) {
          const a = f.it.a;
          const cols = searchColumns(a.external_kind, a.normalized as Row);
          f.normalizedJson = JSON.stringify(a.normalized);
          const host = a.external_kind === 'vm' ? hostOfNewVm.get(a.external_id) : undefined;
          yield [
            f.uuid,
            a.external_kind,
            'active',
            singleSourceCanonicalJson(f.normalizedJson, source),
            ...searchValues(cols),
            cols.cluster_name ?? host?.cluster ?? null,
            host?.name ?? null,
            now,
            now,
            now,
          ];
        }
      })(),
    );
    await copy(
      'asset_source_links',
      [
        ['id', 'uuid'],
        ['asset_uuid', 'uuid'],
        ['source_id', 'uuid'],
        ['external_kind', 'text'],
        ['external_id', 'text'],
        ['identity_key', 'text'],
        ['presence', 'text'],
        ['first_seen_at', 'timestamptz'],
        ['last_seen_at', 'timestamptz'],
        ['last_seen_run_id', 'uuid'],
      ],
      fresh.map((f) => [
        f.linkId,
        f.uuid,
        sourceId,
        f.it.a.external_kind,
        f.it.a.external_id,
        f.it.identity,
        'present',
        now,
        now,
        runId,
      ]),
    );
    await copy(
      'source_records',
      [
        ['link_id', 'uuid'],
        ['asset_uuid', 'uuid'],
        ['source_id', 'uuid'],
        ['run_id', 'uuid'],
        ['collected_at', 'timestamptz'],
        ['normalized', 'jsonb'],
        ['raw', 'text'],
        ['hash', 'text'],
        ['last_seen_run_id', 'uuid'],
        ['last_seen_at', 'timestamptz'],
      ],
      (function* () {
        for (const f of fresh) {
          const t = recordTexts(f.it.a, f.normalizedJson!);
          f.normalizedJson = null;
          yield [f.linkId, f.uuid, sourceId, runId, now, t.normalizedJson, t.rawJson, t.hash, runId, now];
        }
      })(),
    );
    // The first version's snapshot row; its content is the asset's canonical until a newer version replaces it.
    await copy(
      'asset_snapshots',
      [
        ['asset_uuid', 'uuid'],
        ['run_id', 'uuid'],
        ['created_at', 'timestamptz'],
      ],
      fresh.map((f) => [f.uuid, runId, now]),
    );
    await copy(
      'asset_events',
      [
        ['asset_uuid', 'uuid'],
        ['run_id', 'uuid'],
        ['source_id', 'uuid'],
        ['ts', 'timestamptz'],
        ['type', 'text'],
        ['details', 'jsonb'],
      ],
      fresh.map((f) => [
        f.uuid,
        runId,
        sourceId,
        now,
        'created',
        JSON.stringify({ source_id: sourceId, kind: f.it.a.external_kind }),
      ]),
    );
    await copy(
      '_new',
      [['idx', 'int4']],
      fresh.map((f) => [f.idx]),
    );
  }

  // The hashes of the objects that already have a record are computed while PostgreSQL works through the
  // statements below that do not need them (presence, relations): on an unchanged estate hashing is most of
  // Node's work, and PostgreSQL would otherwise wait for it.
  const freshIdx = new Set(fresh.map((f) => f.idx));
  const recorded = items.flatMap((_, i) => (freshIdx.has(i) ? [] : [i]));
  const hashing = hashInSlices(recorded.map((i) => items[i]!.a));
  hashing.catch(() => undefined); // awaited below; an earlier failure must not leave it unhandled

  // Every object of the run mapped to its link, with the link's latest record for the hash comparison and
  // the link's last seen before this run (a record this run supersedes was last seen then). A link created
  // by this run has only the record just written: nothing to compare, so no lookup (is_new rows never use it).
  await q(
    `insert into _map (idx, link_id, asset_uuid, is_new, was_missing, rec_id, rec_hash, prev_seen_at, prev_seen_run)
     select i.idx, l.id, l.asset_uuid, n.idx is not null, l.presence = 'missing', r.id, r.hash,
            ${linkLastSeenAt('l', 'c')}, ${linkLastSeenRunId('l', 'c')}
     from _in_asset i
     join asset_source_links l on l.source_id = $1 and l.external_kind = i.kind and l.external_id = i.external_id
     ${linkScanJoin('l', 'c')}
     left join _new n on n.idx = i.idx
     left join lateral (select s.id, s.hash from source_records s where n.idx is null and s.link_id = l.id
                        order by s.id desc limit 1) r on true`,
    [sourceId],
  );
  await q('analyze _map');

  // Seen: links present again, assets active again; came-back links remembered for their events. A complete
  // run stamps only rows whose state changes — the others are seen through source_scans (./last-seen.ts);
  // an incomplete run cannot be recorded there, so it stamps every row it saw.
  await q(
    `with back as (
       insert into _presence (link_id, asset_uuid, change, external_kind, external_id)
       select m.link_id, m.asset_uuid, 'came_back', i.kind, i.external_id
       from _map m join _in_asset i using (idx) where m.was_missing
     ), links as (
       update asset_source_links l
       set last_seen_at = $2, last_seen_run_id = $1, presence = 'present', missing_since = null,
           identity_key = coalesce(i.identity_key, l.identity_key)
       from _map m join _in_asset i using (idx) where l.id = m.link_id and not m.is_new
         and (m.was_missing or not $3::boolean or (i.identity_key is not null and i.identity_key is distinct from l.identity_key))
     ) update assets a set last_seen_at = $2, status = 'active'
       from _map m where a.uuid = m.asset_uuid and not m.is_new and (a.status <> 'active' or not $3::boolean)`,
    [runId, now, input.inventoryComplete],
  );

  // Presence, after a complete run only and only for the kinds this mode returns.
  let missing = 0;
  let offline = 0;
  if (input.inventoryComplete && kinds.length) {
    const [p] = await q<{ missing: number; offline: number }>(
      // A link that goes missing keeps its last seen (the previous scan's, see ./last-seen.ts) as its own
      // stamp, and so does its asset; the asset goes offline when no present link is left.
      `with gone as (
         update asset_source_links l set presence = 'missing', missing_since = $2,
           last_seen_at = x.seen_at, last_seen_run_id = x.seen_run
         from (select l0.id, ${linkLastSeenAt('l0', 'c')} as seen_at, ${linkLastSeenRunId('l0', 'c')} as seen_run
               from asset_source_links l0 ${linkScanJoin('l0', 'c')}
               where l0.source_id = $1 and l0.external_kind = any($3::asset_kind[]) and l0.presence = 'present'
                 and not exists (select 1 from _map m where m.link_id = l0.id)) x
         where l.id = x.id
         returning l.id, l.asset_uuid, l.external_kind, l.external_id, l.last_seen_at
       ), ins as (
         insert into _presence (link_id, asset_uuid, change, external_kind, external_id)
         select id, asset_uuid, 'went_missing', external_kind, external_id from gone
       ), g as (
         select g.asset_uuid, max(g.last_seen_at) as seen_at,
                bool_or(a0.status = 'active' and not exists (
                  select 1 from asset_source_links l2 where l2.asset_uuid = g.asset_uuid and l2.presence = 'present'
                    and l2.id not in (select id from gone))) as go_offline
         from gone g join assets a0 on a0.uuid = g.asset_uuid group by g.asset_uuid
       ), upd as (
         update assets a set last_seen_at = greatest(a.last_seen_at, g.seen_at),
           status = case when g.go_offline then 'offline'::asset_status else a.status end,
           updated_at = case when g.go_offline then $2 else a.updated_at end
         from g where a.uuid = g.asset_uuid
         returning g.go_offline
       ) select (select count(*)::int from gone) as missing,
                (select count(*)::int from upd where go_offline) as offline`,
      [sourceId, now, `{${kinds.join(',')}}`],
    );
    missing = p!.missing;
    offline = p!.offline;
  }
  await q(
    `insert into asset_events (asset_uuid, run_id, source_id, ts, type, details)
     select asset_uuid, $1, $2, $3, change::asset_event_type,
            jsonb_build_object('link_id', link_id, 'external_kind', external_kind, 'external_id', external_id)
     from _presence`,
    [runId, sourceId, now],
  );

  // Relations: endpoints resolve against this source's links, which already include this run's objects —
  // one join for all of them (the run first, then what earlier runs of other modes created). Relations
  // with a new endpoint were resolved above and are inserted after the previous state is read.
  let relationsResolved = 0;
  let unresolved = 0;
  let inactive = 0;
  let relationsChanged = 0;
  let relationsAdded = 0;
  let knownEdgesChanged = 0; // edges between objects both known before this run, added or deactivated
  const relationsStepRan =
    rels.length > 0 || directRows.length > 0 || (input.inventoryComplete && relTypes.length > 0);
  if (relationsStepRan) {
    const [res] = await q<{ resolved: number; unresolved: number }>(
      `with j as materialized (
         select r.type, lf.asset_uuid as from_uuid, lt.asset_uuid as to_uuid, r.raw
         from _in_rel r
         left join asset_source_links lf
           on lf.source_id = $1 and lf.external_kind = r.from_kind and lf.external_id = r.from_id
         left join asset_source_links lt
           on lt.source_id = $1 and lt.external_kind = r.to_kind and lt.external_id = r.to_id
       ), resolved as (
         insert into _rel (type, from_uuid, to_uuid, raw)
         select distinct on (type, from_uuid, to_uuid) type, from_uuid, to_uuid, raw
         from j where from_uuid is not null and to_uuid is not null
         order by type, from_uuid, to_uuid
         returning 1
       ), old as (
         insert into _rel_old (type, from_uuid, to_uuid)
         select type, from_asset_uuid, to_asset_uuid from relations
         where source_id = $1 and status = 'active' and type::text = any($2::text[])
       ) select (select count(*)::int from resolved) as resolved,
                (select count(*)::int from j where from_uuid is null or to_uuid is null) as unresolved`,
      [sourceId, relTypes],
    );
    relationsResolved = res!.resolved + directRows.length;
    unresolved = res!.unresolved;
    await q('analyze _rel');
    if (directRows.length)
      await copy(
        'relations',
        [
          ['id', 'uuid'],
          ['type', 'text'],
          ['from_asset_uuid', 'uuid'],
          ['to_asset_uuid', 'uuid'],
          ['source_id', 'uuid'],
          ['status', 'text'],
          ['first_seen_at', 'timestamptz'],
          ['last_seen_at', 'timestamptz'],
          ['last_seen_run_id', 'uuid'],
          ['raw_payload', 'jsonb'],
        ],
        directRows.map((r) => [
          randomUUID(),
          r.type,
          r.from,
          r.to,
          sourceId,
          'active',
          now,
          now,
          runId,
          r.raw,
        ]),
      );
    const [lc] = await q<{ inactive: number; added: number }>(
      // An update join for the known edges and an insert for the new ones: about twice as fast as an upsert.
      // Known edges are updated only when their state or payload changes (or the run is incomplete): an
      // active edge seen again is seen through source_scans. An edge that goes inactive keeps the previous
      // scan's last seen as its own stamp.
      `with seen as (
         update relations r set status = 'active', last_seen_at = $3, last_seen_run_id = $2, inactive_since = null,
           raw_payload = x.raw
         from _rel x
         where r.source_id = $1 and r.type = x.type and r.from_asset_uuid = x.from_uuid and r.to_asset_uuid = x.to_uuid
           and (r.status <> 'active' or r.raw_payload is distinct from x.raw or not $4::boolean)
       ), ins as (
         insert into relations (type, from_asset_uuid, to_asset_uuid, source_id, status, first_seen_at, last_seen_at,
                                last_seen_run_id, inactive_since, raw_payload)
         select x.type, x.from_uuid, x.to_uuid, $1, 'active', $3, $3, $2, null, x.raw from _rel x
         -- No ON CONFLICT (its speculative insertion costs per row): _rel holds each edge once and the
         -- source's ingest lock keeps every other writer of this source's relations out.
         where not exists (select 1 from relations r where r.source_id = $1 and r.type = x.type
                             and r.from_asset_uuid = x.from_uuid and r.to_asset_uuid = x.to_uuid)
       ), gone as (
         update relations r set status = 'inactive', inactive_since = $3,
           last_seen_at = ${relationLastSeenAt('r0', 'c')}, last_seen_run_id = ${relationLastSeenRunId('r0', 'c')}
         from relations r0 ${relationScanJoin('r0', 'c')}
         where r0.id = r.id and $4::boolean and r.source_id = $1 and r.status = 'active' and r.type::text = any($5::text[])
           and r.last_seen_run_id is distinct from $2 -- inserted by this run above
           and not exists (select 1 from _rel x where x.type = r.type and x.from_uuid = r.from_asset_uuid
                                                 and x.to_uuid = r.to_asset_uuid)
         returning 1
       ) select (select count(*)::int from gone) as inactive,
                (select count(*)::int from _rel x where not exists (
                   select 1 from _rel_old o where o.type = x.type and o.from_uuid = x.from_uuid and o.to_uuid = x.to_uuid)
                ) as added`,
      [sourceId, runId, now, input.inventoryComplete, relTypes],
    );
    inactive = lc!.inactive;
    relationsAdded = lc!.added + directRows.length;
    relationsChanged = lc!.inactive + relationsAdded;
    knownEdgesChanged = lc!.inactive + lc!.added;
  }

  await copy(
    '_in_hash',
    [
      ['idx', 'int4'],
      ['hash', 'text'],
    ],
    (await hashing).map((hash, n) => [recorded[n]!, hash]),
  );

  // Which known objects need a new record: those whose hash changed (new ones have theirs already).
  const changed = await q<{ idx: number; link_id: string; asset_uuid: string }>(
    `select m.idx, m.link_id, m.asset_uuid from _map m join _in_hash h using (idx)
     where m.rec_hash is distinct from h.hash order by m.idx`,
  );
  await copy(
    '_in_rec',
    [
      ['idx', 'int4'],
      ['normalized', 'jsonb'],
      ['raw', 'text'],
    ],
    (function* () {
      for (const c of changed) {
        const t = recordTexts(items[c.idx]!.a);
        yield [c.idx, t.normalizedJson, t.rawJson];
      }
    })(),
  );
  await q(
    `with ins as (
       insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, raw, hash,
                                   last_seen_run_id, last_seen_at)
       select m.link_id, m.asset_uuid, $1, $2, $3, r.normalized, r.raw, h.hash, $2, $3
       from _in_rec r join _map m using (idx) join _in_hash h using (idx)
     ), superseded as (
       -- the link's previous record was last seen when the link was, before this run
       update source_records s set last_seen_at = m.prev_seen_at, last_seen_run_id = m.prev_seen_run
       from _map m join _in_hash h using (idx)
       where s.id = m.rec_id and m.rec_hash is distinct from h.hash
         and m.prev_seen_at > s.last_seen_at
     ) update source_records s set last_seen_run_id = $2, last_seen_at = $3
       from _map m join _in_hash h using (idx)
       where not $4::boolean and s.id = m.rec_id and m.rec_hash = h.hash`,
    [sourceId, runId, now, input.inventoryComplete],
  );

  // Canonical view for assets whose records changed, and for assets with several links whose presence
  // changed (their merge changes). Other present links' latest records come from the database; this
  // run's records are already in memory.
  const writtenLinks = new Map(changed.map((c) => [c.link_id, c]));
  const multi = await q<{ asset_uuid: string }>(
    `select distinct p.asset_uuid from _presence p
     where (select count(*) from asset_source_links l where l.asset_uuid = p.asset_uuid) > 1`,
  );
  const affected = new Set<string>([...changed.map((c) => c.asset_uuid), ...multi.map((m) => m.asset_uuid)]);
  const oldIds = [...affected];
  const [others, olds] = await Promise.all([
    affected.size
      ? q<{ asset_uuid: string; source_id: string; run_id: string; collected_at: Date; normalized: Row }>(
          `select l.asset_uuid, l.source_id, s.run_id, s.collected_at, s.normalized
           from asset_source_links l
           join lateral (select run_id, collected_at, normalized from source_records s
                         where s.link_id = l.id order by s.id desc limit 1) s on true
           where l.asset_uuid = any($1::uuid[]) and l.presence = 'present' and not (l.id = any($2::uuid[]))`,
          [[...affected], [...writtenLinks.keys()]],
        )
      : Promise.resolve([]),
    oldIds.length
      ? q<{ uuid: string; kind: AssetKind; canonical: Canonical }>(
          `select uuid, kind, canonical from assets where uuid = any($1::uuid[])`,
          [oldIds],
        )
      : Promise.resolve([]),
  ]);
  roundTrips += 0; // the two queries above are already counted by q()
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
    await copy(
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
    await q(
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

  // Moved: the set of targets of a placement relation changed for a child (not for a just-created one).
  // Without an added or deactivated edge of an existing child no target set changed. After the canonical
  // view, so that a run's events read in the order: fields changed, then placement.
  if (relationsStepRan) {
    const newUuids = new Set(newByKey.values());
    const placementTypes = PLACEMENT_RELATIONS.filter((t) => relTypes.includes(t));
    const existingChildGained = directRows.some(
      (r) => placementTypes.includes(r.type) && !newUuids.has(r.from),
    );
    if (knownEdgesChanged > 0 || existingChildGained)
      await q(
        `with old as (
         select type, from_uuid, array_agg(to_uuid order by to_uuid) as t from _rel_old
         where type::text = any($4::text[]) group by 1, 2
       ), cur as (
         -- after this run: what it saw, and (an incomplete run deactivates nothing) old edges it did not report
         select type, from_asset_uuid as from_uuid, array_agg(to_asset_uuid order by to_asset_uuid) as t
         from relations where source_id = $2 and status = 'active' and type::text = any($4::text[]) group by 1, 2
       )
       insert into asset_events (asset_uuid, run_id, source_id, ts, type, details)
       select coalesce(c.from_uuid, o.from_uuid), $1, $2, $3, 'relation_changed',
              jsonb_build_object('relation', coalesce(c.type, o.type), 'from', o.t[1], 'to', c.t[1],
                                 'from_assets', coalesce(to_jsonb(o.t), '[]'::jsonb),
                                 'to_assets', coalesce(to_jsonb(c.t), '[]'::jsonb))
       from old o full join cur c on c.type = o.type and c.from_uuid = o.from_uuid
       where o.t is distinct from c.t
         and not (o.t is null and coalesce(c.from_uuid, o.from_uuid) in (select asset_uuid from _map where is_new))
         -- a child that went missing lost its placement with it: its went_missing event says so
         and not (c.t is null and o.from_uuid in (select asset_uuid from _presence where change = 'went_missing'))`,
        [runId, sourceId, now, placementTypes],
      );
  }
  if (unresolved) {
    warnings.push({
      code: 'RELATIONS_UNRESOLVED',
      message: `${unresolved} relations name an object this source has not collected (yet); they were skipped`,
      count: unresolved,
    });
  }

  // This run grew the shared tables past what their statistics say: analyze them now (ANALYZE samples this
  // transaction's own rows) so that the placement statements below and the next run of this source are
  // planned for their real size (a nested loop planned for a few rows over 10,000 takes seconds).
  await q(
    `do $$
     begin
       -- shared tables get the configured statistics target, not the temporary tables' one
       perform set_config('default_statistics_target',
                          (select reset_val from pg_settings where name = 'default_statistics_target'), true);
       if ${newRows.length} > 1000
          and (select reltuples from pg_class where oid = 'asset_source_links'::regclass) < ${newRows.length} then
         analyze asset_source_links (source_id, external_kind, external_id, asset_uuid, presence);
       end if;
       if ${newRows.length} > 1000
          and (select reltuples from pg_class where oid = 'assets'::regclass) < ${newRows.length} then
         analyze assets (uuid, kind, status);
       end if;
       if ${relationsAdded} > 1000
          and (select reltuples from pg_class where oid = 'relations'::regclass) < ${relationsAdded} then
         analyze relations (source_id, type, from_asset_uuid, to_asset_uuid, status);
       end if;
     end $$`,
  );

  // Placement columns follow the relations: a host's cluster (member_of), a VM's host and, when the plugin
  // gives no cluster for the VM, its host's cluster. Nothing to do when no relation and no asset changed.
  const placementMayChange = relationsChanged > 0 || canonRows.length > 0 || newRows.length > 0;
  if (placementMayChange)
    await q(
      `with hc as (
       update assets h set cluster_name = c.name
       from relations r join assets c on c.uuid = r.to_asset_uuid
       where r.source_id = $1 and r.type = 'member_of' and r.status = 'active' and h.uuid = r.from_asset_uuid
         and h.cluster_name is distinct from c.name
     ) select 1`,
      [sourceId],
    );
  if (placementMayChange)
    await q(
      `with vh as (
       select r.from_asset_uuid as vm, h.name as host_name, h.cluster_name as host_cluster
       from relations r join assets h on h.uuid = r.to_asset_uuid
       where r.source_id = $1 and r.type = 'runs_on' and r.status = 'active'
     ), upd as (
       update assets v set host_name = vh.host_name,
         cluster_name = coalesce(v.canonical #>> '{normalized,placement,cluster}', vh.host_cluster)
       from vh where v.uuid = vh.vm
         and (v.host_name is distinct from vh.host_name
              or v.cluster_name is distinct from coalesce(v.canonical #>> '{normalized,placement,cluster}', vh.host_cluster))
     ) update assets v set host_name = null
       where v.kind = 'vm' and v.host_name is not null
         and v.uuid in (select from_asset_uuid from relations where source_id = $1 and type = 'runs_on')
         and not exists (select 1 from relations r where r.from_asset_uuid = v.uuid and r.type = 'runs_on'
                         and r.status = 'active')`,
      [sourceId],
    );

  // Last: this complete run saw every present link of its kinds and every active relation of its types
  // (the steps above read the previous scan to stamp what went missing or inactive).
  if (input.inventoryComplete)
    await q(
      `insert into source_scans (source_id, subject, run_id, seen_at)
       select $1, unnest($2::text[]), $3, $4
       on conflict (source_id, subject) do update set run_id = excluded.run_id, seen_at = excluded.seen_at`,
      [sourceId, [...kinds, ...relTypes], runId, now],
    );

  const isNewCount = newRows.length;
  const stats: IngestStats = {
    assets: items.length,
    new: isNewCount,
    changed: changedCount,
    unchanged: items.length - isNewCount - changedCount,
    missing,
    came_back: 0,
    reattached: reattached[0]?.n ?? 0,
    offline,
    records_written: isNewCount + changed.length,
    snapshots: snapshots + newRows.length,
    relations: relationsResolved,
    relations_inactive: inactive,
    relations_unresolved: unresolved,
    duplicates,
    round_trips: 0,
  };
  const [cb] = await q<{ n: number }>(`select count(*)::int as n from _presence where change = 'came_back'`);
  stats.came_back = cb!.n;
  stats.round_trips = roundTrips;
  return { stats, warnings, timings };
}
