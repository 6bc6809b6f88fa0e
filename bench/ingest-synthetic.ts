// Synthetic collector responses shaped like the vCenter plugin's (for the ingest benchmark and tests). The raw
// payloads have the plugin's property names and sizes (≈4.5 KB per VM, ≈6.5 KB per host, as collected from
// the simulator): the ingest stores, hashes and compresses them, so a toy payload would flatter it.
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
  /** Raw payloads of a few properties (≈250 bytes) instead of the plugin's full property set. */
  compactRaw?: boolean;
  /** Index of the first VM (default 0): estates with different offsets share the VMs their ranges share. */
  firstVm?: number;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const uuidOf = (prefix: string, n: number) => `${prefix}${hex(n, 4)}-0000-4000-8000-${hex(n, 12)}`;

const mo = (type: string, value: string) => ({ type, value });
const desc = (label: string, summary = label) => ({ _type: 'Description', label, summary });

/** A VM's raw payload as the plugin returns it: the retrieved properties by path, devices included. */
function vmRaw(i: number, h: number, name: string, mac: string): Record<string, unknown> {
  const disk = (k: number) => ({
    _type: 'VirtualDisk',
    key: String(2000 + k),
    deviceInfo: desc(`Hard disk ${k + 1}`, '67,108,864 KB'),
    backing: {
      _type: 'VirtualDiskFlatVer2BackingInfo',
      fileName: `[ds-${h % 20}] ${name}/${name}${k ? `_${k}` : ''}.vmdk`,
      datastore: mo('Datastore', `datastore-${h % 20}`),
      diskMode: 'persistent',
      split: 'false',
      writeThrough: 'false',
      thinProvisioned: 'true',
      eagerlyScrub: 'false',
      uuid: uuidOf('6000', i * 4 + k),
      digestEnabled: 'false',
    },
    controllerKey: '1000',
    unitNumber: String(k),
    capacityInKB: '67108864',
    capacityInBytes: '68719476736',
  });
  return {
    _moref: `vm-${i}`,
    _type: 'VirtualMachine',
    name,
    parent: mo('Folder', 'group-v3'),
    resourcePool: mo('ResourcePool', `resgroup-${h % 20}`),
    'config.uuid': uuidOf('4200', i),
    'config.instanceUuid': uuidOf('5000', i),
    'config.template': 'false',
    'config.hardware.numCPU': '4',
    'config.hardware.numCoresPerSocket': '1',
    'config.hardware.memoryMB': '8192',
    'config.hardware.device': [
      { _type: 'VirtualIDEController', key: '200', deviceInfo: desc('IDE 0'), busNumber: '0' },
      { _type: 'VirtualIDEController', key: '201', deviceInfo: desc('IDE 1'), busNumber: '1' },
      {
        _type: 'VirtualPS2Controller',
        key: '300',
        deviceInfo: desc('PS2 controller 0'),
        busNumber: '0',
        device: ['600', '700'],
      },
      {
        _type: 'VirtualPCIController',
        key: '100',
        deviceInfo: desc('PCI controller 0'),
        busNumber: '0',
        device: ['500', '12000', '1000', '4000'],
      },
      { _type: 'VirtualSIOController', key: '400', deviceInfo: desc('SIO controller 0'), busNumber: '0' },
      {
        _type: 'VirtualKeyboard',
        key: '600',
        deviceInfo: desc('Keyboard'),
        controllerKey: '300',
        unitNumber: '0',
      },
      {
        _type: 'VirtualPointingDevice',
        key: '700',
        deviceInfo: desc('Pointing device', 'Pointing device; Device'),
        controllerKey: '300',
        unitNumber: '1',
      },
      {
        _type: 'VirtualMachineVideoCard',
        key: '500',
        deviceInfo: desc('Video card'),
        controllerKey: '100',
        unitNumber: '0',
        videoRamSizeInKB: '4096',
        numDisplays: '1',
        useAutoDetect: 'false',
        enable3DSupport: 'false',
        use3dRenderer: 'automatic',
        graphicsMemorySizeInKB: '262144',
      },
      {
        _type: 'VirtualMachineVMCIDevice',
        key: '12000',
        deviceInfo: desc(
          'VMCI device',
          'Device on the virtual machine PCI bus that provides support for the virtual machine communication interface',
        ),
        controllerKey: '100',
        unitNumber: '17',
        id: String(1000000 + i),
        allowUnrestrictedCommunication: 'false',
        filterEnable: 'true',
      },
      {
        _type: 'ParaVirtualSCSIController',
        key: '1000',
        deviceInfo: desc('SCSI controller 0', 'VMware paravirtual SCSI'),
        busNumber: '0',
        sharedBus: 'noSharing',
        scsiCtlrUnitNumber: '7',
        device: ['2000'],
      },
      {
        _type: 'VirtualCdrom',
        key: '3002',
        deviceInfo: desc('CD/DVD drive 1', 'Remote device'),
        backing: {
          _type: 'VirtualCdromRemotePassthroughBackingInfo',
          deviceName: '',
          useAutoDetect: 'false',
          exclusive: 'false',
        },
        connectable: {
          startConnected: 'false',
          allowGuestControl: 'true',
          connected: 'false',
          status: 'untried',
        },
        controllerKey: '201',
        unitNumber: '0',
      },
      disk(0),
      {
        _type: 'VirtualVmxnet3',
        key: '4000',
        deviceInfo: desc('Network adapter 1', 'VM Network'),
        backing: {
          _type: 'VirtualEthernetCardNetworkBackingInfo',
          deviceName: 'VM Network',
          useAutoDetect: 'false',
          network: mo('Network', 'network-7'),
        },
        connectable: { startConnected: 'true', allowGuestControl: 'true', connected: 'true', status: 'ok' },
        slotInfo: { _type: 'VirtualDevicePciBusSlotInfo', pciSlotNumber: '192' },
        controllerKey: '100',
        unitNumber: '7',
        addressType: 'assigned',
        macAddress: mac,
        wakeOnLanEnabled: 'true',
        uptCompatibilityEnabled: 'true',
      },
    ],
    'guest.hostName': `srv-${i}.corp.example`,
    'guest.guestFullName': 'Ubuntu Linux (64-bit)',
    'guest.guestId': 'ubuntu64Guest',
    'guest.ipAddress': `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
    'guest.net': [
      {
        network: 'VM Network',
        ipAddress: [
          `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
          `fe80::250:56ff:fe${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`,
        ],
        macAddress: mac,
        connected: 'true',
        deviceConfigId: '4000',
      },
    ],
    'guest.toolsRunningStatus': 'guestToolsRunning',
    'guest.toolsStatus': 'toolsOk',
    'guest.toolsVersion': '12352',
    'runtime.powerState': 'poweredOn',
    'runtime.connectionState': 'connected',
    'runtime.host': mo('HostSystem', `host-${h}`),
  };
}

