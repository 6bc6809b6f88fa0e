// Which address a request came from, for login throttling and the audit log (issue 11 item 4).
//
// X-Forwarded-For is a list every proxy appends to; the client writes whatever it likes at the left. So
// the client is the right-most address that is not one of our own proxies: the socket's peer, unless it
// is trusted, then the entries of X-Forwarded-For from the right, skipping trusted ones. What "trusted"
// means comes from TRUST_PROXY (src/lib/config.ts): nothing, a hop count, or a list of addresses/CIDRs.
import { BlockList, isIP } from 'node:net';

export type TrustProxy =
  | { kind: 'none' }
  /** This many proxies in front of us, each appending to X-Forwarded-For. */
  | { kind: 'hops'; hops: number }
  /** Proxies are the addresses in these networks. */
  | { kind: 'networks'; list: BlockList; spec: string[] };

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`, as Node reports IPv4 peers on a dual-stack socket) → IPv4. */
export function plainAddress(value: string): string {
  let v = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(v);
  return (mapped ? mapped[1]! : v).toLowerCase();
}

/** Parses TRUST_PROXY: unset/false/0 → none; true → 1 hop; a number → hops; else addresses or CIDRs. */
export function parseTrustProxy(value: string | undefined): TrustProxy | { error: string } {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0' || v === 'no' || v === 'off') return { kind: 'none' };
  if (v === 'true' || v === 'yes' || v === 'on') return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 32 ? { kind: 'hops', hops } : { error: 'a hop count of at most 32' };
  }
  const list = new BlockList();
  const spec: string[] = [];
  for (const raw of v.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const [addr, bits, extra] = item.split('/');
    const address = plainAddress(addr ?? '');
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      return { error: `false, a hop count, or comma-separated addresses/CIDRs (not '${item}')` };
    }
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    spec.push(`${address}/${prefix}`);
  }
  if (!spec.length) return { error: 'false, a hop count, or comma-separated addresses/CIDRs' };
  return { kind: 'networks', list, spec };
}

function isTrusted(address: string, trust: TrustProxy): boolean {
  if (trust.kind !== 'networks') return false;
  const family = isIP(address);
  return family !== 0 && trust.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Did this request reach us through a proxy we trust (so its X-Forwarded-Host/-Proto count)? */
export function fromTrustedProxy(peer: string | null | undefined, trust: TrustProxy): boolean {
  if (trust.kind === 'hops') return trust.hops > 0;
  return !!peer && isTrusted(plainAddress(peer), trust);
}

/**
 * The client's address: with no trusted proxy the socket's peer; with `hops: n` the n-th address from
 * the right of [X-Forwarded-For…, peer]; with networks the right-most address of that chain that is not
 * in them. Never an entry the client could have written while a trusted proxy appended the real one.
 */
export function clientAddress(
  peer: string | null | undefined,
  forwardedFor: string | string[] | null | undefined,
  trust: TrustProxy,
): string | null {
  const socket = peer ? plainAddress(peer) : null;
  if (trust.kind === 'none') return socket;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const chain = header
    .split(',')
    .map((s) => plainAddress(s))
    .filter((s) => s !== '');
  if (socket) chain.push(socket);
  if (!chain.length) return null;
  if (trust.kind === 'hops') return chain[Math.max(0, chain.length - 1 - trust.hops)]!;
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!isTrusted(chain[i]!, trust)) return chain[i]!;
  }
  // Every hop is one of ours: the left-most is as close to the client as we can know.
  return chain[0]!;
}
