// The workbook's sheets and columns, modelled on RVTools' (vInfo, vDisk, vNetwork, vHost, vCluster,
// vDatastore, plus vSource). One list, read by the API export (src/server/exports/assets-xlsx.ts), the CLI
// (`npm run -s collect -- --format xlsx`) and docs/exports.md's table (test/exports-xlsx.test.ts checks
// the docs name every sheet and column). Headers come from the field dictionary where the fact is one of
// its fields, so a column is called what the rest of the UI calls it. Pure data: no database, no Node APIs.
import { fieldByKey, type Label } from '../fields/dictionary';

/** How a cell is written: numbers and dates typed, MiB from bytes, lists joined. */
export type CellType = 'text' | 'number' | 'mib' | 'boolean' | 'date' | 'list';

export interface WorkbookColumn<R> {
  /** Machine name (the dictionary key where the column is a dictionary field). */
  key: string;
  label: Label;
  /** The RVTools column with the same meaning, for people moving over (docs/exports.md). */
  rvtools?: string;
  type: CellType;
  width?: number;
  value: (row: R) => unknown;
}

export interface SheetDef<R> {
  name: string;
  description: Label;
  columns: WorkbookColumn<R>[];
}

/** One asset as the sheets read it: its merged normalized-v1 object plus what the ledger knows. */
export interface AssetRow {
  uuid?: string | null;
  /** The name the ledger shows (the list's name column), else the collected one. */
  name?: string | null;
  /** vCenter managed object id(s), e.g. vm-42. */
  moref?: string | null;
  status?: string | null;
  n: Record<string, unknown>;
  hostName?: string | null;
  clusterName?: string | null;
  sources?: string | null;
  firstSeen?: Date | null;
  lastSeen?: Date | null;
  vmCount?: number | null;
  hostCount?: number | null;
  /** Asserted facts {key: value} (issue 13's asset_ledger.values). */
  ledger?: Record<string, unknown> | null;
}

export interface DeviceRow {
  vm: AssetRow;
  device: Record<string, unknown>;
}

export interface DatastoreRow {
  name: string;
  type: string | null;
  capacityBytes: number | null;
  freeBytes: number | null;
  hosts: string[];
}

export interface SourceRow {
  name: string;
  endpoint: string | null;
  instanceUuid: string | null;
  version: string | null;
  runId: string | null;
  mode: string | null;
  status: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  assets: number | null;
}

const L = (en: string, zh: string): Label => ({ en, 'zh-CN': zh });

const isObject = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);

// Paths split once: `at` runs for every cell of an export (millions at 40,000 VMs).
const PATHS = new Map<string, string[]>();
const parts = (path: string): string[] => {
  let p = PATHS.get(path);
  if (!p) PATHS.set(path, (p = path.split('.')));
  return p;
};

