// One spelling for network addresses, shared by ingest (what is stored) and search (what is looked up).
import { isIP } from 'node:net';

/** A MAC in any common spelling (00:50:56:AB:CD:EF, 00-50-56-ab-cd-ef, 0050.56ab.cdef, 005056abcdef). */
export function normalizeMac(input: string): string | null {
  const t = input.trim();
  if (!/^[0-9A-Fa-f:.\-\s]+$/.test(t)) return null;
  const hex = t.replace(/[:.\-\s]/g, '');
  if (!/^[0-9A-Fa-f]{12}$/.test(hex)) return null;
  // A bare 12-digit run is also a plausible serial; it is searched as both (see searchTerms).
  return hex.toLowerCase().match(/.{2}/g)!.join(':');
}

/** The one stored spelling of an IP: lower case, IPv6 compressed (RFC 5952), e.g. for ingest. */
export function canonicalIp(input: string): string {
  const variants = ipVariants(input);
  return variants[variants.length - 1] ?? input.trim().toLowerCase();
}

/** The spellings an IP may be stored under: as typed (lower-cased) and the canonical compressed form. */
export function ipVariants(input: string): string[] {
  const t = input.trim().replace(/^\[(.*)\]$/, '$1');
  const family = isIP(t);
  if (family === 0) return [];
  const out = new Set<string>([t.toLowerCase()]);
  if (family === 6) {
    try {
      // The URL parser prints IPv6 in RFC 5952 form (lower case, longest zero run compressed).
      out.add(new URL(`http://[${t}]/`).hostname.slice(1, -1));
    } catch {
      // isIP accepted it; if the URL parser does not, the typed spelling is all we search.
    }
  }
  return [...out];
}
