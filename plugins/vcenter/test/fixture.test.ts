// The plugin against the fixture SOAP server: paging, faults, sessions, 5xx, timeouts, TLS, escaping.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EMPTY_RETRIEVE,
  makeSelfSignedCert,
  smallInventory,
  startFixtureServer,
  type FixtureOptions,
  type FixtureServer,
} from '../../../test/fixtures/soap/server';
import { collectInProcess, request, runPlugin } from './helpers';

const NASTY = `a&b<c>d"e'f 密码`;
let cert: ReturnType<typeof makeSelfSignedCert>;
let server: FixtureServer | undefined;

beforeAll(() => {
  cert = makeSelfSignedCert();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(opts: Omit<FixtureOptions, 'tls'> = {}): Promise<FixtureServer> {
  server = await startFixtureServer({ username: 'svc-ledger', password: NASTY, tls: cert, ...opts });
  return server;
}
const cred = { username: 'svc-ledger', password: NASTY };
const insecure = (s: FixtureServer) => ({ endpoint: s.endpoint, insecure: true });
const methods = (s: FixtureServer) => s.calls.map((c) => c.method);

describe('paging', () => {
  it('follows continuation tokens: 7 VMs in pages of 3 → 1 RetrievePropertiesEx + 2 Continue', async () => {
    const s = await start({ objects: smallInventory(7), pageSize: 3 });
    const { response, result } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(response.errors).toEqual([]);
    expect(response.stats.inventory_complete).toBe(true);
    const vms = response.assets.filter((a) => a.external_kind === 'vm').map((a) => a.external_id);
    expect(vms.sort()).toEqual(['vm-1', 'vm-2', 'vm-3', 'vm-4', 'vm-5', 'vm-6', 'vm-7']);
    const vmRetrieves = s.calls.filter(
      (c) => c.method === 'RetrievePropertiesEx' && JSON.stringify(c.body).includes('"VirtualMachine"'),
    );
    expect(vmRetrieves).toHaveLength(1);
    // VMs: 3 pages (3+3+1); the other types fit in one page each except folders (4 → 2 pages).
    expect(methods(s).filter((m) => m === 'ContinueRetrievePropertiesEx')).toHaveLength(2 + 1);
    expect(result.http.pages).toBeGreaterThanOrEqual(3);
    expect(s.logouts).toBe(1);
  });

  it('a Continue cut off mid-answer (token consumed) → the read starts over; every VM exactly once', async () => {
    let cut = 0;
    const s = await start({
      objects: smallInventory(7),
      pageSize: 3,
      intercept: (c) => {
        if (
          c.method === 'ContinueRetrievePropertiesEx' &&
          JSON.stringify(s.calls).includes('"VirtualMachine"') &&
          cut === 0
        ) {
          cut++;
          return { kind: 'cut' };
        }
        return undefined;
      },
    });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(cut).toBe(1);
    expect(response.errors).toEqual([]);
    expect(response.stats.inventory_complete).toBe(true);
    const vms = response.assets.map((a) => a.external_id);
    expect(vms).toHaveLength(7);
    expect(new Set(vms).size).toBe(7);
  });

  it('sends maxObjects and explicit property paths (no all=true)', async () => {
    const s = await start({ objects: smallInventory(1) });
    await collectInProcess('collect_vms', insecure(s), cred, { pageSize: 250 });
    const rp = s.calls.find((c) => c.method === 'RetrievePropertiesEx')!;
    const text = JSON.stringify(rp.body);
    expect(text).toContain('"maxObjects"');
    expect(text).toContain('"250"');
    expect(text).toContain('"false"'); // <all>false</all>
  });
});

describe('faults', () => {
  it('InvalidLogin → VCENTER_AUTH_FAILED, not retryable, exit 1 from the real entry', async () => {
    const s = await start({ objects: smallInventory(1) });
    const r = await runPlugin(
      request('collect_vms', insecure(s), { username: 'svc-ledger', password: 'wrong&<pw>' }),
    );
    expect(r.code).toBe(1);
    expect(r.response.errors).toEqual([
      expect.objectContaining({ code: 'VCENTER_AUTH_FAILED', category: 'auth', retryable: false }),
    ]);
    expect(r.stdout + r.stderr).not.toContain('wrong&<pw>');
    expect(r.stdout + r.stderr).not.toContain('wrong&amp;&lt;pw&gt;');
  });

  it('NoPermission → VCENTER_PERMISSION_DENIED and an incomplete inventory', async () => {
    const s = await start({
      objects: smallInventory(2),
      intercept: (c) =>
        c.method === 'RetrievePropertiesEx' && JSON.stringify(c.body).includes('"VirtualMachine"')
          ? {
              kind: 'fault',
              faultType: 'NoPermission',
              message: 'Permission to perform this operation was denied.',
              detail: '<object type="Folder">group-d1</object><privilegeId>System.View</privilegeId>',
            }
          : undefined,
    });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(response.stats.inventory_complete).toBe(false);
    expect(response.errors).toHaveLength(1);
    expect(response.errors[0]).toMatchObject({
      code: 'VCENTER_PERMISSION_DENIED',
      category: 'permission',
      retryable: false,
    });
    expect(response.errors[0].context).toMatchObject({ privilege: 'System.View' });
    expect(s.logouts).toBe(1);
  });

  it('NotAuthenticated mid-run → logs in again once and restarts the read; every VM exactly once', async () => {
    let fired = false;
    const s = await start({
      objects: smallInventory(7),
      pageSize: 3,
      intercept: (c) => {
        if (!fired && c.method === 'ContinueRetrievePropertiesEx') {
          fired = true;
          return {
            kind: 'fault',
            faultType: 'NotAuthenticated',
            message: 'The session is not authenticated.',
          };
        }
        return undefined;
      },
    });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(response.errors).toEqual([]);
    expect(response.stats.inventory_complete).toBe(true);
    expect(s.logins).toBe(2);
    const vms = response.assets.map((a) => a.external_id);
    expect(vms).toHaveLength(7);
    expect(new Set(vms).size).toBe(7);
    expect(response.stats.warnings).toEqual([expect.objectContaining({ code: 'VCENTER_RELOGIN' })]);
  });

  it('NotAuthenticated again after the re-login → fails (no endless loop)', async () => {
    const s = await start({
      objects: smallInventory(2),
      intercept: (c) =>
        c.method === 'CreateContainerView'
          ? { kind: 'fault', faultType: 'NotAuthenticated', message: 'expired' }
          : undefined,
    });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(response.stats.inventory_complete).toBe(false);
    expect(response.errors[0].code).toBe('VCENTER_AUTH_FAILED');
    expect(s.logins).toBe(2);
  });

  it('503 then success → retried with backoff, run completes', async () => {
    let failures = 0;
    const s = await start({
      objects: smallInventory(3),
      intercept: (c) => {
        if (
          c.method === 'RetrievePropertiesEx' &&
          JSON.stringify(c.body).includes('"VirtualMachine"') &&
          failures < 2
        ) {
          failures++;
          return { kind: 'http', status: 503 };
        }
        return undefined;
      },
    });
    const { response, result } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(response.errors).toEqual([]);
    expect(response.stats.inventory_complete).toBe(true);
    expect(response.assets).toHaveLength(3);
    expect(failures).toBe(2);
    expect(result.http.requests).toBeGreaterThan(s.calls.length - 1);
  });

  it('503 for good → VCENTER_API_ERROR, retryable, after the attempts are used up', async () => {
    const s = await start({
      objects: smallInventory(1),
      intercept: (c) => (c.method === 'RetrievePropertiesEx' ? { kind: 'http', status: 503 } : undefined),
    });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred, { maxAttempts: 3 });
    expect(response.errors[0]).toMatchObject({ code: 'VCENTER_API_ERROR', retryable: true });
    expect(response.errors[0].context).toMatchObject({ http_status: 503 });
  });

  it('a response that never comes → VCENTER_TIMEOUT (per-request timeout), still logs out', async () => {
    const s = await start({
      objects: smallInventory(1),
      intercept: (c) =>
        c.method === 'RetrievePropertiesEx' && JSON.stringify(c.body).includes('"VirtualMachine"')
          ? { kind: 'hang' }
          : undefined,
    });
    const t0 = Date.now();
    const { response } = await collectInProcess(
      'collect_vms',
      { ...insecure(s), request_timeout_ms: 400 },
      cred,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(response.errors[0]).toMatchObject({
      code: 'VCENTER_TIMEOUT',
      category: 'timeout',
      retryable: true,
    });
    expect(response.stats.inventory_complete).toBe(false);
    expect(s.logouts).toBe(1);
  });

  it('ManagedObjectNotFound for one object → skipped with a warning, run completes', async () => {
    const objects = smallInventory(3);
    objects.find((o) => o.moref === 'vm-2')!.missingFault = 'ManagedObjectNotFound';
    const s = await start({ objects });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(response.errors).toEqual([]);
    expect(response.stats.inventory_complete).toBe(true);
    expect(response.assets.map((a) => a.external_id).sort()).toEqual(['vm-1', 'vm-3']);
    expect(response.stats.warnings).toEqual([
      expect.objectContaining({ code: 'VCENTER_OBJECT_GONE', external_id: 'vm-2' }),
    ]);
  });

  it('a session that silently ended (empty answers, no fault) fails the run instead of an empty inventory', async () => {
    const s = await start({
      objects: smallInventory(3),
      intercept: (c) =>
        c.method === 'RetrievePropertiesEx' && JSON.stringify(c.body).includes('"VirtualMachine"')
          ? { kind: 'xml', body: EMPTY_RETRIEVE, dropSession: true }
          : undefined,
    });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred);
    expect(response.stats.inventory_complete).toBe(false);
    expect(response.errors[0]).toMatchObject({ code: 'VCENTER_AUTH_FAILED', retryable: true });
  });

  it('connection refused → VCENTER_NETWORK_ERROR, retryable', async () => {
    const s = await start();
    const endpoint = s.endpoint;
    await s.close();
    server = undefined;
    const { response } = await collectInProcess('healthcheck', { endpoint, insecure: true }, cred, {
      maxAttempts: 2,
    });
    expect(response.errors[0]).toMatchObject({ code: 'VCENTER_NETWORK_ERROR', retryable: true });
  });
});

describe('TLS', () => {
  it('self-signed certificate: rejected by default, with the thumbprint in the message', async () => {
    const s = await start();
    const { response } = await collectInProcess('healthcheck', { endpoint: s.endpoint }, cred);
    expect(response.errors[0].code).toBe('VCENTER_TLS_ERROR');
    expect(response.errors[0].message).toContain(cert.thumbprint);
    expect(s.logins).toBe(0);
  });

  it('accepted with its SHA-256 thumbprint (colons or not, any case)', async () => {
    const s = await start();
    for (const t of [cert.thumbprint, cert.thumbprint.replace(/:/g, '').toLowerCase()]) {
      const { response } = await collectInProcess(
        'healthcheck',
        { endpoint: s.endpoint, thumbprint_sha256: t },
        cred,
      );
      expect(response.errors).toEqual([]);
    }
  });

  it('a wrong thumbprint is rejected before any request is sent', async () => {
    const s = await start();
    const wrong = 'AB'.repeat(32);
    const { response } = await collectInProcess(
      'healthcheck',
      { endpoint: s.endpoint, thumbprint_sha256: wrong },
      cred,
    );
    expect(response.errors[0].code).toBe('VCENTER_TLS_ERROR');
    expect(s.calls).toHaveLength(0);
  });

  it('accepted with its CA (ca_pem)', async () => {
    const s = await start();
    const { response } = await collectInProcess(
      'healthcheck',
      { endpoint: s.endpoint, ca_pem: cert.cert },
      cred,
    );
    expect(response.errors).toEqual([]);
    expect(s.logins).toBe(1);
  });

  it('accepted with insecure: true', async () => {
    const s = await start();
    const { response } = await collectInProcess('healthcheck', insecure(s), cred);
    expect(response.errors).toEqual([]);
  });
});

describe('escaping and namespaces', () => {
  it('password and object names with & < > " \' and CJK round-trip; xsi:type under another prefix', async () => {
    const names = (i: number) => `web & <db> "${i}" 'prod' 東京サーバー`;
    const s = await start({ objects: smallInventory(2, names) });
    const r = await runPlugin(request('collect', insecure(s), cred)); // the fixture checks the password exactly
    expect(r.code).toBe(0);
    const vm = r.response.assets.find((a) => a.external_id === 'vm-1')!;
    expect(vm.normalized.identity?.caption).toBe(names(1));
    expect(vm.normalized.placement).toEqual({
      datacenter: 'DC <Ost> & "West"',
      cluster: 'Cluster & <1>',
      folder: "vm/Prod's 本番",
      resource_pool: 'Resources',
    });
    expect(r.stdout).not.toContain(NASTY);
  });

  it('normalizes a host: serial from otherIdentifyingInfo skipping junk, vmk0 management IP, datastore total without NFS', async () => {
    const s = await start({ objects: smallInventory(1) });
    const { response } = await collectInProcess('collect_hosts', insecure(s), cred);
    const host = response.assets.find((a) => a.external_kind === 'host')!.normalized;
    expect(host.identity).toMatchObject({
      serial_number: '7XK2Q53',
      vendor: 'Dell Inc.',
      model: 'PowerEdge R650',
    });
    expect(host.network).toEqual({
      ip_addresses: ['10.0.1.11', '10.0.0.11'],
      mac_addresses: ['00:50:56:6a:00:01', '00:50:56:6a:00:00'],
      management_ip: '10.0.0.11',
    });
    expect(host.storage?.datastore_total_bytes).toBe(1_000_000_000);
    expect(host.storage?.datastores).toHaveLength(2);
    expect(host.hardware).toMatchObject({
      cpu_count: 64,
      cpu_packages: 2,
      cpu_threads: 128,
      cpu_mhz: 2000,
      memory_bytes: 549755813888,
    });
    expect(host.os).toMatchObject({ name: 'VMware ESXi', version: '8.0.2', build: '22380479' });
    expect(response.relations).toEqual([
      {
        type: 'member_of',
        from: { external_kind: 'host', external_id: 'host-1' },
        to: { external_kind: 'cluster', external_id: 'domain-c1' },
      },
    ]);
  });

  it('a VM without Tools: no guest fields, and no empty strings or zeros standing in for them', async () => {
    const s = await start({ objects: smallInventory(1) });
    const { response } = await collectInProcess('collect_vms', insecure(s), cred);
    const n = response.assets[0].normalized;
    expect(n.identity?.hostname).toBeUndefined();
    expect(n.os).toBeUndefined();
    expect(n.network).toEqual({ mac_addresses: ['00:50:56:aa:00:01'] });
    expect(n.runtime).toEqual({ power_state: 'poweredOff', tools_running: false });
    expect(n.hardware?.disks).toEqual([{ name: 'Hard disk 1', size_bytes: 42949672960, type: 'thin' }]);
    expect(n.hardware?.nics).toEqual([
      { name: 'Network adapter 1', mac: '00:50:56:aa:00:01', network: 'VM Network', connected: true },
    ]);
    expect(JSON.stringify(n)).not.toMatch(/:""|:0[,}]/);
  });
});

