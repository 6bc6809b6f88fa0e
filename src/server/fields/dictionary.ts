// The one field dictionary (STYLE P4): every fact an asset carries, with its labels in both languages,
// its unit and what it may be used for. The detail page, history, provenance, the column chooser and the
// CSV/xlsx headers all read labels and values through it, so memory is "16 GiB" everywhere and never
// 17179869184 in one place and "16.0 GiB" in another. Pure data and formatting: safe in client components.
// Ledger fields (DESIGN §8a) become more FieldDefs made from their database definitions (origin 'ledger').
import type { Locale } from '@/i18n';

export type AssetKind = 'host' | 'cluster' | 'vm';
export type Label = { en: string; 'zh-CN': string };

/**
 * How a value is read and shown. `bytes`, `mhz` and `count` carry their unit; `table` is an array of
 * objects shown as a small table with `columns`; `cpu` is the derived "2 × 2.3 GHz".
 */
export type FieldType =
  | 'text'
  | 'longText'
  | 'number'
  | 'count'
  | 'bytes'
  | 'mhz'
  | 'boolean'
  | 'enum'
  | 'list'
  | 'table'
  | 'datetime'
  | 'date'
  | 'uuid'
  | 'cpu';

export type FieldUnit = 'bytes' | 'MHz' | 'count';

export interface FieldDef {
  /** Stable camelCase key: API sort keys, filters, saved column choices. */
  key: string;
  /** Where the value lives: a normalized-v1 path (`hardware.memory_bytes`), or the asset's own field. */
  path: string;
  kinds: readonly AssetKind[];
  label: Label;
  unit?: FieldUnit;
  type: FieldType;
  /** Labels of known values: every value of an enum; `true`/`false` of a boolean. */
  values?: Record<string, Label>;
  /** For `table`: the columns of one row (their `path` is the property inside the row). */
  columns?: FieldDef[];
  sortable: boolean;
  filterable: boolean;
  exportable: boolean;
  /** A sensible list column (offered by the column chooser). */
  listable?: boolean;
  origin: 'observed' | 'ledger';
  /** Computed from the normalized object rather than read at one path (e.g. provisioned disk). */
  derive?: (normalized: Record<string, unknown>) => unknown;
  /** The assets-table column the value is denormalized into (indexed: sort and filter run on it). */
  column?: string;
}

const ALL: readonly AssetKind[] = ['host', 'cluster', 'vm'];
const HOST_VM: readonly AssetKind[] = ['host', 'vm'];
const VM: readonly AssetKind[] = ['vm'];
const HOST: readonly AssetKind[] = ['host'];

const L = (en: string, zh: string): Label => ({ en, 'zh-CN': zh });
const YES_NO = { true: L('Yes', '是'), false: L('No', '否') };

type Spec = Omit<FieldDef, 'sortable' | 'filterable' | 'exportable' | 'origin'> &
  Partial<Pick<FieldDef, 'sortable' | 'filterable' | 'exportable'>>;

function observed(spec: Spec): FieldDef {
  return { sortable: false, filterable: false, exportable: true, origin: 'observed', ...spec };
}

/** A column of a small table (a disk, NIC or datastore row). */
function col(path: string, type: FieldType, label: Label, values?: Record<string, Label>): FieldDef {
  return observed({ key: path, path, kinds: ALL, type, label, values, exportable: false });
}

export const POWER_STATE_VALUES = {
  poweredOn: L('Powered on', '已开机'),
  poweredOff: L('Powered off', '已关机'),
  suspended: L('Suspended', '已挂起'),
};

// vSphere's HostSystemConnectionState / VirtualMachineConnectionState.
export const CONNECTION_STATE_VALUES = {
  connected: L('Connected', '已连接'),
  disconnected: L('Disconnected', '已断开'),
  notResponding: L('Not responding', '无响应'),
  orphaned: L('Orphaned', '孤立'),
  inaccessible: L('Inaccessible', '无法访问'),
  invalid: L('Invalid', '无效'),
};

