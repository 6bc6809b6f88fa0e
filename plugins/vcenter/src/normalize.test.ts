// Normalization rules that the simulator does not exercise: serial junk values, management IP fallbacks,
// datastore totals without shared file systems, absent-not-empty.
import { describe, expect, it } from 'vitest';
import {
  MAX_BYTES,
  hostSerial,
  isJunkSerial,
  measure,
  normalizeHost,
  normalizeVm,
  type Props,
} from './normalize';
import { parseXml, type XmlNode } from './soap/xml';

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const node = (xml: string): XmlNode => parseXml(xml.replace(/^<(\w+)/, `<$1 ${XSI}`));
const ident = (key: string, value: string) =>
  `<otherIdentifyingInfo><identifierValue>${value}</identifierValue><identifierType><key>${key}</key></identifierType></otherIdentifyingInfo>`;

describe('host serial number', () => {
  it('treats firmware placeholders as junk', () => {
    for (const junk of [
      'To be filled by O.E.M.',
      'Default string',
      'N/A',
      'None',
      '0000000',
      'System Serial Number',
      ' ',
      'Not Specified',
    ]) {
      expect(isJunkSerial(junk)).toBe(true);
    }
    for (const ok of ['7XK2Q53', 'CZ1234ABCD', 'VMware-42 1a 2b']) expect(isJunkSerial(ok)).toBe(false);
  });

  it('prefers systemInfo.serialNumber, then SerialNumberTag, ServiceTag, EnclosureSerialNumberTag', () => {
    expect(hostSerial(node('<v><serialNumber>ABC123</serialNumber></v>'), undefined)).toBe('ABC123');
    const infos =
      ident('EnclosureSerialNumberTag', 'ENC-1') +
      ident('ServiceTag', 'SVC-1') +
      ident('SerialNumberTag', 'Default string');
    expect(
      hostSerial(node(`<v><serialNumber>To be filled by O.E.M.</serialNumber>${infos}</v>`), undefined),
    ).toBe('SVC-1');
    expect(hostSerial(undefined, node(`<v>${ident('EnclosureSerialNumberTag', 'ENC-9')}</v>`))).toBe('ENC-9');
    expect(hostSerial(node(`<v>${ident('AssetTag', 'A-1')}</v>`), undefined)).toBeUndefined();
  });
});

const vnic = (device: string, portgroup: string, ip: string) =>
  `<HostVirtualNic><device>${device}</device><portgroup>${portgroup}</portgroup><spec><ip><ipAddress>${ip}</ipAddress></ip></spec></HostVirtualNic>`;

describe('host management IP', () => {
  const mgmt = (vnics: string) =>
    normalizeHost(
      new Map([['config.network.vnic', node(`<val xsi:type="ArrayOfHostVirtualNic">${vnics}</val>`)]]),
      {},
      new Map(),
      undefined,
    ).network?.management_ip;

  it('is vmk0, else a vmk on a Management portgroup, else the first IPv4', () => {
    expect(mgmt(vnic('vmk1', 'vMotion', '10.0.1.1') + vnic('vmk0', 'Mgmt', '10.0.0.1'))).toBe('10.0.0.1');
    expect(mgmt(vnic('vmk1', 'vMotion', '10.0.1.1') + vnic('vmk2', 'Management Network', '10.0.9.9'))).toBe(
      '10.0.9.9',
    );
    expect(mgmt(vnic('vmk3', 'storage', 'fe80::1') + vnic('vmk4', 'storage', '10.0.3.3'))).toBe('10.0.3.3');
  });
});

describe('datastore total', () => {
  it('excludes NFS, NFS41 and vSAN datastores', () => {
    const props: Props = new Map([
      [
        'datastore',
        node(
          '<val xsi:type="ArrayOfManagedObjectReference">' +
            ['ds-1', 'ds-2', 'ds-3', 'ds-4']
              .map((d) => `<ManagedObjectReference type="Datastore">${d}</ManagedObjectReference>`)
              .join('') +
            '</val>',
        ),
      ],
    ]);
    const ds = new Map([
      ['ds-1', { name: 'vmfs', type: 'VMFS', capacity: '100', free: '10' }],
      ['ds-2', { name: 'nfs', type: 'NFS', capacity: '1000' }],
      ['ds-3', { name: 'vsan', type: 'vsan', capacity: '10000' }],
      ['ds-4', { name: 'nfs41', type: 'NFS41', capacity: '100000' }],
    ]);
    const n = normalizeHost(props, {}, ds, undefined);
    expect(n.storage?.datastore_total_bytes).toBe(100);
    expect(n.storage?.datastores).toHaveLength(4);
  });
});

