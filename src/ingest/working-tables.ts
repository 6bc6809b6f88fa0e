// The run's working tables and the planner settings of its transaction.

// Planner statistics of the shared tables the run joins against. When the planner believes a table holds
// far fewer rows than the run brings (a first run, a source that grew), it estimates "a few rows" and joins
// against 10,000 run objects become nested loops over thousands of rows (seconds instead of milliseconds);
// autovacuum cannot help, the rows are only just committed. So such a table is analyzed first (one
// statement whatever the run's size; a steady estate analyzes nothing). JIT costs more than it saves here.
// The run's temporary tables are analyzed from a small sample (statistics target 10 instead of 100, 3,000
// rows instead of 30,000): their joins are on unique keys and need row counts, not detailed histograms.
export function plannerSetup(assets: number, relations: number): string {
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
export const TEMP_TABLES = `
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
