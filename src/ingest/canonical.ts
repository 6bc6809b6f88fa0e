// The canonical view of an asset: the merged fields of its present links' latest records, each field with
// provenance (which source/run/collection it came from) and a conflict list where sources disagree.
// Also the denormalized search columns derived from it (the API's search relies on them).
import { createHash } from 'node:crypto';
import type { AssetKind } from '@/collector/contract';
import { canonicalIp, normalizeMac } from '@/lib/network-address';

export { normalizeMac };

export interface Contribution {
  sourceId: string;
  runId: string;
  collectedAt: string; // ISO
  /**
   * When the source last confirmed this record (ISO): its latest complete run that saw the link, which
   * an unchanged re-run moves on while `collectedAt` stays. Defaults to `collectedAt`.
   */
  seenAt?: string;
  normalized: Record<string, unknown>;
}

export interface CanonicalSource {
  source_id: string;
  run_id: string;
  collected_at: string;
}

/**
 * Stored in `assets.canonical` and `asset_snapshots.canonical`.
 * - `normalized`: merged normalized-v1 object.
 * - `sources`: the contributing records, latest first; `provenance[path]` is an index into it (empty when
 *   there is one source: every field is then from sources[0]).
 * - `conflicts[path]`: every source's value where present sources disagree on that field.
 */
export interface Canonical {
  normalized: Record<string, unknown>;
  sources: CanonicalSource[];
  provenance: Record<string, number>;
  conflicts?: Record<string, { source: number; value: unknown }[]>;
}

// Quoted object keys: normalized objects share a small set of keys, so each is quoted once.
const quotedKeys = new Map<string, string>();
const quoteKey = (k: string): string => {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
};

/**
 * JSON with sorted keys: a stable text for hashing and comparison (jsonb reorders keys). Hot in ingest (every
 * new or changed asset is hashed), so it builds one string without intermediate arrays and sorts only keys
 * that are not already in order; the text is the same as mapping, sorting and joining.
 */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i) out += ',';
      const x: unknown = v[i];
      if (x === undefined && !(i in v)) continue; // a hole joins as nothing
      out += stableStringify(x);
    }
    return out + ']';
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined) continue;
    out += (first ? '' : ',') + quoteKey(k) + ':' + stableStringify(x);
    first = false;
  }
  return out + '}';
}

export const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Leaf fields of a normalized-v1 object by path: `section.field` inside the sections (identity, network,
 * ...), the key itself for top-level values (tags, template). Arrays are single fields.
 */
export function flatten(n: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(n)) {
    if (v === undefined) continue;
    if (isPlainObject(v)) {
      for (const [k2, v2] of Object.entries(v)) if (v2 !== undefined) out.set(`${k}.${k2}`, v2);
    } else out.set(k, v);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const dot = path.indexOf('.');
  if (dot < 0) {
    target[path] = value;
    return;
  }
  const section = path.slice(0, dot);
  const sub = (target[section] ??= {}) as Record<string, unknown>;
  sub[path.slice(dot + 1)] = value;
}

/**
 * `JSON.stringify(mergeCanonical([one]))` for an asset with one contribution, from that contribution's
 * normalized JSON text: a new asset's view is built without serializing its record a second time.
 */
export function singleSourceCanonicalJson(normalizedJson: string, source: CanonicalSource): string {
  return `{"normalized":${normalizedJson},"sources":${JSON.stringify([source])},"provenance":{}}`;
}

/**
 * Merges contributions: the source whose most recently completed run saw the asset wins a field (DESIGN
 * §8b; ties: the later record, then the lower source id); differing values are flagged as a conflict.
 */