describe('absent stays absent', () => {
  it('an object with no properties normalizes to nothing at all', () => {
    expect(normalizeVm(new Map(), {}, new Map(), undefined)).toEqual({});
    expect(normalizeHost(new Map(), {}, new Map(), undefined)).toEqual({});
  });

  it('blank strings are not values', () => {
    const n = normalizeVm(
      new Map([
        ['name', node('<val xsi:type="xsd:string">app01</val>')],
        ['guest.hostName', node('<val xsi:type="xsd:string">  </val>')],
        ['guest.toolsVersion', node('<val xsi:type="xsd:string">0</val>')],
      ]),
      {},
      new Map(),
      undefined,
    );
    expect(n).toEqual({ identity: { caption: 'app01' } });
  });
});

describe('sentinels and impossible values', () => {
  const BYTES = { max: MAX_BYTES, zeroIsUnknown: true };
  it('-1 and a 0 that means unknown become absent without a report; impossible values are reported', () => {
    const reports: [string, string][] = [];
    const report = (p: string, v: string) => reports.push([p, v]);
    expect(measure('-1', 'a', report, BYTES)).toBeUndefined();
    expect(measure('0', 'b', report, BYTES)).toBeUndefined();
    expect(measure('0', 'c', report, { ...BYTES, zeroIsUnknown: false })).toBe(0);
    expect(measure('2048', 'd', report, { ...BYTES, scale: 1024 })).toBe(2 ** 21);
    expect(reports).toEqual([]);
    expect(measure('-5', 'e', report, BYTES)).toBeUndefined();
    expect(measure('NaN', 'f', report, BYTES)).toBeUndefined();
    expect(measure('Infinity', 'g', report, BYTES)).toBeUndefined();
    expect(measure(String(2n ** 70n), 'h', report, BYTES)).toBeUndefined();
    expect(measure('12abc', 'i', report, BYTES)).toBeUndefined();
    expect(reports.map((r) => r[0])).toEqual(['e', 'f', 'g', 'h', 'i']);
  });

  it('a host: negative free space and sentinel sizes are absent on that datastore only, and reported', () => {
    const props: Props = new Map([
      [
        'datastore',
        node(
          '<val xsi:type="ArrayOfManagedObjectReference">' +
            ['ds-1', 'ds-2']
              .map((d) => `<ManagedObjectReference type="Datastore">${d}</ManagedObjectReference>`)
              .join('') +
            '</val>',
        ),
      ],
      [
        'summary.hardware',
        node('<v><memorySize>-1</memorySize><numCpuCores>0</numCpuCores><cpuMhz>NaN</cpuMhz></v>'),
      ],
    ]);
    const ds = new Map([
      ['ds-1', { name: 'over', type: 'VMFS', capacity: '100', free: '-7' }],
      ['ds-2', { name: 'ok', type: 'VMFS', capacity: '50', free: '5' }],
    ]);
    const reports: [string, string][] = [];
    const n = normalizeHost(props, {}, ds, undefined, (p, v) => reports.push([p, v]));
    expect(n.storage?.datastores).toEqual([
      { name: 'over', type: 'VMFS', capacity_bytes: 100 },
      { name: 'ok', type: 'VMFS', capacity_bytes: 50, free_bytes: 5 },
    ]);
    expect(n.hardware).toBeUndefined();
    expect(reports).toEqual([
      ['hardware.cpu_mhz', 'NaN'],
      ['storage.datastores.0.free_bytes', '-7'],
    ]);
  });
});

describe('VM used space and annotation', () => {
  const vm = (entries: [string, string][], report?: (p: string, v: string) => void) =>
    normalizeVm(new Map(entries.map(([k, xml]) => [k, node(xml)])), {}, new Map(), undefined, report);

  it('summary.storage gives committed and uncommitted bytes; 0 is a value, -1 is absent', () => {
    const n = vm([
      ['summary.storage.committed', '<val xsi:type="xsd:long">42949672960</val>'],
      ['summary.storage.uncommitted', '<val xsi:type="xsd:long">0</val>'],
    ]);
    expect(n.storage).toEqual({ committed_bytes: 42949672960, uncommitted_bytes: 0 });
    expect(vm([['summary.storage.committed', '<val xsi:type="xsd:long">-1</val>']]).storage).toBeUndefined();
  });

  it('an impossible size is reported, not stored', () => {
    const reports: string[] = [];
    const n = vm([['summary.storage.committed', '<val xsi:type="xsd:long">-7</val>']], (p) =>
      reports.push(p),
    );
    expect(n.storage).toBeUndefined();
    expect(reports).toEqual(['storage.committed_bytes']);
  });

  it('config.annotation is the annotation, multi-line and CJK kept; a blank one is absent', () => {
    const n = vm([['config.annotation', '<val xsi:type="xsd:string">Owner: 张伟\nTicket &amp; CHG-1</val>']]);
    expect(n.annotation).toBe('Owner: 张伟\nTicket & CHG-1');
    expect(vm([['config.annotation', '<val xsi:type="xsd:string">  </val>']]).annotation).toBeUndefined();
  });
});