/** A normalized-v1 value by path ('hardware.memory_bytes'), or undefined. */
export function at(n: Record<string, unknown>, path: string): unknown {
  let cur: unknown = n;
  for (const part of parts(path)) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** A column whose header is the dictionary field `key`'s label. */
function field<R>(
  key: string,
  type: CellType,
  value: (row: R) => unknown,
  rvtools?: string,
  width?: number,
): WorkbookColumn<R> {
  const def = fieldByKey(key);
  if (!def) throw new Error(`workbook column ${key} is not in the field dictionary`);
  return { key, label: def.label, type, value, rvtools, width };
}

function own<R>(
  key: string,
  label: Label,
  type: CellType,
  value: (row: R) => unknown,
  rvtools?: string,
  width?: number,
): WorkbookColumn<R> {
  return { key, label, type, value, rvtools, width };
}

const sumBytes = (items: Record<string, unknown>[], k: string) =>
  items.length ? items.reduce((s, d) => s + (typeof d[k] === 'number' ? (d[k] as number) : 0), 0) : undefined;

const nameOf = (r: AssetRow) => r.name ?? at(r.n, 'identity.caption');
const datacenterOf = (r: AssetRow) => at(r.n, 'placement.datacenter');
const clusterOf = (r: AssetRow) => r.clusterName ?? at(r.n, 'placement.cluster');

/** Where a VM runs: the same three columns on vInfo, vDisk and vNetwork. */
function placement<R>(vm: (row: R) => AssetRow): WorkbookColumn<R>[] {
  return [
    field<R>('hostName', 'text', (r) => vm(r).hostName, 'Host', 28),
    field<R>('clusterName', 'text', (r) => clusterOf(vm(r)), 'Cluster', 20),
    field<R>('datacenter', 'text', (r) => datacenterOf(vm(r)), 'Datacenter', 16),
  ];
}

/** The ledger's own bookkeeping, last on each asset sheet. */
function ledger<R>(a: (row: R) => AssetRow): WorkbookColumn<R>[] {
  return [
    field<R>('status', 'text', (r) => a(r).status, undefined, 10),
    own<R>('sources', L('Source', '数据源'), 'text', (r) => a(r).sources, 'VI SDK Server', 16),
    own<R>(
      'moref',
      L('vCenter object ID', 'vCenter 对象 ID'),
      'text',
      (r) => a(r).moref,
      'VM ID / Object ID',
      14,
    ),
    field<R>('createdAt', 'date', (r) => a(r).firstSeen, undefined, 20),
    field<R>('lastSeenAt', 'date', (r) => a(r).lastSeen, undefined, 20),
    field<R>('uuid', 'text', (r) => a(r).uuid, undefined, 38),
  ];
}

const self = (r: AssetRow) => r;

export const VINFO: SheetDef<AssetRow> = {
  name: 'vInfo',
  description: L('One row per virtual machine', '每台虚拟机一行'),
  columns: [
    field('name', 'text', nameOf, 'VM', 32),
    field('powerState', 'text', (r) => at(r.n, 'runtime.power_state'), 'Powerstate', 12),
    field('template', 'boolean', (r) => at(r.n, 'template'), 'Template', 10),
    ...placement(self),
    field('folder', 'text', (r) => at(r.n, 'placement.folder'), 'Folder', 24),
    field('resourcePool', 'text', (r) => at(r.n, 'placement.resource_pool'), 'Resource pool', 20),
    field('cpuCount', 'number', (r) => at(r.n, 'hardware.cpu_count'), 'CPUs', 8),
    field('cpuPackages', 'number', (r) => at(r.n, 'hardware.cpu_packages'), 'Sockets', 8),
    field('memoryBytes', 'mib', (r) => at(r.n, 'hardware.memory_bytes'), 'Memory', 12),
    field(
      'provisionedBytes',
      'mib',
      (r) => sumBytes(list(at(r.n, 'hardware.disks')), 'size_bytes'),
      'Provisioned MiB',
      14,
    ),
    field('usedBytes', 'mib', (r) => at(r.n, 'storage.committed_bytes'), 'In Use MiB', 14),
    own(
      'diskCount',
      L('Disks', '磁盘数'),
      'number',
      (r) => list(at(r.n, 'hardware.disks')).length,
      'Disks',
      8,
    ),
    own('nicCount', L('NICs', '网卡数'), 'number', (r) => list(at(r.n, 'hardware.nics')).length, 'NICs', 8),
    field('ipAddresses', 'list', (r) => at(r.n, 'network.ip_addresses'), 'Primary IP Address', 28),
    field('macAddresses', 'list', (r) => at(r.n, 'network.mac_addresses'), undefined, 24),
    field(
      'networks',
      'list',
      (r) => [
        ...new Set(
          list(at(r.n, 'hardware.nics'))
            .map((x) => x.network)
            .filter(Boolean),
        ),
      ],
      'Network #1…',
      24,
    ),
    field('osName', 'text', (r) => at(r.n, 'os.name'), 'OS according to the VMware Tools', 28),
    field(
      'osFingerprint',
      'text',
      (r) => at(r.n, 'os.fingerprint'),
      'OS according to the configuration file',
      16,
    ),
    field('hostname', 'text', (r) => at(r.n, 'identity.hostname'), 'DNS Name', 28),
    field('toolsStatus', 'text', (r) => at(r.n, 'runtime.tools_status'), 'Tools (vTools)', 14),
    field('toolsRunning', 'boolean', (r) => at(r.n, 'runtime.tools_running'), 'Tools running (vTools)', 10),
    field('toolsVersion', 'text', (r) => at(r.n, 'runtime.tools_version'), 'Tools Version (vTools)', 10),
    field('connectionState', 'text', (r) => at(r.n, 'runtime.connection_state'), 'Connection state', 12),
    field('biosUuid', 'text', (r) => at(r.n, 'identity.bios_uuid'), 'SMBIOS UUID', 38),
    field('machineUuid', 'text', (r) => at(r.n, 'identity.machine_uuid'), 'VM UUID', 38),
    field('tags', 'list', (r) => at(r.n, 'tags'), 'Tags (custom attributes)', 24),
    field('annotation', 'text', (r) => at(r.n, 'annotation'), 'Annotation', 32),
    ...ledger(self),
  ],
};

const vmOf = (r: DeviceRow) => r.vm;

export const VDISK: SheetDef<DeviceRow> = {
  name: 'vDisk',
  description: L('One row per virtual disk of a VM', '每块虚拟机磁盘一行'),
  columns: [
    field('name', 'text', (r) => nameOf(r.vm), 'VM', 32),
    own('disk', L('Disk', '磁盘'), 'text', (r) => r.device.name, 'Disk', 14),
    own('diskCapacity', L('Capacity', '容量'), 'mib', (r) => r.device.size_bytes, 'Capacity MiB', 14),
    own('diskType', L('Provisioning', '置备类型'), 'text', (r) => r.device.type, 'Thin / Raw', 12),
    field('powerState', 'text', (r) => at(r.vm.n, 'runtime.power_state'), 'Powerstate', 12),
    ...placement(vmOf),
    own('vmUuid', L('VM asset UUID', '虚拟机资产 UUID'), 'text', (r) => r.vm.uuid, undefined, 38),
  ],
};

export const VNETWORK: SheetDef<DeviceRow> = {
  name: 'vNetwork',
  description: L('One row per network adapter of a VM', '每块虚拟机网卡一行'),
  columns: [
    field('name', 'text', (r) => nameOf(r.vm), 'VM', 32),
    own('nic', L('Adapter', '网卡'), 'text', (r) => r.device.name, 'NIC label', 18),
    own('nicMac', L('MAC address', 'MAC 地址'), 'text', (r) => r.device.mac, 'Mac Address', 18),
    own('nicNetwork', L('Network', '网络'), 'text', (r) => r.device.network, 'Network', 24),
    own('nicConnected', L('Connected', '已连接'), 'boolean', (r) => r.device.connected, 'Connected', 10),
    field(
      'ipAddresses',
      'list',
      (r) => at(r.vm.n, 'network.ip_addresses'),
      'IPv4 Address / IPv6 Address',
      28,
    ),
    field('powerState', 'text', (r) => at(r.vm.n, 'runtime.power_state'), 'Powerstate', 12),
    ...placement(vmOf),
    own('vmUuid', L('VM asset UUID', '虚拟机资产 UUID'), 'text', (r) => r.vm.uuid, undefined, 38),
  ],
};

export const VHOST: SheetDef<AssetRow> = {
  name: 'vHost',
  description: L('One row per ESXi host', '每台 ESXi 主机一行'),
  columns: [
    field('name', 'text', nameOf, 'Host', 28),
    field('datacenter', 'text', datacenterOf, 'Datacenter', 16),
    field('clusterName', 'text', clusterOf, 'Cluster', 20),
    field('vendor', 'text', (r) => at(r.n, 'identity.vendor'), 'Vendor', 16),
    field('model', 'text', (r) => at(r.n, 'identity.model'), 'Model', 20),
    field('serialNumber', 'text', (r) => at(r.n, 'identity.serial_number'), 'Serial number', 16),
    field('cpuModel', 'text', (r) => at(r.n, 'hardware.cpu_model'), 'CPU Model', 28),
    field('cpuMhz', 'number', (r) => at(r.n, 'hardware.cpu_mhz'), 'Speed', 8),
    field('cpuPackages', 'number', (r) => at(r.n, 'hardware.cpu_packages'), '# CPU', 8),
    field('cpuCount', 'number', (r) => at(r.n, 'hardware.cpu_count'), '# Cores', 8),
    field('cpuThreads', 'number', (r) => at(r.n, 'hardware.cpu_threads'), undefined, 8),
    field('memoryBytes', 'mib', (r) => at(r.n, 'hardware.memory_bytes'), '# Memory', 12),
    field('osName', 'text', (r) => at(r.n, 'os.name'), 'ESX Version', 20),
    field('osVersion', 'text', (r) => at(r.n, 'os.version'), 'ESX Version', 10),
    field('osBuild', 'text', (r) => at(r.n, 'os.build'), 'ESX Version', 10),
    field('managementIp', 'text', (r) => at(r.n, 'network.management_ip'), undefined, 16),
    field('hostname', 'text', (r) => at(r.n, 'identity.hostname'), undefined, 28),
    field('connectionState', 'text', (r) => at(r.n, 'runtime.connection_state'), 'Config status', 12),
    field(
      'maintenanceMode',
      'boolean',
      (r) => at(r.n, 'runtime.maintenance_mode'),
      'in Maintenance Mode',
      10,
    ),
    field('powerState', 'text', (r) => at(r.n, 'runtime.power_state'), undefined, 12),
    own('vmCount', L('VMs', '虚拟机数'), 'number', (r) => r.vmCount, '# VMs', 8),
    field('localDiskTotalBytes', 'mib', (r) => at(r.n, 'storage.local_disk_total_bytes'), undefined, 14),
    field('datastoreTotalBytes', 'mib', (r) => at(r.n, 'storage.datastore_total_bytes'), undefined, 14),
    field('machineUuid', 'text', (r) => at(r.n, 'identity.machine_uuid'), 'UUID', 38),
    field('tags', 'list', (r) => at(r.n, 'tags'), undefined, 20),
    ...ledger(self),
  ],
};

export const VCLUSTER: SheetDef<AssetRow> = {
  name: 'vCluster',
  description: L('One row per cluster', '每个集群一行'),
  columns: [
    field('name', 'text', nameOf, 'Name', 24),
    field('datacenter', 'text', datacenterOf, 'Datacenter', 16),
    own('hostCount', L('Hosts', '主机数'), 'number', (r) => r.hostCount, 'NumHosts', 8),
    own('vmCount', L('VMs', '虚拟机数'), 'number', (r) => r.vmCount, 'NumVMs', 8),
    field('cpuCount', 'number', (r) => at(r.n, 'hardware.cpu_count'), 'NumCpuCores', 10),
    field('cpuThreads', 'number', (r) => at(r.n, 'hardware.cpu_threads'), 'NumCpuThreads', 10),
    field('memoryBytes', 'mib', (r) => at(r.n, 'hardware.memory_bytes'), 'TotalMemory', 14),
    field('folder', 'text', (r) => at(r.n, 'placement.folder'), undefined, 20),
    field('tags', 'list', (r) => at(r.n, 'tags'), undefined, 20),
    ...ledger(self),
  ],
};

export const VDATASTORE: SheetDef<DatastoreRow> = {
  name: 'vDatastore',
  description: L('One row per datastore seen by the hosts', '主机可见的每个数据存储一行'),
  columns: [
    own('datastore', L('Datastore', '数据存储'), 'text', (r) => r.name, 'Name', 28),
    own('datastoreType', L('Type', '类型'), 'text', (r) => r.type, 'Type', 10),
    own('capacity', L('Capacity', '容量'), 'mib', (r) => r.capacityBytes, 'Capacity MiB', 14),
    own('free', L('Free', '可用'), 'mib', (r) => r.freeBytes, 'Free MiB', 14),
    own(
      'freePercent',
      L('Free %', '可用 %'),
      'number',
      (r) =>
        r.capacityBytes && r.freeBytes !== null
          ? Math.round((r.freeBytes / r.capacityBytes) * 1000) / 10
          : null,
      'Free %',
      8,
    ),
    own('hostCount', L('Hosts', '主机数'), 'number', (r) => r.hosts.length, '# Hosts', 8),
    own('hosts', L('Host names', '主机名称'), 'list', (r) => r.hosts, 'Hosts', 40),
  ],
};

export const VSOURCE: SheetDef<SourceRow> = {
  name: 'vSource',
  description: L(
    'Which vCenter each row came from: the latest successful run of each source and mode',
    '数据来自哪个 vCenter：每个数据源每种模式最近一次成功的运行',
  ),
  columns: [
    own('source', L('Source', '数据源'), 'text', (r) => r.name, 'VI SDK Server', 20),
    own('endpoint', L('Endpoint', '地址'), 'text', (r) => r.endpoint, 'VI SDK Server', 32),
    own(
      'instanceUuid',
      L('vCenter instance UUID', 'vCenter 实例 UUID'),
      'text',
      (r) => r.instanceUuid,
      'VI SDK UUID',
      38,
    ),
    own('version', L('vCenter version', 'vCenter 版本'), 'text', (r) => r.version, 'VI SDK API Version', 14),
    own('mode', L('Mode', '模式'), 'text', (r) => r.mode, undefined, 14),
    own('runId', L('Run', '运行'), 'text', (r) => r.runId, undefined, 38),
    own('runStatus', L('Run status', '运行状态'), 'text', (r) => r.status, undefined, 12),
    own('startedAt', L('Started', '开始时间'), 'date', (r) => r.startedAt, undefined, 20),
    own(
      'finishedAt',
      L('Finished (collected)', '完成（采集）时间'),
      'date',
      (r) => r.finishedAt,
      undefined,
      20,
    ),
    own('assetCount', L('Objects', '对象数'), 'number', (r) => r.assets, undefined, 10),
  ],
};

/** A ledger field as the workbook needs it (src/server/ledger-fields' LedgerField fits). */
export interface LedgerColumnSource {
  key: string;
  label: Label;
  type: string;
  kinds: readonly string[];
}

const LEDGER_CELL: Record<string, CellType> = { number: 'number', date: 'date', boolean: 'boolean' };

/**
 * `sheet` with one column per ledger field that applies to `kind` (DESIGN §8a: asserted fields export like
 * observed ones), after the observed columns, headed by the field's own label. Keys are `ledger.<key>`.
 */
export function withLedgerColumns<R>(
  sheet: SheetDef<R>,
  fields: readonly LedgerColumnSource[],
  kind: string,
  asset: (row: R) => AssetRow,
): SheetDef<R> {
  const extra = fields
    .filter((f) => !f.kinds.length || f.kinds.includes(kind))
    .map((f): WorkbookColumn<R> => ({
      key: `ledger.${f.key}`,
      label: f.label,
      type: LEDGER_CELL[f.type] ?? 'text',
      width: 16,
      value: (r) => asset(r).ledger?.[f.key],
    }));
  return extra.length ? { ...sheet, columns: [...sheet.columns, ...extra] } : sheet;
}

/** Every sheet, in workbook order. */
export const WORKBOOK_SHEETS = [VINFO, VDISK, VNETWORK, VHOST, VCLUSTER, VDATASTORE, VSOURCE] as const;

/** The header a column shows in a locale: its label, with the unit of MiB columns. */
export function columnHeader(c: WorkbookColumn<never>, locale: 'en' | 'zh-CN'): string {
  const label = c.label[locale];
  return c.type === 'mib' ? `${label} (MiB)` : label;
}
