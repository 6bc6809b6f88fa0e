// What `q` means, and the SQL that finds it (name and its override, guest host name, serial, the ledger's
// owner and asset number; IPs; MACs). A query is read as every kind of term it could be (text, an
// IP, a network, a MAC or a MAC prefix) and the kinds are ORed; each kind has its own index, built by
// migrations 0007, 0012 and 0014 on the same expressions used here (PostgreSQL combines them with a BitmapOr).
// What a person pastes (an IPv6 in any spelling, a MAC with dashes or dots, upper case) must hit the same
// indexed value ingest stored (lower-case, colon-separated MACs, RFC 5952 IPv6).
import { isIPv4, isIPv6 } from 'node:net';
import { sql, type SQL } from 'drizzle-orm';
import { canonicalIp, ipVariants, normalizeMac } from '@/lib/network-address';

export { canonicalIp, ipVariants, normalizeMac };

/** Escapes LIKE wildcards so a user's `%`, `_` or `\` matches literally (backslash is the default escape). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A CIDR searched by key lookup at `keyLength` (a stored length) and rechecked when narrower. */
export interface IpNetwork {
  address: string;
  length: number;
  keyLength: number;
}

export interface SearchTerms {
  /** Lower-case text for name / host name / serial (the \x01 field separator removed). */
  text: string;
  /** Length in characters (code points), which decides the index: 1 prefix, 2 pairs, 3+ trigrams. */
  textLength: number;
  /** Exact addresses in every spelling they may be stored under. */
  ips: string[];
  /** IPv4 networks as the cidr text the index stores ('10.0.1.0/24'); any one matches. */
  ipv4Keys: string[];
  /** A CIDR that no set of keys names exactly: IPv4 longer than /24, IPv6 between two stored lengths. */
  ipNetwork: IpNetwork | null;
  mac: string | null;
  /** A MAC prefix's 4 to 11 hex digits, no separators (the OUI '005056'): each length a key of asset_mac_keys. */
  macPrefix: string | null;
}

const codePoints = (s: string) => [...s].length;

