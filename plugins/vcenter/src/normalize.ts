// vSphere properties → normalized-v1 (DESIGN §6). A field the source does not report stays absent:
// no empty strings, no zeros standing in for "unknown".
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

const nonNeg = (v: number | undefined): number | undefined =>
  v !== undefined && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined;

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

export interface DatastoreInfo {
  name?: string;
  type?: string;
  capacity_bytes?: number;
  free_bytes?: number;
}

/** Datastore types that are not the host's own block storage: excluded from datastore_total_bytes. */
const SHARED_FILE_TYPES = new Set(['nfs', 'nfs41', 'vsan']);

export function normalizeHost(
  props: Props,
  placement: Placement,
  datastores: Map<string, DatastoreInfo>,
  tags: string[] | undefined,
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
      caption: txt(props.get('name')),
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
  const disks = luns.map((l) => {
    const blocks = num(l, 'capacity', 'block');
    const size = num(l, 'capacity', 'blockSize');
    const ssd = bool(l, 'ssd');
    return compact({
      name: txt(l, 'displayName') ?? txt(l, 'canonicalName') ?? 'disk',
      size_bytes: nonNeg(blocks !== undefined && size !== undefined ? blocks * size : undefined),
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
      cpu_count: nonNeg(num(hw, 'numCpuCores')),
      cpu_model: txt(hw, 'cpuModel'),
      cpu_mhz: nonNeg(num(hw, 'cpuMhz')),
      cpu_packages: nonNeg(num(hw, 'numCpuPkgs')),
      cpu_threads: nonNeg(num(hw, 'numCpuThreads')),
      memory_bytes: nonNeg(num(hw, 'memorySize')),
      disks: props.has('config.storageDevice.scsiLun') ? disks : undefined,
      nics: props.has('config.network.pnic') ? nics : undefined,
    }),
  );

  const dsRefs = items(props.get('datastore')).map((d) => d.text);
  const ds = dsRefs.map((r) => datastores.get(r)).filter((d): d is DatastoreInfo => !!d && !!d.name);
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
): NormalizedV1 {
  const n: NormalizedV1 = {};
  const s = props.get('summary');
  section(n, 'identity', compact({ caption: txt(props.get('name')) }));
  section(
    n,
    'hardware',
    compact({
      cpu_count: nonNeg(num(s, 'numCpuCores')),
      cpu_threads: nonNeg(num(s, 'numCpuThreads')),
      memory_bytes: nonNeg(num(s, 'totalMemory')),
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
): NormalizedV1 {
  const n: NormalizedV1 = {};
  const devices = items(props.get('config.hardware.device'));
  const guestNet = items(props.get('guest.net'));

  section(
    n,
    'identity',
    compact({
      caption: txt(props.get('name')),
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
    .map((d) => {
      const backing = child(d, 'backing');
      const bytes =
        num(d, 'capacityInBytes') ??
        ((kb) => (kb === undefined ? undefined : kb * 1024))(num(d, 'capacityInKB'));
      const thin = bool(backing, 'thinProvisioned');
      const rdm = /RawDiskMapping/.test(backing?.xsiType ?? '');
      return compact({
        name: txt(d, 'deviceInfo', 'label') ?? `disk-${txt(d, 'key') ?? '?'}`,
        size_bytes: nonNeg(bytes),
        type: rdm ? 'rdm' : thin === true ? 'thin' : thin === false ? 'thick' : undefined,
      })!;
    });
  const memMb = num(props.get('config.hardware.memoryMB'));
  const cpus = num(props.get('config.hardware.numCPU'));
  const coresPerSocket = num(props.get('config.hardware.numCoresPerSocket'));
  section(
    n,
    'hardware',
    compact({
      cpu_count: nonNeg(cpus),
      cpu_packages: cpus && coresPerSocket ? nonNeg(Math.ceil(cpus / coresPerSocket)) : undefined,
      memory_bytes: nonNeg(memMb === undefined ? undefined : memMb * 1024 * 1024),
      disks: props.has('config.hardware.device') ? disks : undefined,
      nics: props.has('config.hardware.device') ? nics : undefined,
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
  return n;
}
