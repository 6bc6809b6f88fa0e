// Values that identify nothing: what firmware, hypervisors and the simulator give every machine alike. They
// are never evidence that two assets are one (DESIGN §8b) — the one list, used by the evidence SQL
// (./evidence.ts) and by anything that asks `isJunkIdentifier`. Compared lower-case and trimmed.
export const JUNK_VALUES: readonly string[] = [
  // serial-number placeholders
  'to be filled by o.e.m.',
  'to be filled by oem',
  'default string',
  'n/a',
  'na',
  'none',
  'null',
  'unknown',
  'invalid',
  'not specified',
  'not applicable',
  'not available',
  'system serial number',
  'chassis serial number',
  'base board serial number',
  'serial number',
  '0123456789',
  '123456789',
  '1234567890',
  // host names every unconfigured guest has
  'localhost',
  'localhost.localdomain',
  // UUIDs shared by whole product lines, and the simulator's shared ones
  '03000200-0400-0500-0006-000700080009',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'e88d4d56-9f1e-3ea1-71fa-13a8e1a7fd70', // govmomi's ESX host template
  'vmware-56 4d 8d e8 1e 9f a1 3e-71 fa 13 a8 e1 a7 fd 70', // its serial number tag, on every simulated host
  // MAC and IP placeholders
  'ff:ff:ff:ff:ff:ff',
  '255.255.255.255',
];

/**
 * Patterns (POSIX regular expressions, case-insensitive in SQL and here): empty or all zeros in any
 * separators (serials, UUIDs, MACs, 0.0.0.0, ::), runs of x, loopback and link-local addresses.
 */
export const JUNK_PATTERNS: readonly string[] = [
  '^[0 :.-]*$',
  '^x+$',
  '^127\\.',
  '^::1$',
  '^169\\.254\\.',
  '^fe80:',
];

/**
 * A value held by more assets than this is a shared placeholder nobody listed yet (a cloned template's
 * MAC, one image's host name), not an identity: a real machine is seen by a few sources, not by dozens.
 */
export const MAX_HOLDERS = 5;

const patterns = JUNK_PATTERNS.map((p) => new RegExp(p, 'i'));
const values = new Set(JUNK_VALUES);

export function isJunkIdentifier(v: string | null | undefined): boolean {
  if (v === null || v === undefined) return true;
  const s = v.trim().toLowerCase();
  return values.has(s) || patterns.some((p) => p.test(s));
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

// The patterns as one alternation: one regular-expression match per value instead of one per pattern
// (ingest checks every identifying value of every touched asset).
const PATTERNS_SQL = literal(JUNK_PATTERNS.join('|'));

/** SQL: true when `expr` (already lower-cased and trimmed) is null or junk. */
export function junkSql(expr: string): string {
  return (
    `(${expr} is null or ${expr} = any(array[${JUNK_VALUES.map(literal).join(',')}]::text[])` +
    ` or ${expr} ~* ${PATTERNS_SQL})`
  );
}
