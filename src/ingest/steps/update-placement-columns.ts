// Placement columns follow the relations: a host's cluster (member_of), a VM's host and, when the plugin
// gives no cluster for the VM, its host's cluster. Nothing to do when no relation and no asset changed.
import type { IngestContext } from '../context';

export async function updatePlacementColumns(ctx: IngestContext): Promise<void> {
  const { sql, sourceId, state } = ctx;
  const placementMayChange = state.relationsChanged > 0 || state.canonViews > 0 || ctx.counters.new > 0;
  if (placementMayChange)
    await sql.query(
      `with hc as (
       update assets h set cluster_name = c.name
       from relations r join assets c on c.uuid = r.to_asset_uuid
       where r.source_id = $1 and r.type = 'member_of' and r.status = 'active' and h.uuid = r.from_asset_uuid
         and h.cluster_name is distinct from c.name
     ) select 1`,
      [sourceId],
    );
  if (placementMayChange)
    await sql.query(
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
}