export function searchTerms(q: string): SearchTerms {
  const trimmed = q.trim();
  const text = trimmed.toLowerCase().replaceAll('\x01', '');
  const v4 = ipv4Cidr(trimmed);
  return {
    text,
    textLength: codePoints(text),
    ips: ipVariants(trimmed),
    ipv4Keys: v4 ? v4.keys : ipv4Prefixes(trimmed),
    ipNetwork: v4 ? v4.network : ipv6Cidr(trimmed),
    mac: normalizeMac(trimmed),
    macPrefix: macPrefix(trimmed),
  };
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

const v4Number = (octets: number[]) => octets.reduce((acc, o) => acc * 256 + o, 0);

/** The network of address `n` at `length`, as the cidr text PostgreSQL writes ('10.0.1.0/24'). */
function v4Key(n: number, length: number): string {
  const net = n - (n % 2 ** (32 - length));
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${length}`;
}

/**
 * An IPv4 CIDR ('10.0.1.0/22', host bits allowed). Up to /24 it is the stored networks that tile it exactly
 * (a /22 is four /24 keys, at most 128), so a /22 in a crowded /16 does not recheck the whole /16; longer
 * ones look their /24 up and recheck at most its 256 addresses (there is no /32 key). Lengths below 8 are
 * not searched as networks (a quarter of the internet is no search).
 */
function ipv4Cidr(q: string): { keys: string[]; network: IpNetwork | null } | null {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(q);
  if (!m) return null;
  const length = Number(m[2]);
  if (!isIPv4(m[1]!) || length < 8 || length > 32) return { keys: [], network: null };
  if (length > 24) return { keys: [], network: { address: m[1]!, length, keyLength: 24 } };
  const stored = Math.ceil(length / 8) * 8;
  const n = v4Number(m[1]!.split('.').map(Number));
  const net = n - (n % 2 ** (32 - length));
  const keys: string[] = [];
  for (let i = 0; i < 2 ** (stored - length); i++) keys.push(v4Key(net + i * 2 ** (32 - stored), stored));
  return { keys, network: null };
}

/**
 * IPv4 networks a textual prefix names: one to three whole octets with a trailing dot ('10.0.1.') or a
 * partly typed last octet ('10.0.1' = every address whose text starts so: 10.0.1.x, 10.0.10–19.x,
 * 10.0.100–199.x), all at stored lengths. A complete address is exact, not a prefix.
 */
function ipv4Prefixes(q: string): string[] {
  const m = /^(\d{1,3}(?:\.\d{1,3}){0,3})(\.?)$/.exec(q);
  if (!m) return [];
  const parts = m[1]!.split('.');
  const dotted = m[2] === '.';
  if (!parts.every((p) => OCTET.test(p))) return [];
  const whole = dotted ? parts : parts.slice(0, -1);
  const partial = dotted ? null : parts[parts.length - 1]!;
  // A bare number ('10') is a name fragment far more often than a network; a complete address is exact.
  if (whole.length === 0 || whole.length > 3 || (!dotted && parts.length === 4)) return [];
  const fixed = whole.map(Number);
  const length = (whole.length + 1) * 8;
  if (partial === null) return [v4Key(v4Number([...fixed, 0, 0, 0].slice(0, 4)), whole.length * 8)];
  const keys: string[] = [];
  for (let o = 0; o <= 255; o++) {
    if (String(o).startsWith(partial)) keys.push(v4Key(v4Number([...fixed, o, 0, 0, 0].slice(0, 4)), length));
  }
  return keys;
}

/** An IPv6 CIDR ('2001:db8::/48'), looked up at the multiple of 16 below it; lengths below 16 are not searched. */
function ipv6Cidr(q: string): IpNetwork | null {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(q);
  if (!m || !isIPv6(m[1]!)) return null;
  const length = Number(m[2]);
  if (length < 16 || length > 128) return null;
  return { address: m[1]!.toLowerCase(), length, keyLength: length - (length % 16) };
}

/**
 * A MAC prefix of at least two bytes in a common spelling: `00:50:56`, `00-50-56-`, `00:50:5`,
 * `0050.56`. Bare hex digits are not read as one ('cafe' is a name), only a full 12-digit MAC is.
 */
function macPrefix(q: string): string | null {
  const t = q.trim();
  const colon = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){0,3}(?:\1[0-9a-f]{0,2})?$/i.test(t);
  const dotted = /^[0-9a-f]{4}\.[0-9a-f]{0,4}(?:\.[0-9a-f]{0,3})?$/i.test(t);
  if (!colon && !dotted) return null;
  const hex = t.replace(/[:.-]/g, '').toLowerCase();
  return hex.length >= 4 && hex.length < 12 ? hex : null;
}

const textArray = (values: string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

// The indexed expressions (migrations 0012, 0014); a predicate must repeat them exactly to use the index.
// The observed name and its override are both searched: people find an asset by either.
const SEARCH_TEXT = sql`search_text(a.name, a.name_override, a.hostname, a.serial_number)`;
const LEDGER_TEXT = sql`search_text(x.owner, x.asset_number)`;

/**
 * Assets whose ledger owner or asset number matches `match` (over `x`, asset_ledger). `uuid = any(array(…))`
 * rather than `in (…)`: the array is computed once (an InitPlan) and the primary key answers it inside the
 * BitmapOr with the other branches; an IN would become a per-row filter over the whole table.
 */
const ledgerBranch = (match: SQL) =>
  sql`a.uuid = any(array(select x.asset_uuid from asset_ledger x where ${match}))`;

interface Branches {
  text: SQL[];
  exact: SQL[];
  prefix: SQL[];
}

function branches(t: SearchTerms): Branches {
  const b: Branches = { text: [], exact: [], prefix: [] };
  if (t.textLength === 1) {
    // One character: a prefix of a field (btree text_pattern_ops indexes); any substring would be most rows.
    const like = `${escapeLike(t.text)}%`;
    b.text.push(sql`lower(a.name) like ${like}`);
    b.text.push(sql`lower(a.hostname) like ${like}`);
    b.text.push(sql`lower(a.serial_number) like ${like}`);
  } else if (t.textLength === 2) {
    const pair = textArray([t.text]);
    b.text.push(sql`asset_bigrams(${SEARCH_TEXT}) @> ${pair}`);
    b.text.push(ledgerBranch(sql`asset_bigrams(${LEDGER_TEXT}) @> ${pair}`));
  } else if (t.textLength > 2) {
    const like = `%${escapeLike(t.text)}%`;
    b.text.push(sql`${SEARCH_TEXT} like ${like}`);
    b.text.push(ledgerBranch(sql`${LEDGER_TEXT} like ${like}`));
  }
  if (t.ips.length) b.exact.push(sql`a.ip_addresses && ${textArray(t.ips)}`);
  if (t.mac) b.exact.push(sql`a.mac_addresses @> ${textArray([t.mac])}`);
  if (t.ipv4Keys.length) b.prefix.push(sql`asset_ip_keys(a.ip_addresses) && ${textArray(t.ipv4Keys)}`);
  if (t.ipNetwork) {
    const n = t.ipNetwork;
    const key = sql`asset_ip_keys(a.ip_addresses) && array[network(set_masklen(${n.address}::inet, ${n.keyLength}::int))::text]`;
    b.prefix.push(
      n.keyLength === n.length
        ? key
        : sql`(${key} and asset_ips_within(a.ip_addresses, set_masklen(${n.address}::inet, ${n.length}::int)))`,
    );
  }
  if (t.macPrefix) b.prefix.push(sql`asset_mac_keys(a.mac_addresses) @> ${textArray([t.macPrefix])}`);
  return b;
}

/** The OR of every kind of match `q` can be; each branch is answered by one index. */
export function searchPredicate(t: SearchTerms): SQL {
  const b = branches(t);
  const any = [...b.text, ...b.exact, ...b.prefix];
  return any.length ? sql`(${sql.join(any, sql` or `)})` : sql`false`;
}

/**
 * 0 exact, 1 prefix, 2 anywhere inside: the default order of a search. An exact IP or MAC counts as exact,
 * a network or MAC prefix as a prefix. Evaluated on the matches only, so it needs no index.
 */
export function searchRank(t: SearchTerms): SQL {
  const b = branches(t);
  const fields = [
    sql`lower(a.display_name)`,
    sql`lower(a.name)`,
    sql`lower(a.hostname)`,
    sql`lower(a.serial_number)`,
  ];
  const like = `${escapeLike(t.text)}%`;
  const ledger = (op: SQL) =>
    sql`exists (select 1 from asset_ledger x where x.asset_uuid = a.uuid and (lower(x.owner) ${op} or lower(x.asset_number) ${op}))`;
  const exact = [...fields.map((f) => sql`${f} = ${t.text}`), ledger(sql`= ${t.text}`), ...b.exact];
  const prefix = [...fields.map((f) => sql`${f} like ${like}`), ledger(sql`like ${like}`), ...b.prefix];
  return sql`case when ${sql.join(exact, sql` or `)} then 0 when ${sql.join(prefix, sql` or `)} then 1 else 2 end`;
}