export function mergeCanonical(contributions: Contribution[]): Canonical {
  const seenAt = (c: Contribution) => c.seenAt ?? c.collectedAt;
  const sorted = [...contributions].sort(
    (a, b) =>
      seenAt(b).localeCompare(seenAt(a)) ||
      b.collectedAt.localeCompare(a.collectedAt) ||
      a.sourceId.localeCompare(b.sourceId),
  );
  const sources = sorted.map((c) => ({
    source_id: c.sourceId,
    run_id: c.runId,
    collected_at: c.collectedAt,
  }));
  if (sorted.length === 1) {
    // The common case (one source): every field comes from sources[0], so the per-path map stays empty —
    // it would double the size of every canonical row and snapshot for no information.
    return { normalized: sorted[0]!.normalized, sources, provenance: {} };
  }
  const normalized: Record<string, unknown> = {};
  const provenance: Record<string, number> = {};
  const seen = new Map<string, { source: number; value: unknown; text: string }[]>();
  sorted.forEach((c, i) => {
    for (const [path, value] of flatten(c.normalized)) {
      const list = seen.get(path) ?? [];
      list.push({ source: i, value, text: stableStringify(value) });
      seen.set(path, list);
    }
  });
  let conflicts: Canonical['conflicts'];
  for (const [path, list] of seen) {
    setPath(normalized, path, list[0]!.value);
    provenance[path] = list[0]!.source;
    if (list.some((x) => x.text !== list[0]!.text)) {
      conflicts ??= {};
      conflicts[path] = list.map(({ source, value }) => ({ source, value }));
    }
  }
  return { normalized, sources, provenance, ...(conflicts ? { conflicts } : {}) };
}

/** Hash of what an admin would see change (the merged values and conflicts, not who confirmed them last). */
export function canonicalHash(
  c: Pick<Canonical, 'normalized' | 'conflicts'> | null | undefined,
): string | null {
  if (!c || !c.normalized) return null;
  return sha256(stableStringify({ n: c.normalized, c: c.conflicts ?? null }));
}

export interface FieldChange {
  path: string;
  old: unknown;
  new: unknown;
}

export function diffNormalized(
  oldN: Record<string, unknown> | undefined,
  newN: Record<string, unknown>,
): FieldChange[] {
  const a = flatten(oldN ?? {});
  const b = flatten(newN);
  const changes: FieldChange[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const ov = a.get(path);
    const nv = b.get(path);
    if (stableStringify(ov ?? null) !== stableStringify(nv ?? null)) {
      changes.push({ path, old: ov ?? null, new: nv ?? null });
    }
  }
  return changes.sort((x, y) => x.path.localeCompare(y.path));
}

export interface SearchColumns {
  name: string | null;
  hostname: string | null;
  serial_number: string | null;
  ip_addresses: string[];
  mac_addresses: string[];
  power_state: string | null;
  cluster_name: string | null;
}

type Sec = Record<string, unknown> | undefined;
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The denormalized columns on `assets` (host_name is set from the active runs_on relation in SQL). */
export function searchColumns(kind: AssetKind, n: Record<string, unknown>): SearchColumns {
  const identity = n.identity as Sec;
  const network = n.network as Sec;
  const hardware = n.hardware as Sec;
  const runtime = n.runtime as Sec;
  const placement = n.placement as Sec;
  const ips = new Set<string>();
  for (const ip of (network?.ip_addresses as string[] | undefined) ?? []) ips.add(canonicalIp(ip));
  const mgmt = strOrNull(network?.management_ip);
  if (mgmt) ips.add(canonicalIp(mgmt));
  const macs = new Set<string>();
  for (const m of (network?.mac_addresses as string[] | undefined) ?? []) {
    const x = normalizeMac(m);
    if (x) macs.add(x);
  }
  for (const nic of (hardware?.nics as { mac?: string }[] | undefined) ?? []) {
    const x = nic.mac ? normalizeMac(nic.mac) : null;
    if (x) macs.add(x);
  }
  const hostname = strOrNull(identity?.hostname);
  return {
    name: strOrNull(identity?.caption) ?? hostname,
    hostname,
    serial_number: strOrNull(identity?.serial_number),
    ip_addresses: [...ips],
    mac_addresses: [...macs],
    power_state: strOrNull(runtime?.power_state),
    // A cluster's own name is its cluster; hosts and VMs say where they are placed.
    cluster_name: kind === 'cluster' ? (strOrNull(identity?.caption) ?? null) : strOrNull(placement?.cluster),
  };
}

/** The key that lets an object reappearing under a new moref re-attach: VM instance UUID, host hardware UUID. */
export function identityKey(kind: AssetKind, n: Record<string, unknown>): string | null {
  if (kind === 'cluster') return null;
  const identity = n.identity as Sec;
  const key = strOrNull(identity?.machine_uuid) ?? strOrNull(identity?.bios_uuid);
  return key ? key.toLowerCase() : null;
}
