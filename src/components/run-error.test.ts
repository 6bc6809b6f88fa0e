import { describe, expect, it } from 'vitest';
import { errorHelpKey, primaryErrorCode, runErrorItems, thumbprintOf } from './run-error';

describe('run error explanations', () => {
  it('maps the worker and plugin codes to what failed and what to do', () => {
    expect(errorHelpKey('VCENTER_TLS_ERROR')).toBe('tls');
    expect(errorHelpKey('ERR_VCENTER_THUMBPRINT_MISMATCH')).toBe('tls');
    expect(errorHelpKey('VCENTER_AUTH_FAILED')).toBe('auth');
    expect(errorHelpKey('VCENTER_PERMISSION_DENIED')).toBe('permission');
    expect(errorHelpKey('VCENTER_NETWORK_ERROR')).toBe('network');
    expect(errorHelpKey('PLUGIN_TIMEOUT')).toBe('timeout');
    expect(errorHelpKey('CREDENTIAL_MISSING')).toBe('credential');
    expect(errorHelpKey('SOURCE_MISSING')).toBe('credential');
    expect(errorHelpKey('PLUGIN_OUTPUT_INVALID_JSON')).toBe('plugin');
    expect(errorHelpKey('INVENTORY_INCOMPLETE')).toBe('incomplete');
    expect(errorHelpKey('INGEST_FAILED')).toBe('ingest');
    expect(errorHelpKey('DATABASE_READ_ONLY')).toBe('ingest');
    expect(errorHelpKey('WORKER_STOPPED')).toBe('stale');
    expect(errorHelpKey('SOMETHING_NEW')).toBe('generic');
    expect(errorHelpKey(null)).toBe('generic');
  });

  it("prefers the plugin's own error over the worker's wrapper code", () => {
    const run = {
      errorCode: 'PLUGIN_ERRORS',
      errorMessage: 'the plugin reported errors',
      errors: [{ code: 'VCENTER_AUTH_FAILED', category: 'auth', message: 'InvalidLogin', retryable: false }],
    };
    expect(primaryErrorCode(run)).toBe('VCENTER_AUTH_FAILED');
    expect(runErrorItems(run).map((e) => e.code)).toEqual(['VCENTER_AUTH_FAILED']);
    expect(primaryErrorCode({ errorCode: 'PLUGIN_TIMEOUT', errors: [] })).toBe('PLUGIN_TIMEOUT');
    expect(runErrorItems({ errorCode: 'PLUGIN_TIMEOUT', errorMessage: 'killed', errors: [] })).toEqual([
      { code: 'PLUGIN_TIMEOUT', message: 'killed' },
    ]);
  });

  it('finds the thumbprint the plugin reported with a TLS error', () => {
    const tp = Array.from({ length: 32 }, () => 'AB').join(':');
    expect(
      thumbprintOf({ code: 'VCENTER_TLS_ERROR', message: 'x', context: { serverThumbprintSha256: tp } }),
    ).toBe(tp);
    expect(thumbprintOf({ code: 'VCENTER_TLS_ERROR', message: `thumbprint is ${tp}; to trust it` })).toBe(tp);
    expect(thumbprintOf({ code: 'VCENTER_AUTH_FAILED', message: 'no' })).toBeNull();
  });
});
