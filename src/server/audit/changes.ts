// Before/after values of a configuration change for the audit trail (details.changes: {field: {old, new}}),
// changed fields only. Secrets never enter: callers pass only non-secret fields, and a CA bundle is
// recorded as a short fingerprint (an auditor sees that it changed, not a pasted certificate).
import { createHash } from 'node:crypto';

export type Change = { old: unknown; new: unknown };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields whose values differ between `before` and `after` (only keys present in `after`). */
export function changesOf(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, Change> {
  const out: Record<string, Change> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v === undefined || same(before[k], v)) continue;
    out[k] = { old: before[k] ?? null, new: v ?? null };
  }
  return out;
}

/** "sha256:1a2b3c4d5e6f" of a PEM bundle, or null. */
export const pemFingerprint = (pem: unknown): string | null =>
  typeof pem === 'string' && pem
    ? `sha256:${createHash('sha256').update(pem).digest('hex').slice(0, 12)}`
    : null;

/** A vCenter source config as audited fields: endpoint, TLS mode, pinned thumbprint, CA fingerprint. */
export function auditedConfig(config: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const c = config ?? {};
  return {
    endpoint: c.endpoint ?? null,
    tlsMode: c.insecure ? 'insecure' : c.thumbprint_sha256 ? 'thumbprint' : c.ca_pem ? 'ca' : 'verify',
    thumbprint: c.thumbprint_sha256 ?? null,
    caPem: pemFingerprint(c.ca_pem),
    requestTimeoutMs: c.request_timeout_ms ?? null,
  };
}
