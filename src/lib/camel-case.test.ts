import { describe, expect, it } from 'vitest';
import { camelKey, camelKeys } from './camel-case';

describe('camelKeys', () => {
  it('camelCases keys at any depth and keeps values, arrays and camelCase keys', () => {
    expect(camelKey('relations_unresolved')).toBe('relationsUnresolved');
    expect(camelKey('server_thumbprint_sha256')).toBe('serverThumbprintSha256');
    expect(camelKey('pluginMs')).toBe('pluginMs');
    expect(
      camelKeys({
        inventory_complete: true,
        warnings: [{ external_kind: 'vm', path: 'hardware.cpu_count' }],
        n: null,
      }),
    ).toEqual({
      inventoryComplete: true,
      warnings: [{ externalKind: 'vm', path: 'hardware.cpu_count' }],
      n: null,
    });
  });
});
