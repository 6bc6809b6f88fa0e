// The run's working tables and the planner settings of its transaction.

// JIT costs more than it saves on ingest's statements. The run's temporary tables are analyzed from a small
// sample (statistics target 10 instead of 100, 3,000 rows instead of 30,000): their joins are on unique keys
// and need row counts, not detailed histograms. Sorts and hashes over a run's 10,000s of rows get 64 MB
// (one connection per run): with the default 4 MB the identifiers of a 10,000-VM first run were sorted on
// disk.
export const PLANNER_SETUP = `
set local jit = off;
set local default_statistics_target = 10;
set local work_mem = '64MB';`;

// Planner statistics of the shared tables the run joins against. When the planner believes a table holds
// far fewer rows than the run brings (a first run, a source that grew), it estimates "a few rows" and joins
// against 10,000 run objects become nested loops over thousands of rows (seconds instead of milliseconds);
// autovacuum cannot help, the rows are only just committed. So such a table is analyzed first (one
// statement whatever the run's size; a steady estate analyzes nothing), with the configured statistics
// target; then the staged tables with the small one.
export function analyzeStaged(assets: number, relations: number): string {
  return `
do $$
begin
  set local default_statistics_target to default; -- the configured one, for the shared tables
  if (select reltuples from pg_class where oid = 'asset_source_links'::regclass) < ${Math.floor(assets / 2)} then
    analyze asset_source_links (source_id, external_kind, external_id, asset_uuid, presence);
  end if;
  if (select reltuples from pg_class where oid = 'relations'::regclass) < ${Math.floor(relations / 2)} then
    analyze relations (source_id, type, from_asset_uuid, to_asset_uuid, status);
  end if;
  -- only the columns the statements join and filter on: sampling the payload columns would decompress them
  perform set_config('default_statistics_target', '10', true);
  analyze _in_asset (idx, kind, external_id, identity_key);
  analyze _in_rel (idx, type, from_kind, from_id, to_kind, to_id);
end $$;`;
}

// The run's working tables, created once per connection and emptied at every commit (ON COMMIT DELETE ROWS
// only truncates in transactions that used them). Creating ten temporary tables in every run took ~40 ms of
// catalog writes, more than most of an unchanged run's statements.
//
// The stream is staged by one COPY into `_in_item`, which PostgreSQL routes by `item` into `_in_asset` (0)
// and `_in_rel` (1): assets and relations arrive interleaved, and one COPY for both keeps the round trips
// independent of the stream's length. An asset row carries everything a record, a new asset and its search
// columns need, computed in Node as it arrived (with the record hash, which tells an unchanged object: that
// one is staged without its texts, see ../known-records.ts); nothing of the run stays in Node's memory. The
// normalized object is parsed as the COPY takes it (jsonb): only new and changed objects bring one, each is
// written once parsed, and the COPY mostly waits for Node, so parsing there made a 10,000-VM first run's
// staging 25 ms longer where the statement that creates new objects spent 45 ms on it. Raw
// payloads are compressed once, here (lz4 where the server has it): the compressed value is stored as it
// is when a record is written from it.
export const TEMP_TABLES = `
do $$
begin
  if to_regclass('pg_temp._in_item') is null then
    create temp table _in_item (item int not null, idx int not null,
      kind asset_kind, external_id text, identity_key text, normalized jsonb, raw text,
      name text, hostname text, serial_number text, ip_addresses text[], mac_addresses text[], power_state text,
      cluster_name text, hash text, early boolean, rec_id bigint,
      type relation_type, from_kind asset_kind, from_id text, to_kind asset_kind, to_id text)
      partition by list (item) on commit delete rows;
    create temp table _in_asset partition of _in_item for values in (0) on commit delete rows;
    create temp table _in_rel partition of _in_item for values in (1) on commit delete rows;
    alter table _in_asset add primary key (idx);
    create index on _in_asset (kind, external_id);
    create index on _in_rel (from_kind, from_id) where type = 'runs_on';
    begin
      alter table _in_asset alter column raw set compression lz4;
    exception when feature_not_supported then
      null; -- a server without lz4: the default compression, as source_records.raw has there
    end;
    create temp table _new (idx int primary key, batch int not null, uuid uuid not null, link_id uuid not null,
      evidence boolean not null) on commit delete rows;
    create index on _new (batch);
    create temp table _map (idx int primary key, link_id uuid not null, asset_uuid uuid not null, is_new boolean not null,
      was_missing boolean not null, rec_id bigint, rec_hash text, prev_seen_at timestamptz, prev_seen_run uuid)
      on commit delete rows;
    -- presence's anti-join of the source's links: without it a first run's plan scanned _map per link
    create index on _map (link_id);
    create temp table _changed (idx int primary key, link_id uuid not null, asset_uuid uuid not null)
      on commit delete rows;
    create temp table _presence (link_id uuid not null, asset_uuid uuid not null, change text not null,
      external_kind asset_kind not null, external_id text not null) on commit delete rows;
    create temp table _canon (asset_uuid uuid primary key, canonical jsonb not null, hash text not null, name text,
      hostname text, serial_number text, ip_addresses text[] not null, mac_addresses text[] not null, power_state text,
      cluster_name text, snapshot boolean not null, old_hash text, event_type text, event_details jsonb) on commit delete rows;
    create temp table _rel (type relation_type not null, from_uuid uuid not null, to_uuid uuid not null, raw jsonb,
      primary key (type, from_uuid, to_uuid)) on commit delete rows;
    create temp table _rel_old (type relation_type not null, from_uuid uuid not null, to_uuid uuid not null) on commit delete rows;
  end if;
end $$;`;