/** A host's raw payload as the plugin returns it (hardware, product, network, storage devices). */
function hostRaw(h: number, cluster: number): Record<string, unknown> {
  const lun = (k: number) => ({
    _type: 'HostScsiDisk',
    deviceName: `/vmfs/devices/disks/naa.6000c29${hex(h, 6)}${hex(k, 10)}`,
    deviceType: 'disk',
    key: `key-vim.host.ScsiDisk-0200${hex(k, 2)}0000600c29${hex(h, 6)}`,
    uuid: `0200${hex(k, 2)}0000600c29${hex(h, 6)}${hex(k, 10)}566972747561`,
    canonicalName: `naa.6000c29${hex(h, 6)}${hex(k, 10)}`,
    displayName: `Local VMware Disk (naa.6000c29${hex(h, 6)}${hex(k, 10)})`,
    lunType: 'disk',
    vendor: 'VMware  ',
    model: 'Virtual disk    ',
    revision: '2.0 ',
    scsiLevel: '6',
    serialNumber: 'unavailable',
    capacity: { _type: 'HostDiskDimensionsLba', blockSize: '512', block: '1875385008' },
    operationalState: ['ok'],
    localDisk: 'true',
    ssd: 'true',
  });
  return {
    _moref: `host-${h}`,
    _type: 'HostSystem',
    name: `esx-${h}.corp.example`,
    parent: mo('ClusterComputeResource', `domain-c${cluster}`),
    'summary.hardware': {
      _type: 'HostHardwareSummary',
      vendor: 'Dell Inc.',
      model: 'PowerEdge R750',
      uuid: uuidOf('4c4c', h),
      memorySize: '1099511627776',
      cpuModel: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
      cpuMhz: '2000',
      numCpuPkgs: '2',
      numCpuCores: '64',
      numCpuThreads: '128',
      numNics: '4',
      numHBAs: '3',
    },
    'hardware.systemInfo': {
      _type: 'HostSystemInfo',
      vendor: 'Dell Inc.',
      model: 'PowerEdge R750',
      uuid: uuidOf('4c4c', h),
      otherIdentifyingInfo: [
        {
          identifierValue: ' No Asset Tag',
          identifierType: { label: 'Asset Tag', summary: 'Asset tag of the system', key: 'AssetTag' },
        },
        {
          identifierValue: `SN${hex(h, 8).toUpperCase()}`,
          identifierType: { label: 'Service tag', summary: 'Service tag of the system', key: 'ServiceTag' },
        },
        {
          identifierValue: `SN${hex(h, 8).toUpperCase()}`,
          identifierType: {
            label: 'Enclosure serial number tag',
            summary: 'Enclosure serial number tag',
            key: 'EnclosureSerialNumberTag',
          },
        },
      ],
      serialNumber: `SN${hex(h, 8).toUpperCase()}`,
    },
    'summary.config.product': {
      _type: 'AboutInfo',
      name: 'VMware ESXi',
      fullName: 'VMware ESXi 8.0.2 build-22380479',
      vendor: 'VMware, Inc.',
      version: '8.0.2',
      build: '22380479',
      localeVersion: 'INTL',
      localeBuild: '000',
      osType: 'vmnix-x86',
      productLineId: 'embeddedEsx',
      apiType: 'HostAgent',
      apiVersion: '8.0.2.0',
      licenseProductName: 'VMware ESX Server',
      licenseProductVersion: '8.0',
    },
    'runtime.connectionState': 'connected',
    'runtime.powerState': 'poweredOn',
    'runtime.inMaintenanceMode': 'false',
    'config.network.vnic': [
      {
        device: 'vmk0',
        key: 'key-vim.host.VirtualNic-vmk0',
        portgroup: 'Management Network',
        spec: {
          ip: { dhcp: 'false', ipAddress: `10.0.${h >> 8}.${h & 255}`, subnetMask: '255.255.0.0' },
          mac: `00:1b:21:${hex(h >> 8, 2)}:${hex(h & 255, 2)}:00`,
          mtu: '1500',
        },
      },
    ],
    'config.storageDevice.scsiLun': [0, 1, 2, 3, 4, 5].map(lun),
    datastore: [mo('Datastore', `datastore-${cluster}`), mo('Datastore', `datastore-local-${h}`)],
  };
}

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
      raw_payload: e.compactRaw
        ? { _moref: `host-${h}`, 'summary.hardware': { uuid: uuidOf('4c4c', h), numCpuCores: '64' } }
        : hostRaw(h, cluster),
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
  const first = e.firstVm ?? 0;
  for (let i = first; i < first + e.vms; i++) {
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
      raw_payload: e.compactRaw
        ? {
            _moref: `vm-${i}`,
            name: `vm-${i}${changed}`,
            'config.uuid': uuidOf('4200', i),
            'config.instanceUuid': uuidOf('5000', i),
            'config.hardware.numCPU': '4',
            'config.hardware.memoryMB': '8192',
            'runtime.host': mo('HostSystem', `host-${h}`),
            'runtime.powerState': 'poweredOn',
          }
        : vmRaw(i, h, `vm-${i}${changed}`, mac),
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