// vSphere's VirtualMachineToolsStatus.
export const TOOLS_STATUS_VALUES = {
  toolsOk: L('OK', '正常'),
  toolsOld: L('Out of date', '版本过旧'),
  toolsNotRunning: L('Not running', '未运行'),
  toolsNotInstalled: L('Not installed', '未安装'),
};

export const DISK_TYPE_VALUES = {
  ssd: L('SSD', '固态盘'),
  hdd: L('HDD', '机械盘'),
  thin: L('Thin', '精简置备'),
  thick: L('Thick', '厚置备'),
  rdm: L('Raw device mapping', '裸设备映射'),
};

export const OBSERVED_FIELDS: readonly FieldDef[] = [
  // ---- the asset itself (not normalized-v1, but listed, sorted and exported the same way)
  observed({
    key: 'uuid',
    path: 'uuid',
    column: 'uuid',
    kinds: ALL,
    type: 'uuid',
    label: L('Asset UUID', '资产 UUID'),
  }),
  observed({
    key: 'kind',
    path: 'kind',
    column: 'kind',
    kinds: ALL,
    type: 'enum',
    label: L('Kind', '类型'),
    values: { host: L('Host', '主机'), cluster: L('Cluster', '集群'), vm: L('Virtual machine', '虚拟机') },
    sortable: true,
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'status',
    path: 'status',
    column: 'status',
    kinds: ALL,
    type: 'enum',
    label: L('Status', '状态'),
    values: { active: L('Active', '在线'), offline: L('Offline', '离线') },
    sortable: true,
    filterable: true,
    listable: true,
  }),
  // ---- identity
  observed({
    key: 'name',
    path: 'identity.caption',
    column: 'name',
    kinds: ALL,
    type: 'text',
    label: L('Name', '名称'),
    sortable: true,
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'hostname',
    path: 'identity.hostname',
    column: 'hostname',
    kinds: HOST_VM,
    type: 'text',
    label: L('Host name', '主机名'),
    sortable: true,
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'serialNumber',
    path: 'identity.serial_number',
    column: 'serial_number',
    kinds: HOST,
    type: 'text',
    label: L('Serial number', '序列号'),
    sortable: true,
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'machineUuid',
    path: 'identity.machine_uuid',
    kinds: HOST_VM,
    type: 'text',
    label: L('Instance / hardware UUID', '实例 / 硬件 UUID'),
  }),
  observed({
    key: 'biosUuid',
    path: 'identity.bios_uuid',
    kinds: HOST_VM,
    type: 'text',
    label: L('BIOS UUID', 'BIOS UUID'),
  }),
  observed({
    key: 'vendor',
    path: 'identity.vendor',
    kinds: HOST,
    type: 'text',
    label: L('Vendor', '厂商'),
    listable: true,
  }),
  observed({
    key: 'model',
    path: 'identity.model',
    kinds: HOST,
    type: 'text',
    label: L('Model', '型号'),
    listable: true,
  }),
  // ---- network
  observed({
    key: 'ipAddresses',
    path: 'network.ip_addresses',
    column: 'ip_addresses',
    kinds: HOST_VM,
    type: 'list',
    label: L('IP addresses', 'IP 地址'),
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'macAddresses',
    path: 'network.mac_addresses',
    column: 'mac_addresses',
    kinds: HOST_VM,
    type: 'list',
    label: L('MAC addresses', 'MAC 地址'),
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'managementIp',
    path: 'network.management_ip',
    kinds: HOST,
    type: 'text',
    label: L('Management IP', '管理 IP'),
    listable: true,
  }),
  // ---- operating system
  observed({
    key: 'osName',
    path: 'os.name',
    kinds: HOST_VM,
    type: 'text',
    label: L('Operating system', '操作系统'),
    listable: true,
  }),
  observed({
    key: 'osVersion',
    path: 'os.version',
    kinds: HOST,
    type: 'text',
    label: L('OS version', '系统版本'),
  }),
  observed({
    key: 'osBuild',
    path: 'os.build',
    kinds: HOST,
    type: 'text',
    label: L('OS build', '系统内部版本'),
  }),
  observed({
    key: 'osFingerprint',
    path: 'os.fingerprint',
    kinds: HOST_VM,
    type: 'text',
    label: L('OS identifier', '系统标识'),
  }),
  // ---- hardware
  observed({
    key: 'cpu',
    path: 'hardware.cpu',
    kinds: ALL,
    type: 'cpu',
    label: L('CPU', 'CPU'),
    exportable: false,
    derive: (n) => {
      const hw = section(n, 'hardware');
      return hw.cpu_count === undefined ? undefined : { count: hw.cpu_count, mhz: hw.cpu_mhz };
    },
  }),
  observed({
    key: 'cpuCount',
    path: 'hardware.cpu_count',
    kinds: ALL,
    type: 'count',
    unit: 'count',
    label: L('CPUs', 'CPU 数'),
    listable: true,
  }),
  observed({
    key: 'cpuModel',
    path: 'hardware.cpu_model',
    kinds: HOST,
    type: 'text',
    label: L('CPU model', 'CPU 型号'),
    listable: true,
  }),
  observed({
    key: 'cpuMhz',
    path: 'hardware.cpu_mhz',
    kinds: HOST,
    type: 'mhz',
    unit: 'MHz',
    label: L('CPU speed', 'CPU 主频'),
  }),
  observed({
    key: 'cpuPackages',
    path: 'hardware.cpu_packages',
    kinds: HOST_VM,
    type: 'count',
    unit: 'count',
    label: L('CPU sockets', 'CPU 插槽数'),
  }),
  observed({
    key: 'cpuThreads',
    path: 'hardware.cpu_threads',
    kinds: ['host', 'cluster'],
    type: 'count',
    unit: 'count',
    label: L('CPU threads', 'CPU 线程数'),
  }),
  observed({
    key: 'memoryBytes',
    path: 'hardware.memory_bytes',
    kinds: ALL,
    type: 'bytes',
    unit: 'bytes',
    label: L('Memory', '内存'),
    listable: true,
  }),
  observed({
    key: 'disks',
    path: 'hardware.disks',
    kinds: HOST_VM,
    type: 'table',
    label: L('Disks', '磁盘'),
    columns: [
      col('name', 'text', L('Name', '名称')),
      col('size_bytes', 'bytes', L('Size', '容量')),
      col('type', 'enum', L('Type', '类型'), DISK_TYPE_VALUES),
    ],
  }),
  observed({
    key: 'provisionedBytes',
    path: 'hardware.disks.size_bytes',
    kinds: VM,
    type: 'bytes',
    unit: 'bytes',
    label: L('Provisioned disk', '置备磁盘'),
    listable: true,
    derive: (n) => sumOf(section(n, 'hardware').disks, 'size_bytes'),
  }),
  observed({
    key: 'usedBytes',
    path: 'storage.committed_bytes',
    kinds: VM,
    type: 'bytes',
    unit: 'bytes',
    label: L('Used disk', '已用磁盘'),
  }),
  observed({
    key: 'uncommittedBytes',
    path: 'storage.uncommitted_bytes',
    kinds: VM,
    type: 'bytes',
    unit: 'bytes',
    label: L('Uncommitted disk', '未提交磁盘'),
  }),
  observed({
    key: 'nics',
    path: 'hardware.nics',
    kinds: HOST_VM,
    type: 'table',
    label: L('Network adapters', '网卡'),
    columns: [
      col('name', 'text', L('Name', '名称')),
      col('mac', 'text', L('MAC address', 'MAC 地址')),
      col('network', 'text', L('Network', '网络')),
      col('connected', 'boolean', L('Connected', '已连接'), {
        true: L('Connected', '已连接'),
        false: L('Disconnected', '未连接'),
      }),
    ],
  }),
  observed({
    key: 'networks',
    path: 'hardware.nics.network',
    kinds: VM,
    type: 'list',
    label: L('Networks', '网络'),
    listable: true,
    derive: (n) => distinctOf(section(n, 'hardware').nics, 'network'),
  }),
  // ---- storage
  observed({
    key: 'localDiskTotalBytes',
    path: 'storage.local_disk_total_bytes',
    kinds: HOST,
    type: 'bytes',
    unit: 'bytes',
    label: L('Local disk capacity', '本地磁盘容量'),
  }),
  observed({
    key: 'datastores',
    path: 'storage.datastores',
    kinds: HOST_VM,
    type: 'table',
    label: L('Datastores', '数据存储'),
    columns: [
      col('name', 'text', L('Name', '名称')),
      col('type', 'text', L('Type', '类型')),
      col('capacity_bytes', 'bytes', L('Capacity', '容量')),
      col('free_bytes', 'bytes', L('Free', '可用')),
    ],
  }),
  observed({
    key: 'datastoreNames',
    path: 'storage.datastores.name',
    kinds: HOST_VM,
    type: 'list',
    label: L('Datastores', '数据存储'),
    listable: true,
    derive: (n) => distinctOf(section(n, 'storage').datastores, 'name'),
  }),
  observed({
    key: 'datastoreTotalBytes',
    path: 'storage.datastore_total_bytes',
    kinds: HOST,
    type: 'bytes',
    unit: 'bytes',
    label: L('Datastore capacity (excl. NFS/vSAN)', '数据存储容量（不含 NFS/vSAN）'),
  }),
  // ---- runtime
  observed({
    key: 'powerState',
    path: 'runtime.power_state',
    column: 'power_state',
    kinds: HOST_VM,
    type: 'enum',
    label: L('Power', '电源'),
    values: POWER_STATE_VALUES,
    sortable: true,
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'connectionState',
    path: 'runtime.connection_state',
    kinds: HOST_VM,
    type: 'enum',
    label: L('Connection', '连接状态'),
    values: CONNECTION_STATE_VALUES,
    listable: true,
  }),
  observed({
    key: 'maintenanceMode',
    path: 'runtime.maintenance_mode',
    kinds: HOST,
    type: 'boolean',
    label: L('Maintenance mode', '维护模式'),
    values: { true: L('In maintenance', '维护中'), false: L('No', '否') },
    listable: true,
  }),
  observed({
    key: 'toolsRunning',
    path: 'runtime.tools_running',
    kinds: VM,
    type: 'boolean',
    label: L('VMware Tools running', 'VMware Tools 运行中'),
    values: { true: L('Running', '运行中'), false: L('Not running', '未运行') },
  }),
  observed({
    key: 'toolsStatus',
    path: 'runtime.tools_status',
    kinds: VM,
    type: 'enum',
    label: L('VMware Tools', 'VMware Tools'),
    values: TOOLS_STATUS_VALUES,
    listable: true,
  }),
  observed({
    key: 'toolsVersion',
    path: 'runtime.tools_version',
    kinds: VM,
    type: 'text',
    label: L('Tools version', 'Tools 版本'),
  }),
  // ---- placement
  observed({
    key: 'datacenter',
    path: 'placement.datacenter',
    kinds: ALL,
    type: 'text',
    label: L('Datacenter', '数据中心'),
    listable: true,
  }),
  observed({
    key: 'clusterName',
    path: 'placement.cluster',
    column: 'cluster_name',
    kinds: HOST_VM,
    type: 'text',
    label: L('Cluster', '集群'),
    sortable: true,
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'hostName',
    path: 'hostName',
    column: 'host_name',
    kinds: VM,
    type: 'text',
    label: L('Host', '主机'),
    sortable: true,
    filterable: true,
    listable: true,
  }),
  observed({
    key: 'folder',
    path: 'placement.folder',
    kinds: ALL,
    type: 'text',
    label: L('Folder', '文件夹'),
    listable: true,
  }),
  observed({
    key: 'resourcePool',
    path: 'placement.resource_pool',
    kinds: VM,
    type: 'text',
    label: L('Resource pool', '资源池'),
    listable: true,
  }),
  observed({ key: 'tags', path: 'tags', kinds: ALL, type: 'list', label: L('Tags', '标签'), listable: true }),
  observed({
    key: 'annotation',
    path: 'annotation',
    kinds: VM,
    type: 'longText',
    label: L('Annotation', '注释'),
  }),
  observed({
    key: 'template',
    path: 'template',
    kinds: VM,
    type: 'boolean',
    label: L('Template', '模板'),
    values: YES_NO,
    listable: true,
  }),
  // ---- counted from the active relations (a host's VMs, a cluster's hosts and their VMs)
  observed({
    key: 'hostCount',
    path: 'hostCount',
    kinds: ['cluster'],
    type: 'count',
    unit: 'count',
    label: L('Hosts', '主机数'),
    listable: true,
    exportable: false,
  }),
  observed({
    key: 'vmCount',
    path: 'vmCount',
    kinds: ['host', 'cluster'],
    type: 'count',
    unit: 'count',
    label: L('VMs', '虚拟机数'),
    listable: true,
    exportable: false,
  }),
  // ---- the ledger's own bookkeeping
  observed({
    key: 'createdAt',
    path: 'createdAt',
    column: 'created_at',
    kinds: ALL,
    type: 'datetime',
    label: L('First recorded', '首次记录'),
    sortable: true,
  }),
  observed({
    key: 'updatedAt',
    path: 'updatedAt',
    column: 'updated_at',
    kinds: ALL,
    type: 'datetime',
    label: L('Last changed', '最后变更'),
    sortable: true,
  }),
  observed({
    key: 'lastSeenAt',
    path: 'lastSeenAt',
    column: 'last_seen_at',
    kinds: ALL,
    type: 'datetime',
    label: L('Last seen', '最后发现'),
    sortable: true,
    listable: true,
  }),
];

