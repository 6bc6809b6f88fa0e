import { describe, expect, it } from 'vitest';
import { canonicalIp, ipVariants } from './network-address';

describe('canonicalIp', () => {
  it('stores IPv6 compressed and lower case, IPv4 as is', () => {
    expect(canonicalIp('FE80:0000:0000:0000:0250:56FF:FEAB:CDEF')).toBe('fe80::250:56ff:feab:cdef');
    expect(canonicalIp('2001:db8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('10.1.2.3')).toBe('10.1.2.3');
  });
  it('a stored long-hand address is found by its short form (and the reverse)', () => {
    const stored = canonicalIp('2001:0db8:0000:0000:0000:0000:0000:0001');
    expect(ipVariants('2001:db8::1')).toContain(stored);
    expect(ipVariants('2001:0db8::0001')).toContain(stored);
  });
});
