// vSphere properties → normalized-v1 (DESIGN §6). A field the source does not report stays absent:
// no empty strings, no zeros standing in for "unknown". vSphere's sentinels (-1, and 0 where a size or
// count cannot really be zero) mean "unknown" and become absent silently; a value that cannot be right
// (a negative size, NaN-like text, a size beyond 1 EiB) becomes absent too and is reported through
// `Report`, so the run carries a FIELD_INVALID warning naming the object, the field and the value.
import type { NormalizedV1 } from '../../../src/collector/contract';
import { child, type XmlNode } from './soap/xml';

export type Props = Map<string, XmlNode>;

// ---------------------------------------------------------------- value helpers

/** Text of a nested child path, or undefined when absent or blank. */
export function txt(node: XmlNode | undefined, ...path: string[]): string | undefined {
  let n = node;
  for (const p of path) n = child(n, p);
  const t = n?.text.trim();
  return t ? t : undefined;
}

/**
 * A managed entity's name as the vSphere Client shows it. vCenter escapes three characters in names (the
 * `name` property of VMs, hosts, clusters, folders, pools, datastores, networks): '/' as %2f, a backslash as %5c
 * and '%' as %25, so a VM named "web/db" is "web%2fdb" in the API.
 */
export function entityName(node: XmlNode | undefined, ...path: string[]): string | undefined {
  return txt(node, ...path)?.replace(/%(2f|5c|25)/gi, (e) => decodeURIComponent(e));
}

export function num(node: XmlNode | undefined, ...path: string[]): number | undefined {
  const t = txt(node, ...path);
  if (t === undefined) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

export function bool(node: XmlNode | undefined, ...path: string[]): boolean | undefined {
  const t = txt(node, ...path);
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/** Items of an array-valued property: ArrayOfX children, or the repeated elements themselves. */
export function items(node: XmlNode | undefined): XmlNode[] {
  if (!node) return [];
  if (node.xsiType?.startsWith('ArrayOf')) return node.children;
  return [node];
}

export function allNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

/** Reports a value that was dropped as impossible: field path (e.g. `hardware.disks.0.size_bytes`), text. */
export type Report = (path: string, value: string) => void;

/** No datastore, disk or host memory is larger than 1 EiB: beyond that a size is garbage (2^70 …). */
export const MAX_BYTES = 2 ** 60;
const MAX_COUNT = 2 ** 31 - 1;
const NUMERIC = /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/;

interface Measure {
  /** Multiplied in before the range check (MB → bytes). */
  scale?: number;
  max: number;
  /** 0 is vSphere's "unknown" here (a host with 0 CPUs is a disconnected host, not a small one). */
  zeroIsUnknown: boolean;
}

/**
 * A numeric property as normalized-v1 wants it: a non-negative safe integer, or absent. -1 (and 0 when it
 * means unknown) are sentinels; anything else out of range is reported and dropped.
 */
export function measure(
  raw: string | undefined,
  path: string,
  report: Report | undefined,
  m: Measure,
): number | undefined {
  if (raw === undefined) return undefined;
  const v = NUMERIC.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(v)) {
    report?.(path, raw);
    return undefined;
  }
  if (v === -1 || (v === 0 && m.zeroIsUnknown)) return undefined;
  const scaled = Math.round(v * (m.scale ?? 1));
  if (v < 0 || scaled > m.max || !Number.isSafeInteger(scaled)) {
    report?.(path, raw);
    return undefined;
  }
  return scaled;
}

const COUNT: Measure = { max: MAX_COUNT, zeroIsUnknown: true };
const BYTES: Measure = { max: MAX_BYTES, zeroIsUnknown: true };
const BYTES_OR_ZERO: Measure = { max: MAX_BYTES, zeroIsUnknown: false };
const COUNT_OR_ZERO: Measure = { max: MAX_COUNT, zeroIsUnknown: false };

/** Drops undefined values and empty sections so absent stays absent. */
function compact<T extends Record<string, unknown>>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = v;
  }
  return Object.keys(out).length ? (out as T) : undefined;
}

