// Row-level helpers the steps share: record texts and hashes, search-column values, endpoint keys.
import { createHash } from 'node:crypto';
import type { CollectorAsset } from '@/collector/contract';
import type { SearchColumns } from './canonical';
import type { CopyColumn, CopyValue } from './copy';

// The search columns on `assets` that new assets and changed canonical views both write, in this order.
export const SEARCH_COPY_COLUMNS: readonly CopyColumn[] = [
  ['name', 'text'],
  ['hostname', 'text'],
  ['serial_number', 'text'],
  ['ip_addresses', 'text[]'],
  ['mac_addresses', 'text[]'],
  ['power_state', 'text'],
];
export const searchValues = (c: SearchColumns): CopyValue[] => [
  c.name,
  c.hostname,
  c.serial_number,
  c.ip_addresses,
  c.mac_addresses,
  c.power_state,
];

/**
 * The texts a record stores and their hash: SHA-256 of JSON.stringify([normalized, raw ?? null]), as records
 * have always been hashed, fed in parts (raw payloads are several KB). Computed where the record is written
 * and dropped right after: 10,000 raw texts kept for the whole ingest (≈45 MB) would survive into the old
 * generation, and copying them there cost more garbage collection than serializing them.
 */
export interface RecordTexts {
  normalizedJson: string;
  rawJson: string | null;
  hash: string;
}

export function recordTexts(a: CollectorAsset, normalizedJson = JSON.stringify(a.normalized)): RecordTexts {
  const rawJson = a.raw_payload === undefined ? null : JSON.stringify(a.raw_payload);
  const hash = createHash('sha256')
    .update('[')
    .update(normalizedJson)
    .update(',')
    .update(rawJson ?? 'null')
    .update(']')
    .digest('hex');
  return { normalizedJson, rawJson, hash };
}

/** The key of an object within one source and run: its kind and moref. */
export const endpointKey = (kind: string, id: string): string => `${kind}\u0000${id}`;
