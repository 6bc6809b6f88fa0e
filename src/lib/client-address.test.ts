// The client address behind proxies (issue 11 item 4: TRUST_PROXY=true trusted the left-most
// X-Forwarded-For entry, which the client writes; 40 failures with a rotating spoofed entry never locked).
import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy, type TrustProxy } from './client-address';
import { loadConfig } from './config';

const trust = (v: string) => parseTrustProxy(v) as TrustProxy;
const config = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv);

describe('clientAddress', () => {
  it('without TRUST_PROXY: the socket peer, whatever the headers say', () => {
    expect(clientAddress('203.0.113.9', '1.2.3.4', trust('false'))).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9', undefined, trust(''))).toBe('203.0.113.9');
  });

  it('TRUST_PROXY=1: the address our proxy appended, not the spoofed left-most entry', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy (10.0.0.2) appended the client's 198.51.100.7.
    expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7', trust('1'))).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', ['6.6.6.6', '198.51.100.7'], trust('1'))).toBe('198.51.100.7');
    // Rotating spoofed entries all resolve to the same client.
    const seen = new Set(
      Array.from({ length: 40 }, (_, i) =>
        clientAddress('10.0.0.2', `10.9.9.${i}, 198.51.100.7`, trust('1')),
      ),
    );
    expect([...seen]).toEqual(['198.51.100.7']);
    // `true` means one proxy, as it did for the common setup; it never means "believe the client".
    expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7', trust('true'))).toBe('198.51.100.7');
  });

  it('TRUST_PROXY=2: two proxies in a row', () => {
    expect(clientAddress('10.0.0.3', '6.6.6.6, 198.51.100.7, 10.0.0.2', trust('2'))).toBe('198.51.100.7');
    // Fewer hops than configured (a request that skipped a proxy): the left-most entry, not a crash.
    expect(clientAddress('10.0.0.3', undefined, trust('2'))).toBe('10.0.0.3');
  });

  it('TRUST_PROXY=<CIDRs>: the right-most address outside the trusted networks', () => {
    const t = trust('10.0.0.0/8, 192.168.1.5, fd00::/8');
    expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7, 192.168.1.5', t)).toBe('198.51.100.7');
    expect(clientAddress('fd00::1', '2001:db8::7', t)).toBe('2001:db8::7');
    // A peer that is not a trusted proxy is the client, and its X-Forwarded-For is ignored.
    expect(clientAddress('198.51.100.99', '6.6.6.6', t)).toBe('198.51.100.99');
    // Everything trusted: the left-most is as near to the client as we can know.
    expect(clientAddress('10.0.0.2', '10.1.1.1', t)).toBe('10.1.1.1');
  });
});

describe('TRUST_PROXY in the config', () => {
  it('takes false, a hop count or addresses/CIDRs, and names the variable when it is wrong', () => {
    expect(config({}).TRUST_PROXY).toEqual({ kind: 'none' });
    expect(config({ TRUST_PROXY: '2' }).TRUST_PROXY).toEqual({ kind: 'hops', hops: 2 });
    expect(config({ TRUST_PROXY: '10.0.0.0/8,::1' }).TRUST_PROXY).toMatchObject({
      kind: 'networks',
      spec: ['10.0.0.0/8', '::1/128'],
    });
    expect(() => config({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY must be/);
    expect(() => config({ TRUST_PROXY: 'everything' })).toThrow(/TRUST_PROXY must be/);
  });
});
