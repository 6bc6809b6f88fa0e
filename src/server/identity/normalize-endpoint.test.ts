import { describe, expect, it } from 'vitest';
import { normalizeEndpoint } from './normalize-endpoint';

describe('normalizeEndpoint', () => {
  it.each([
    ['https://vc.example', 'https://vc.example'],
    ['HTTPS://VC.Example/', 'https://vc.example'],
    ['https://vc.example:443', 'https://vc.example'],
    ['https://vc.example:443/sdk', 'https://vc.example'],
    ['https://vc.example/sdk/', 'https://vc.example'],
    ['https://vc.example/SDK//', 'https://vc.example'],
    ['https://127.0.0.1:8989/sdk/', 'https://127.0.0.1:8989'],
    ['https://user:pw@vc.example:8443/?x=1#y', 'https://vc.example:8443'],
    ['https://[FE80::1]:443/sdk', 'https://[fe80::1]'],
    ['https://vc.example/vcenter/sdk', 'https://vc.example/vcenter'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEndpoint(input)).toBe(expected);
  });

  it('keeps spellings it cannot prove equal apart', () => {
    expect(normalizeEndpoint('https://localhost:8989')).not.toBe(normalizeEndpoint('https://127.0.0.1:8989'));
    expect(normalizeEndpoint('https://vc.example:8443')).not.toBe(normalizeEndpoint('https://vc.example'));
  });
});
