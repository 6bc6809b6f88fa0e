// Planner statistics after the writes: a run that grew the shared tables past what their statistics say
// analyzes them (ANALYZE samples this transaction's own rows), so that update-placement-columns and the next
// run of this source are planned for their real size (a nested loop planned for a few rows over 10,000 takes
// seconds).
import type { IngestContext } from '../context';

export async function refreshStatistics(ctx: IngestContext): Promise<void> {
  const { sql, state } = ctx;
  const created = ctx.counters.new;
  const { relationsAdded } = state;
  await sql.query(
    `do $$
     begin
       -- shared tables get the configured statistics target, not the temporary tables' one
       set local default_statistics_target to default;
       if ${created} > 1000
          and (select reltuples from pg_class where oid = 'asset_source_links'::regclass) < ${created} then
         analyze asset_source_links (source_id, external_kind, external_id, asset_uuid, presence);
       end if;
       if ${created} > 1000
          and (select reltuples from pg_class where oid = 'assets'::regclass) < ${created} then
         analyze assets (uuid, kind, status);
       end if;
       if ${relationsAdded} > 1000
          and (select reltuples from pg_class where oid = 'relations'::regclass) < ${relationsAdded} then
         analyze relations (source_id, type, from_asset_uuid, to_asset_uuid, status);
       end if;
     end $$`,
  );
}