/** The asserted overrides of observed facts (DESIGN §8a), as ledger history names them (`override.os`). */
export const OVERRIDE_FIELDS: readonly FieldDef[] = [
  { key: 'override.name', label: L('Display name', '显示名称') },
  { key: 'override.primaryIp', label: L('Primary IP', '主 IP') },
  { key: 'override.os', label: L('Operating system', '操作系统') },
].map((f) => ({
  ...f,
  path: f.key,
  kinds: ALL,
  type: 'text' as const,
  sortable: false,
  filterable: false,
  exportable: false,
  origin: 'ledger' as const,
}));

const BY_KEY = new Map([...OBSERVED_FIELDS, ...OVERRIDE_FIELDS].map((f) => [f.key, f]));
const BY_PATH = new Map(OBSERVED_FIELDS.filter((f) => !f.derive).map((f) => [f.path, f]));

export function fieldByKey(key: string): FieldDef | undefined {
  return BY_KEY.get(key);
}

/** The field a normalized-v1 path (as history and provenance name it) belongs to. */
export function fieldByPath(path: string): FieldDef | undefined {
  return BY_PATH.get(path);
}

/** The label of a field in a locale; an unknown path is shown as it is (never hidden). */
export function fieldLabel(defOrPath: FieldDef | string, locale: Locale): string {
  const def = typeof defOrPath === 'string' ? fieldByPath(defOrPath) : defOrPath;
  return def ? def.label[locale] : String(defOrPath);
}

