import { describe, expect, it } from 'vitest';
import { isJunkIdentifier } from './junk';

describe('isJunkIdentifier', () => {
  it.each([
    '',
    '   ',
    'To be filled by O.E.M.',
    'Default string',
    'N/A',
    'None',
    '00000000-0000-0000-0000-000000000000',
    '03000200-0400-0500-0006-000700080009',
    '00:00:00:00:00:00',
    '0.0.0.0',
    '127.0.0.1',
    '::1',
    'fe80::250:56ff:fe00:1',
    'XXXXXXXX',
    'localhost',
  ])('junk: %j', (v) => expect(isJunkIdentifier(v)).toBe(true));

  it.each([
    'CZ1234ABCD',
    '4211aaaa-1111-2222-3333-444455556666',
    '00:50:56:00:00:01',
    '10.0.0.1',
    'srv-00001',
  ])('evidence: %j', (v) => expect(isJunkIdentifier(v)).toBe(false));
});
