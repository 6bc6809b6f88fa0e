// `npm run -s collect -- --format xlsx`: the RVTools-style workbook straight from vCenter, no server and no
// database. Same sheets, columns and writer as the API export (src/server/exports/); the rows come from the
// collected assets instead of the ledger. The sheets are written one after another (the streaming writer
// cannot interleave them), so the assets' normalized objects are kept until the run ends — raw payloads are
// dropped as each asset arrives. Also the host names a VM's row needs, for the CSV format too.
import type { Writable } from 'node:stream';
import type { CollectorAsset } from '../../../src/collector/contract';
import {
  VCLUSTER,
  VDATASTORE,
  VDISK,
  VHOST,
  VINFO,
  VNETWORK,
  VSOURCE,
  at,
  type AssetRow,
  type DatastoreRow,
  type DeviceRow,
  type SourceRow,
} from '../../../src/server/exports/workbook-sheets';
import { XlsxWriter } from '../../../src/server/exports/xlsx-writer';
import type { ResponseSink } from './collect';

/** The moref of the host a VM runs on: its raw `runtime.host` (a ManagedObjectReference). */
export function vmHostMoref(a: CollectorAsset): string | undefined {
  const h = (a.raw_payload as Record<string, unknown> | undefined)?.['runtime.host'];
  if (typeof h === 'string') return h;
  const v = h && typeof h === 'object' ? (h as { value?: unknown }).value : undefined;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Host names and clusters by moref, learnt from the host assets. In `collect` mode (the CLI's default)
 * hosts are emitted before VMs, so a VM's row can name its host as it is written.
 */
export class Placements {
  private readonly hosts = new Map<string, { name?: string; cluster?: string }>();

  note(a: CollectorAsset): void {
    if (a.external_kind !== 'host') return;
    this.hosts.set(a.external_id, {
      name: a.normalized.identity?.caption ?? a.normalized.identity?.hostname,
      cluster: a.normalized.placement?.cluster,
    });
  }

  host(vm: CollectorAsset): string | undefined {
    const moref = vmHostMoref(vm);
    return moref ? this.hosts.get(moref)?.name : undefined;
  }

  cluster(vm: CollectorAsset): string | undefined {
    if (vm.normalized.placement?.cluster) return vm.normalized.placement.cluster;
    const moref = vmHostMoref(vm);
    return moref ? this.hosts.get(moref)?.cluster : undefined;
  }
}

export interface CliRunInfo {
  endpoint: string;
  mode: string;
  runId: string;
  startedAt: Date;
  finishedAt: Date;
  status: string;
  instanceUuid?: string;
  version?: string;
}

const byName = (a: AssetRow, b: AssetRow) =>
  String(a.name ?? '')
    .toLowerCase()
    .localeCompare(String(b.name ?? '').toLowerCase());

/** Keeps what the sheets need of each asset; `write` then writes the workbook. */
export class WorkbookSink implements ResponseSink {
  readonly placements = new Placements();
  private readonly vms: { row: AssetRow; host?: string }[] = [];
  private readonly hosts: { row: AssetRow; moref: string }[] = [];
  private readonly clusters: AssetRow[] = [];

  constructor(private readonly source: string) {}

  asset(a: CollectorAsset): undefined {
    this.placements.note(a);
    const row: AssetRow = {
      name: a.normalized.identity?.caption ?? null,
      moref: a.external_id,
      n: a.normalized as Record<string, unknown>,
      sources: this.source,
    };
    if (a.external_kind === 'vm') {
      row.hostName = this.placements.host(a) ?? null;
      row.clusterName = this.placements.cluster(a) ?? null;
      this.vms.push({ row, host: vmHostMoref(a) });
    } else if (a.external_kind === 'host') {
      row.clusterName = a.normalized.placement?.cluster ?? null;
      this.hosts.push({ row, moref: a.external_id });
    } else {
      this.clusters.push(row);
    }
    return undefined;
  }

  async write(out: Writable, run: CliRunInfo): Promise<void> {
    const vms = this.vms.map((v) => v.row).sort(byName);
    const vmsPerHost = new Map<string, number>();
    for (const v of this.vms) if (v.host) vmsPerHost.set(v.host, (vmsPerHost.get(v.host) ?? 0) + 1);
    const hosts = this.hosts.map((h) => ({ ...h.row, vmCount: vmsPerHost.get(h.moref) ?? 0 })).sort(byName);
    const clusters = this.clusters
      .map((c) => ({
        ...c,
        hostCount: hosts.filter((h) => h.clusterName === c.name).length,
        vmCount: vms.filter((v) => v.clusterName === c.name).length,
      }))
      .sort(byName);
    const devices = (path: string): DeviceRow[] =>
      vms.flatMap((vm) => {
        const list = at(vm.n, path);
        return Array.isArray(list)
          ? list.filter((d) => d && typeof d === 'object').map((device) => ({ vm, device }))
          : [];
      });
    const w = new XlsxWriter(out);
    await w.sheet(VINFO, [vms]);
    await w.sheet(VDISK, [devices('hardware.disks')]);
    await w.sheet(VNETWORK, [devices('hardware.nics')]);
    await w.sheet(VHOST, [hosts]);
    await w.sheet(VCLUSTER, [clusters]);
    await w.sheet(VDATASTORE, [datastores(hosts)]);
    const source: SourceRow = {
      name: this.source,
      endpoint: run.endpoint,
      instanceUuid: run.instanceUuid ?? null,
      version: run.version ?? null,
      runId: run.runId,
      mode: run.mode,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      assets: this.vms.length + this.hosts.length + this.clusters.length,
    };
    await w.sheet(VSOURCE, [[source]]);
    await w.finish();
  }
}

/** Datastores as the hosts see them, one row each (by name), with the hosts that mount them. */
function datastores(hosts: AssetRow[]): DatastoreRow[] {
  const out = new Map<string, DatastoreRow>();
  for (const h of hosts) {
    const list = at(h.n, 'storage.datastores');
    if (!Array.isArray(list)) continue;
    for (const d of list as Record<string, unknown>[]) {
      if (typeof d?.name !== 'string') continue;
      const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null);
      const row = out.get(d.name) ?? {
        name: d.name,
        type: typeof d.type === 'string' ? d.type : null,
        capacityBytes: num('capacity_bytes'),
        freeBytes: num('free_bytes'),
        hosts: [],
      };
      if (h.name) row.hosts.push(String(h.name));
      out.set(d.name, row);
    }
  }
  return [...out.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}