describe('request handling', () => {
  it('stdin that is not JSON → VCENTER_PARSE_ERROR, exit 2, valid response JSON', async () => {
    const { runPluginRaw } = await import('./helpers');
    const r = await runPluginRaw('{not json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors[0].code).toBe('VCENTER_PARSE_ERROR');
  });

  it('invalid config → VCENTER_CONFIG_INVALID, exit 1', async () => {
    const r = await runPlugin(request('collect', { endpoint: 'ftp://x' }, cred));
    expect(r.code).toBe(1);
    expect(r.response.errors[0].code).toBe('VCENTER_CONFIG_INVALID');
    expect(r.stdout).not.toContain(NASTY);
  });
});

describe('one-shot CLI', () => {
  it('--format csv prints one row per asset; the password comes from an environment variable', async () => {
    const { runPluginRaw, CLI } = await import('./helpers');
    const s = await start({ objects: smallInventory(2, (i) => `=cmd|' /C calc'!A${i}, "x"`) });
    const r = await runPluginRaw(
      '',
      [
        CLI,
        '--endpoint',
        s.endpoint,
        '--username',
        'svc-ledger',
        '--password-env',
        'VC_PASS',
        '--mode',
        'collect',
        '--insecure',
        '--format',
        'csv',
      ],
      { VC_PASS: NASTY },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^kind,moref,name,/);
    expect(lines).toHaveLength(1 + 1 + 1 + 2); // header, cluster, host, 2 VMs
    // Quoted, and a leading "=" is neutralized so spreadsheets do not run it.
    expect(lines.find((l) => l.startsWith('vm,vm-1,'))).toContain(`"'=cmd|' /C calc'!A1, ""x"""`);
  });

  it('--format json prints a schema-valid response; a missing password variable is exit 2', async () => {
    const { runPluginRaw, CLI } = await import('./helpers');
    const { collectorResponseSchema } = await import('../../../src/collector/contract');
    const s = await start({ objects: smallInventory(1) });
    const args = [
      CLI,
      '--endpoint',
      s.endpoint,
      '--username',
      'svc-ledger',
      '--password-env',
      'VC_PASS',
      '--mode',
      'collect_vms',
      '--thumbprint',
      cert.thumbprint,
    ];
    const r = await runPluginRaw('', args, { VC_PASS: NASTY });
    expect(r.code).toBe(0);
    expect(collectorResponseSchema.parse(JSON.parse(r.stdout)).assets).toHaveLength(1);
    const bad = await runPluginRaw('', args, {});
    expect(bad.code).toBe(2);
  });
});
