// Synthetic collector responses shaped like the vCenter plugin's (for the ingest benchmark and tests).
import type { CollectorAsset, CollectorRelation, CollectorResponse } from '@/collector/contract';

export interface SyntheticEstate {
  clusters: number;
  hosts: number;
  vms: number;
  /** VM index → host index override (a vMotion). */
  vmHost?: Map<number, number>;
  /** VM indexes whose name (and so record) differs: the "changed" fraction. */
  changedVms?: Set<number>;
  /** VM indexes left out (destroyed). */
  goneVms?: Set<number>;
  /** Version tag mixed into changed VMs' values. */
  generation?: number;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const uuidOf = (prefix: string, n: number) => `${prefix}${hex(n, 4)}-0000-4000-8000-${hex(n, 12)}`;

export function hostOfVm(e: SyntheticEstate, i: number): number {
  return e.vmHost?.get(i) ?? i % e.hosts;
}

function response(assets: CollectorAsset[], relations: CollectorRelation[]): CollectorResponse {
  return {
    schema_version: 'collector-response-v1',
    assets,
    relations,
    stats: { assets: assets.length, relations: relations.length, inventory_complete: true, warnings: [] },
    errors: [],
  };
}

export function hostsResponse(e: SyntheticEstate): CollectorResponse {
  const assets: CollectorAsset[] = [];
  const relations: CollectorRelation[] = [];
  for (let c = 0; c < e.clusters; c++) {
    assets.push({
      external_kind: 'cluster',
      external_id: `domain-c${c}`,
      normalized: { identity: { caption: `cluster-${c}` }, placement: { datacenter: 'DC0' } },
      raw_payload: { moref: `domain-c${c}`, name: `cluster-${c}` },
    });
  }
  for (let h = 0; h < e.hosts; h++) {
    const cluster = h % e.clusters;
    assets.push({
      external_kind: 'host',
      external_id: `host-${h}`,
      normalized: {
        identity: {
          hostname: `esx-${h}.corp.example`,
          caption: `esx-${h}.corp.example`,
          machine_uuid: uuidOf('4c4c', h),
          serial_number: `SN${hex(h, 8).toUpperCase()}`,
          vendor: 'Dell Inc.',
          model: 'PowerEdge R750',
        },
        network: { management_ip: `10.0.${h >> 8}.${h & 255}`, ip_addresses: [`10.0.${h >> 8}.${h & 255}`] },
        os: { name: 'VMware ESXi', version: '8.0.2', build: '22380479' },
        hardware: {
          cpu_model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
          cpu_mhz: 2000,
          cpu_packages: 2,
          cpu_count: 64,
          cpu_threads: 128,
          memory_bytes: 1024 * 1024 * 1024 * 1024,
          nics: [
            { name: 'vmnic0', mac: `00:1b:21:${hex(h >> 8, 2)}:${hex(h & 255, 2)}:00` },
            { name: 'vmnic1', mac: `00:1b:21:${hex(h >> 8, 2)}:${hex(h & 255, 2)}:01` },
          ],
        },
        storage: {
          local_disk_total_bytes: 960197124096,
          datastores: [
            { name: `ds-${cluster}`, type: 'VMFS', capacity_bytes: 10995116277760, free_bytes: 5e12 },
          ],
          datastore_total_bytes: 10995116277760,
        },
        runtime: { power_state: 'poweredOn', connection_state: 'connected', maintenance_mode: false },
        placement: { datacenter: 'DC0', cluster: `cluster-${cluster}` },
      },
      raw_payload: {
        moref: `host-${h}`,
        summary: { hardware: { uuid: uuidOf('4c4c', h), numCpuCores: 64 } },
      },
    });
    relations.push({
      type: 'member_of',
      from: { external_kind: 'host', external_id: `host-${h}` },
      to: { external_kind: 'cluster', external_id: `domain-c${cluster}` },
    });
  }
  return response(assets, relations);
}

export function vmsResponse(e: SyntheticEstate): CollectorResponse {
  const assets: CollectorAsset[] = [];
  const relations: CollectorRelation[] = [];
  for (let i = 0; i < e.vms; i++) {
    if (e.goneVms?.has(i)) continue;
    const h = hostOfVm(e, i);
    const changed = e.changedVms?.has(i) ? `-g${e.generation ?? 1}` : '';
    const mac = `00:50:56:${hex(i >> 16, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`;
    assets.push({
      external_kind: 'vm',
      external_id: `vm-${i}`,
      normalized: {
        identity: {
          caption: `vm-${i}${changed}`,
          hostname: `srv-${i}.corp.example`,
          machine_uuid: uuidOf('5000', i),
          bios_uuid: uuidOf('4200', i),
        },
        network: { ip_addresses: [`10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`], mac_addresses: [mac] },
        os: { name: 'Ubuntu Linux (64-bit)', fingerprint: 'ubuntu64Guest' },
        hardware: {
          cpu_count: 4,
          memory_bytes: 8 * 1024 ** 3,
          disks: [{ name: 'Hard disk 1', size_bytes: 64 * 1024 ** 3, type: 'thin' }],
          nics: [{ name: 'Network adapter 1', mac, network: 'VM Network', connected: true }],
        },
        runtime: {
          power_state: 'poweredOn',
          tools_running: true,
          tools_status: 'toolsOk',
          tools_version: '12352',
        },
        placement: { datacenter: 'DC0', folder: 'vm', resource_pool: 'Resources' },
        tags: ['env:prod'],
        template: false,
      },
      raw_payload: {
        moref: `vm-${i}`,
        name: `vm-${i}${changed}`,
        config: {
          uuid: uuidOf('4200', i),
          instanceUuid: uuidOf('5000', i),
          hardware: { numCPU: 4, memoryMB: 8192 },
        },
        runtime: { host: `host-${h}`, powerState: 'poweredOn' },
      },
    });
    relations.push(
      {
        type: 'runs_on',
        from: { external_kind: 'vm', external_id: `vm-${i}` },
        to: { external_kind: 'host', external_id: `host-${h}` },
      },
      {
        type: 'hosts_vm',
        from: { external_kind: 'host', external_id: `host-${h}` },
        to: { external_kind: 'vm', external_id: `vm-${i}` },
      },
    );
  }
  return response(assets, relations);
}