function section<K extends keyof NormalizedV1>(
  n: NormalizedV1,
  key: K,
  value: NormalizedV1[K] | undefined,
): void {
  if (value !== undefined) n[key] = value;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

const POWER = new Set(['poweredOn', 'poweredOff', 'suspended']);
const powerState = (s: string | undefined) =>
  s && POWER.has(s) ? (s as 'poweredOn' | 'poweredOff' | 'suspended') : undefined;

// ---------------------------------------------------------------- placement context

export interface Placement {
  datacenter?: string;
  cluster?: string;
  folder?: string;
  resource_pool?: string;
}

// ---------------------------------------------------------------- hosts

/** Serial number values that firmware ships as placeholders. */
const JUNK_SERIAL =
  /^(to be filled by o\.?e\.?m\.?|default string|n\/?a|na|none|null|not specified|not applicable|system serial number|chassis serial number|serial number|unknown|invalid|0+|x+|1234567890?|123456789|\.+|-+|\s*)$/i;

export const isJunkSerial = (v: string | undefined): boolean => v === undefined || JUNK_SERIAL.test(v.trim());

const SERIAL_TAGS = ['SerialNumberTag', 'ServiceTag', 'EnclosureSerialNumberTag'];

/** serial = hardware.systemInfo.serialNumber, else otherIdentifyingInfo by tag preference, skipping junk. */
export function hostSerial(
  systemInfo: XmlNode | undefined,
  hwSummary: XmlNode | undefined,
): string | undefined {
  const direct = txt(systemInfo, 'serialNumber');
  if (!isJunkSerial(direct)) return direct;
  const infos = [
    ...allNamed(systemInfo, 'otherIdentifyingInfo'),
    ...allNamed(hwSummary, 'otherIdentifyingInfo'),
  ];
  for (const tag of SERIAL_TAGS) {
    for (const info of infos) {
      if (txt(info, 'identifierType', 'key') !== tag) continue;
      const v = txt(info, 'identifierValue');
      if (!isJunkSerial(v)) return v;
    }
  }
  return undefined;
}

const isIPv4 = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

/** A datastore's summary as read; sizes stay text until a host's normalization checks them. */
export interface DatastoreInfo {
  name?: string;
  type?: string;
  capacity?: string;
  free?: string;
}

/** Datastore types that are not the host's own block storage: excluded from datastore_total_bytes. */
const SHARED_FILE_TYPES = new Set(['nfs', 'nfs41', 'vsan']);

export function normalizeHost(
  props: Props,
  placement: Placement,
  datastores: Map<string, DatastoreInfo>,
  tags: string[] | undefined,
  report?: Report,
): NormalizedV1 {
  const n: NormalizedV1 = {};
  const hw = props.get('summary.hardware');
  const sys = props.get('hardware.systemInfo');
  const product = props.get('summary.config.product');
  const dns = props.get('config.network.dnsConfig');
  const uuid = txt(sys, 'uuid') ?? txt(hw, 'uuid');
  const dnsHost = txt(dns, 'hostName');
  const dnsDomain = txt(dns, 'domainName');
  section(
    n,
    'identity',
    compact({
      caption: entityName(props.get('name')),
      hostname: dnsHost ? (dnsDomain ? `${dnsHost}.${dnsDomain}` : dnsHost) : undefined,
      machine_uuid: uuid,
      bios_uuid: uuid,
      serial_number: hostSerial(sys, hw),
      vendor: txt(sys, 'vendor') ?? txt(hw, 'vendor'),
      model: txt(sys, 'model') ?? txt(hw, 'model'),
    }),
  );

  // Network: every vmk address; management = vmk0, else a vmk on a "Management" portgroup, else first IPv4.
  const vnics = items(props.get('config.network.vnic'));
  const vmk = vnics.map((v) => ({
    device: txt(v, 'device'),
    portgroup: txt(v, 'portgroup'),
    ip: txt(v, 'spec', 'ip', 'ipAddress'),
    ip6: allNamed(child(child(child(v, 'spec'), 'ip'), 'ipV6Config'), 'ipV6Address')
      .map((a) => txt(a, 'ipAddress'))
      .filter((x): x is string => !!x),
    mac: txt(v, 'spec', 'mac'),
  }));
  const ips = uniq(vmk.flatMap((v) => [...(v.ip ? [v.ip] : []), ...v.ip6]));
  const management =
    vmk.find((v) => v.device === 'vmk0' && v.ip)?.ip ??
    vmk.find((v) => v.ip && /management/i.test(v.portgroup ?? ''))?.ip ??
    ips.find(isIPv4);
  const pnics = items(props.get('config.network.pnic'));
  const macs = uniq(
    [...pnics.map((p) => txt(p, 'mac')), ...vmk.map((v) => v.mac)]
      .filter((m): m is string => !!m)
      .map((m) => m.toLowerCase()),
  );
  section(
    n,
    'network',
    compact({
      ip_addresses: props.has('config.network.vnic') ? ips : undefined,
      mac_addresses: macs.length ? macs : undefined,
      management_ip: management,
    }),
  );

  section(
    n,
    'os',
    compact({
      name: txt(product, 'name'),
      version: txt(product, 'version'),
      build: txt(product, 'build'),
      fingerprint: txt(product, 'fullName'),
    }),
  );

  // Local disks: SCSI LUNs of type disk that the host marks local.
  const luns = items(props.get('config.storageDevice.scsiLun')).filter(
    (l) => txt(l, 'lunType') === 'disk' && bool(l, 'localDisk') === true,
  );
  const disks = luns.map((l, i) => {
    const path = `hardware.disks.${i}.size_bytes`;
    const blocks = measure(txt(l, 'capacity', 'block'), path, report, BYTES);
    const blockSize = measure(txt(l, 'capacity', 'blockSize'), path, report, BYTES);
    const ssd = bool(l, 'ssd');
    return compact({
      name: txt(l, 'displayName') ?? txt(l, 'canonicalName') ?? 'disk',
      size_bytes:
        blocks !== undefined && blockSize !== undefined
          ? measure(String(blocks * blockSize), path, report, BYTES)
          : undefined,
      type: ssd === undefined ? undefined : ssd ? 'ssd' : 'hdd',
    })!;
  });
  const nics = pnics.map((p) =>
    compact({
      name: txt(p, 'device') ?? 'nic',
      mac: txt(p, 'mac')?.toLowerCase(),
      connected: child(p, 'linkSpeed') ? true : props.has('config.network.pnic') ? false : undefined,
    })!,
  );
  section(
    n,
    'hardware',
    compact({
      cpu_count: measure(txt(hw, 'numCpuCores'), 'hardware.cpu_count', report, COUNT),
      cpu_model: txt(hw, 'cpuModel'),
      cpu_mhz: measure(txt(hw, 'cpuMhz'), 'hardware.cpu_mhz', report, COUNT),
      cpu_packages: measure(txt(hw, 'numCpuPkgs'), 'hardware.cpu_packages', report, COUNT),
      cpu_threads: measure(txt(hw, 'numCpuThreads'), 'hardware.cpu_threads', report, COUNT),
      memory_bytes: measure(txt(hw, 'memorySize'), 'hardware.memory_bytes', report, BYTES),
      disks: props.has('config.storageDevice.scsiLun') ? disks : undefined,
      nics: props.has('config.network.pnic') ? nics : undefined,
    }),
  );

  const dsRefs = items(props.get('datastore')).map((d) => d.text);
  // An inaccessible datastore reports capacity 0 (unknown); free space 0 is a full one. Over-committed
  // thin-provisioned datastores can report negative free space: not a size, so dropped and reported.
  const ds = dsRefs
    .map((r) => datastores.get(r))
    .filter((d): d is DatastoreInfo => !!d && !!d.name)
    .map((d, i) => ({
      name: d.name!,
      type: d.type,
      capacity_bytes: measure(d.capacity, `storage.datastores.${i}.capacity_bytes`, report, BYTES),
      free_bytes: measure(d.free, `storage.datastores.${i}.free_bytes`, report, BYTES_OR_ZERO),
    }));
  const dsTotal = ds
    .filter((d) => !SHARED_FILE_TYPES.has((d.type ?? '').toLowerCase()))
    .reduce((s, d) => s + (d.capacity_bytes ?? 0), 0);
  const hasDs = props.has('datastore');
  section(
    n,
    'storage',
    compact({
      local_disk_total_bytes: props.has('config.storageDevice.scsiLun')
        ? disks.reduce((s, d) => s + (d.size_bytes ?? 0), 0)
        : undefined,
      datastores: hasDs ? ds.map((d) => compact({ ...d }) as { name: string }) : undefined,
      datastore_total_bytes: hasDs ? dsTotal : undefined,
    }),
  );

  section(
    n,
    'runtime',
    compact({
      power_state: powerState(txt(props.get('runtime.powerState'))),
      connection_state: txt(props.get('runtime.connectionState')),
      maintenance_mode: bool(props.get('runtime.inMaintenanceMode')),
    }),
  );
  section(n, 'placement', compact({ datacenter: placement.datacenter, cluster: placement.cluster }));
  if (tags) n.tags = tags;
  return n;
}

export function normalizeCluster(
  props: Props,
  placement: Placement,
  tags: string[] | undefined,
  report?: Report,
): NormalizedV1 {
  const n: NormalizedV1 = {};
  const s = props.get('summary');
  section(n, 'identity', compact({ caption: entityName(props.get('name')) }));
  section(
    n,
    'hardware',
    compact({
      // An empty cluster really has 0 cores and 0 bytes.
      cpu_count: measure(txt(s, 'numCpuCores'), 'hardware.cpu_count', report, COUNT_OR_ZERO),
      cpu_threads: measure(txt(s, 'numCpuThreads'), 'hardware.cpu_threads', report, COUNT_OR_ZERO),
      memory_bytes: measure(txt(s, 'totalMemory'), 'hardware.memory_bytes', report, BYTES_OR_ZERO),
    }),
  );
  section(n, 'placement', compact({ datacenter: placement.datacenter, folder: placement.folder }));
  if (tags) n.tags = tags;
  return n;
}

// ---------------------------------------------------------------- virtual machines

const NIC_TYPES = /^Virtual(E1000e?|PCNet32|Vmxnet[23]?|Vmxnet3Vrdma|SriovEthernetCard|EthernetCard)$/;

export function normalizeVm(
  props: Props,
  placement: Placement,
  networks: Map<string, string>,
  tags: string[] | undefined,
  report?: Report,
): NormalizedV1 {
  const n: NormalizedV1 = {};
  const devices = items(props.get('config.hardware.device'));
  const guestNet = items(props.get('guest.net'));

  section(
    n,
    'identity',
    compact({
      caption: entityName(props.get('name')),
      hostname: txt(props.get('guest.hostName')),
      machine_uuid: txt(props.get('config.instanceUuid')),
      bios_uuid: txt(props.get('config.uuid')),
    }),
  );

  const nicDevices = devices.filter(
    (d) => NIC_TYPES.test(d.xsiType ?? '') || (child(d, 'macAddress') && child(d, 'backing')),
  );
  const nics = nicDevices.map((d) => {
    const backing = child(d, 'backing');
    const pgKey = txt(backing, 'port', 'portgroupKey');
    return compact({
      name: txt(d, 'deviceInfo', 'label') ?? `nic-${txt(d, 'key') ?? '?'}`,
      mac: txt(d, 'macAddress')?.toLowerCase(),
      network:
        txt(backing, 'deviceName') ??
        (pgKey ? (networks.get(pgKey) ?? pgKey) : undefined) ??
        txt(backing, 'opaqueNetworkId'),
      connected: bool(d, 'connectable', 'connected'),
    })!;
  });
  const ips = uniq(
    [
      ...guestNet.flatMap((g) => allNamed(g, 'ipAddress').map((a) => a.text.trim())),
      ...(txt(props.get('guest.ipAddress')) ? [txt(props.get('guest.ipAddress'))!] : []),
    ].filter(Boolean),
  );
  const macs = uniq(
    [...nics.map((x) => x.mac), ...guestNet.map((g) => txt(g, 'macAddress')?.toLowerCase())].filter(
      (m): m is string => !!m,
    ),
  );
  section(
    n,
    'network',
    compact({
      ip_addresses: ips.length ? ips : undefined,
      mac_addresses: macs.length ? macs : undefined,
    }),
  );

  section(
    n,
    'os',
    compact({ name: txt(props.get('guest.guestFullName')), fingerprint: txt(props.get('guest.guestId')) }),
  );

  const disks = devices
    .filter((d) => d.xsiType === 'VirtualDisk')
    .map((d, i) => {
      const backing = child(d, 'backing');
      const path = `hardware.disks.${i}.size_bytes`;
      const inBytes = txt(d, 'capacityInBytes');
      const bytes =
        inBytes !== undefined
          ? measure(inBytes, path, report, BYTES)
          : measure(txt(d, 'capacityInKB'), path, report, { ...BYTES, scale: 1024 });
      const thin = bool(backing, 'thinProvisioned');
      const rdm = /RawDiskMapping/.test(backing?.xsiType ?? '');
      return compact({
        name: txt(d, 'deviceInfo', 'label') ?? `disk-${txt(d, 'key') ?? '?'}`,
        size_bytes: bytes,
        type: rdm ? 'rdm' : thin === true ? 'thin' : thin === false ? 'thick' : undefined,
      })!;
    });
  const cpus = measure(txt(props.get('config.hardware.numCPU')), 'hardware.cpu_count', report, COUNT);
  const coresPerSocket = measure(
    txt(props.get('config.hardware.numCoresPerSocket')),
    'hardware.cpu_packages',
    report,
    COUNT,
  );
  section(
    n,
    'hardware',
    compact({
      cpu_count: cpus,
      cpu_packages: cpus && coresPerSocket ? Math.ceil(cpus / coresPerSocket) : undefined,
      memory_bytes: measure(txt(props.get('config.hardware.memoryMB')), 'hardware.memory_bytes', report, {
        ...BYTES,
        scale: 1024 * 1024,
      }),
      disks: props.has('config.hardware.device') ? disks : undefined,
      nics: props.has('config.hardware.device') ? nics : undefined,
    }),
  );

  // Space on the datastores (RVTools' "In Use" and the rest of "Provisioned"): 0 is a real value here.
  section(
    n,
    'storage',
    compact({
      committed_bytes: measure(
        txt(props.get('summary.storage.committed')),
        'storage.committed_bytes',
        report,
        BYTES_OR_ZERO,
      ),
      uncommitted_bytes: measure(
        txt(props.get('summary.storage.uncommitted')),
        'storage.uncommitted_bytes',
        report,
        BYTES_OR_ZERO,
      ),
    }),
  );

  const toolsRunning = txt(props.get('guest.toolsRunningStatus'));
  const toolsVersion = txt(props.get('guest.toolsVersion'));
  section(
    n,
    'runtime',
    compact({
      power_state: powerState(txt(props.get('runtime.powerState'))),
      connection_state: txt(props.get('runtime.connectionState')),
      tools_running: toolsRunning ? toolsRunning === 'guestToolsRunning' : undefined,
      tools_status: txt(props.get('guest.toolsStatus')),
      // "0" is what vSphere reports when Tools were never installed: not a version.
      tools_version: toolsVersion && toolsVersion !== '0' ? toolsVersion : undefined,
    }),
  );
  section(n, 'placement', compact({ ...placement }));
  if (tags) n.tags = tags;
  const template = bool(props.get('config.template'));
  if (template !== undefined) n.template = template;
  const annotation = txt(props.get('config.annotation'));
  if (annotation) n.annotation = annotation;
  return n;
}
