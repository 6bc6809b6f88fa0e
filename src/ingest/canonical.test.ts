import { describe, expect, it } from 'vitest';
import {
  canonicalHash,
  diffNormalized,
  identityKey,
  mergeCanonical,
  normalizeMac,
  searchColumns,
  singleSourceCanonicalJson,
  stableStringify,
} from './canonical';

describe('canonical view', () => {
  const a = {
    sourceId: 'src-a',
    runId: 'run-a',
    collectedAt: '2026-06-01T00:00:00.000Z',
    normalized: {
      identity: { caption: 'web-01', serial_number: 'SN1' },
      network: { ip_addresses: ['10.0.0.1'] },
    },
  };
  const b = {
    sourceId: 'src-b',
    runId: 'run-b',
    collectedAt: '2026-06-02T00:00:00.000Z',
    normalized: { identity: { caption: 'web-01', serial_number: 'SN2' }, os: { name: 'Linux' } },
  };

  it('one source: its record; provenance empty (every field from sources[0]), no conflicts', () => {
    const c = mergeCanonical([a]);
    expect(c.normalized).toEqual(a.normalized);
    expect(c.sources).toEqual([{ source_id: 'src-a', run_id: 'run-a', collected_at: a.collectedAt }]);
    expect(c.provenance).toEqual({});
    expect(c.conflicts).toBeUndefined();
  });

  it('one source from its JSON text: the same view as merging, without parsing or serializing it again', () => {
    const source = { source_id: a.sourceId, run_id: a.runId, collected_at: a.collectedAt };
    const text = singleSourceCanonicalJson(JSON.stringify(a.normalized), source);
    expect(JSON.parse(text)).toEqual(mergeCanonical([a]));
  });

  it('several sources: latest collection wins each field, disagreements are flagged with every value', () => {
    const c = mergeCanonical([a, b]);
    expect(c.sources.map((s) => s.source_id)).toEqual(['src-b', 'src-a']);
    expect(c.normalized).toEqual({
      identity: { caption: 'web-01', serial_number: 'SN2' },
      os: { name: 'Linux' },
      network: { ip_addresses: ['10.0.0.1'] },
    });
    expect(c.provenance).toMatchObject({
      'identity.serial_number': 0,
      'network.ip_addresses': 1,
      'os.name': 0,
    });
    expect(c.conflicts).toEqual({
      'identity.serial_number': [
        { source: 0, value: 'SN2' },
        { source: 1, value: 'SN1' },
      ],
    });
  });

  it('the source its latest complete run saw wins, even with an older record', () => {
    const c = mergeCanonical([
      { ...a, seenAt: '2026-06-03T00:00:00.000Z' },
      { ...b, seenAt: b.collectedAt },
    ]);
    expect(c.sources.map((s) => s.source_id)).toEqual(['src-a', 'src-b']);
    expect(c.normalized.identity).toMatchObject({ serial_number: 'SN1' });
  });

  it('hash ignores key order and who confirmed a value; diff lists changed paths old → new', () => {
    const x = mergeCanonical([a]);
    const y = mergeCanonical([
      {
        ...a,
        runId: 'run-z',
        normalized: { network: a.normalized.network, identity: { serial_number: 'SN1', caption: 'web-01' } },
      },
    ]);
    expect(canonicalHash(x)).toBe(canonicalHash(y));
    expect(diffNormalized(a.normalized, b.normalized)).toEqual([
      { path: 'identity.serial_number', old: 'SN1', new: 'SN2' },
      { path: 'network.ip_addresses', old: ['10.0.0.1'], new: null },
      { path: 'os.name', old: null, new: 'Linux' },
    ]);
  });

  it('search columns: MACs lower-case colon form from addresses and NICs, management IP among IPs', () => {
    expect(normalizeMac('00-50-56-AB-CD-EF')).toBe('00:50:56:ab:cd:ef');
    expect(normalizeMac('0050.56ab.cdef')).toBe('00:50:56:ab:cd:ef');
    expect(normalizeMac('not a mac')).toBeNull();
    const cols = searchColumns('host', {
      identity: { hostname: 'esx1.example', serial_number: 'ABC' },
      network: { management_ip: '10.0.0.5', mac_addresses: ['00:50:56:AA:BB:CC'] },
      hardware: { nics: [{ name: 'vmnic0', mac: '00-1B-21-00-00-01' }] },
      runtime: { power_state: 'poweredOn' },
      placement: { cluster: 'prod' },
    });
    expect(cols).toEqual({
      name: 'esx1.example',
      hostname: 'esx1.example',
      serial_number: 'ABC',
      ip_addresses: ['10.0.0.5'],
      mac_addresses: ['00:50:56:aa:bb:cc', '00:1b:21:00:00:01'],
      power_state: 'poweredOn',
      cluster_name: 'prod',
    });
    expect(identityKey('vm', { identity: { machine_uuid: 'ABC-1' } })).toBe('abc-1');
    expect(identityKey('cluster', { identity: { machine_uuid: 'x' } })).toBeNull();
  });

  it('stable text: sorted keys at every level, undefined members dropped, same text as map-sort-join', () => {
    // The reference: the straightforward definition the stored hashes were taken with.
    const ref = (v: unknown): string => {
      if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
      if (Array.isArray(v)) return `[${v.map(ref).join(',')}]`;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${ref(o[k])}`).join(',')}}`;
    };
    const samples: unknown[] = [
      { b: 1, a: { d: [1, undefined, null, 'x"y\n'], c: undefined }, é: 'ü', Z: 2, '10': 3, '9': 4 },
      { a: 1, b: { c: [{ y: 1, x: 2 }] } },
      [],
      {},
      'text',
      1.5,
      Number.NaN,
      null,
      undefined,
      true,
    ];
    for (const s of samples) expect(stableStringify(s)).toBe(ref(s));
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});