/** The label of one known value (enum member, boolean); undefined when the dictionary does not know it. */
export function valueLabel(def: FieldDef, value: unknown, locale: Locale): string | undefined {
  const l = def.values?.[String(value)];
  return l?.[locale];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);

function section(n: Record<string, unknown>, name: string): Record<string, unknown> {
  const s = n[name];
  return isObject(s) ? s : {};
}

function sumOf(list: unknown, key: string): number | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  let sum = 0;
  for (const x of list) if (isObject(x) && typeof x[key] === 'number') sum += x[key] as number;
  return sum;
}

function distinctOf(list: unknown, key: string): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out = [...new Set(list.map((x) => (isObject(x) ? x[key] : undefined)).filter(isText))];
  return out.length ? out : undefined;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** A field's value in a normalized-v1 object (derived fields computed, paths walked). */
export function readField(def: FieldDef, normalized: Record<string, unknown>): unknown {
  if (def.derive) return def.derive(normalized);
  let cur: unknown = normalized;
  for (const part of def.path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

const EMPTY = '—';

/** `2 GiB`, `1.5 TiB`, `512 B`: binary units, at most one decimal, no trailing `.0`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let x = n;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  const s = x >= 100 || i === 0 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, '');
  return `${s} ${units[i]}`;
}

/** `2.3 GHz` from 2300 (MHz), `800 MHz` below a gigahertz. */
export function formatMhz(mhz: number): string {
  if (mhz < 1000) return `${Math.round(mhz)} MHz`;
  return `${(mhz / 1000).toFixed(1).replace(/\.0$/, '')} GHz`;
}

const toNumber = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/**
 * One value as a person reads it, in a locale: units applied, enums and booleans translated (an unknown
 * enum value is shown as it came, never hidden), lists joined, tables summarised ("2 disks").
 * Missing values are "—".
 */
export function formatField(def: FieldDef, value: unknown, locale: Locale): string {
  if (value === null || value === undefined || value === '') return EMPTY;
  if (Array.isArray(value) && value.length === 0) return EMPTY;
  switch (def.type) {
    case 'bytes': {
      const n = toNumber(value);
      return n === null ? String(value) : formatBytes(n);
    }
    case 'mhz': {
      const n = toNumber(value);
      return n === null ? String(value) : formatMhz(n);
    }
    case 'count':
    case 'number': {
      const n = toNumber(value);
      return n === null ? String(value) : n.toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en-US');
    }
    case 'cpu': {
      if (!isObject(value)) return String(value);
      const count = toNumber(value.count);
      const mhz = toNumber(value.mhz);
      if (count === null) return EMPTY;
      return mhz === null ? String(count) : `${count} × ${formatMhz(mhz)}`;
    }
    case 'boolean':
    case 'enum':
      return valueLabel(def, value, locale) ?? String(value);
    case 'list':
      return Array.isArray(value) ? value.map(String).join(', ') : String(value);
    case 'table': {
      if (!Array.isArray(value)) return String(value);
      return tableSummary(def, value.length, locale);
    }
    case 'datetime': {
      const d = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(d.getTime())
        ? String(value)
        : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    }
    case 'date': {
      const d = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().slice(0, 10);
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

const TABLE_NOUNS: Record<string, Label> = {
  disks: L('{n} disk(s)', '{n} 块磁盘'),
  nics: L('{n} adapter(s)', '{n} 块网卡'),
  datastores: L('{n} datastore(s)', '{n} 个数据存储'),
};

function tableSummary(def: FieldDef, n: number, locale: Locale): string {
  const noun = TABLE_NOUNS[def.key]?.[locale] ?? `{n} × ${def.label[locale]}`;
  return noun.replace('{n}', String(n));
}

/** A change as history shows it: "Memory 2 GiB → 16 GiB". */
export function formatChange(path: string, from: unknown, to: unknown, locale: Locale): string {
  const def = fieldByPath(path);
  if (!def) return `${path} ${String(from ?? EMPTY)} → ${String(to ?? EMPTY)}`;
  return `${def.label[locale]} ${formatField(def, from, locale)} → ${formatField(def, to, locale)}`;
}

/** Fields that make sense as list columns for the given kinds (the column chooser's choices). */
export function listableFields(fields: readonly FieldDef[] = OBSERVED_FIELDS): FieldDef[] {
  return fields.filter((f) => f.listable);
}

/** The value an asset list row shows for a field: its denormalized column, else its canonical value. */
export function rowValue(
  def: FieldDef,
  row: Record<string, unknown>,
  normalized: Record<string, unknown>,
): unknown {
  if (def.key in row && row[def.key] !== undefined) return row[def.key];
  return readField(def, normalized);
}
