// Search-term normalization. What a person pastes (an IPv6 in any spelling, a MAC with dashes or dots,
// upper case) must hit the same indexed value ingest stored (lower-case, colon-separated MACs).
import { canonicalIp, ipVariants, normalizeMac } from '@/lib/network-address';

export { canonicalIp, ipVariants, normalizeMac };

/** Escapes LIKE wildcards so a user's `%` or `_` matches literally (backslash is the default escape). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface SearchTerms {
  /** Lower-case prefix for name / host name / serial (LIKE 'prefix%'). */
  prefix: string;
  ips: string[];
  mac: string | null;
}

export function searchTerms(q: string): SearchTerms {
  const trimmed = q.trim();
  return { prefix: trimmed.toLowerCase(), ips: ipVariants(trimmed), mac: normalizeMac(trimmed) };
}
