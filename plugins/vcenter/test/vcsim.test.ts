// The plugin against the project's vCenter simulator (govmomi), asserting against the simulator's own totals.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CollectorResponse } from '../../../src/collector/contract';
import {
  describeWithVcsim,
  destroyVm,
  listVmPlacement,
  relocateVm,
  startVcsim,
  type Vcsim,
} from '../../../test/vcsim';
import { request, runPlugin, type PluginRun } from './helpers';

// Special characters and CJK in the password: it travels through XML (SOAP Login) and HTTP Basic (vAPI).
const PASSWORD = `pä&<s>"s'密码`;

describeWithVcsim('vCenter plugin against the simulator', () => {
  let sim: Vcsim;
  const runs: Partial<Record<'collect_hosts' | 'collect_vms' | 'collect', PluginRun>> = {};
  let placement: Map<string, { name: string; host?: string }>;
  let taggedVm: string;

  beforeAll(async () => {
    sim = await startVcsim({
      clusters: 2,
      hostsPerCluster: 3,
      vmsPerCluster: 5,
      standaloneHosts: 1,
      password: PASSWORD,
    });
    placement = await listVmPlacement(sim);
    taggedVm = [...placement.keys()][0];
    await tagObject(sim, taggedVm, 'Umgebung & <Stufe>', '本番 "prod"');
    const cfg = { endpoint: sim.endpoint, insecure: true };
    const cred = { username: sim.username, password: sim.password };
    // Sequential: two cores, and the simulator serializes requests anyway.
    for (const mode of ['collect_hosts', 'collect_vms', 'collect'] as const) {
      runs[mode] = await runPlugin(request(mode, cfg, cred));
    }
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const ofKind = (r: CollectorResponse, kind: string) => r.assets.filter((a) => a.external_kind === kind);
  const ids = (r: CollectorResponse, kind: string) => ofKind(r, kind).map((a) => a.external_id);

  it('simulator totals are what the suite asked for', () => {
    expect(sim.totals).toMatchObject({ vms: (2 + 1) * 5, hosts: 2 * 3 + 1, clusters: 2 });
    expect(placement.size).toBe(sim.totals.vms);
  });

  it('collect_hosts: every host and cluster once, member_of for clustered hosts only, no VMs', () => {
    const run = runs.collect_hosts!;
    expect(run.code).toBe(0);
    const r = run.response;
    expect(r.errors).toEqual([]);
    expect(r.stats.inventory_complete).toBe(true);
    expect(ofKind(r, 'vm')).toHaveLength(0);
    const hosts = ids(r, 'host');
    const clusters = ids(r, 'cluster');
    expect(hosts).toHaveLength(sim.totals.hosts);
    expect(new Set(hosts).size).toBe(sim.totals.hosts);
    expect(clusters).toHaveLength(sim.totals.clusters);
    expect(new Set(clusters).size).toBe(sim.totals.clusters);
    const memberOf = r.relations.filter((x) => x.type === 'member_of');
    expect(r.relations.every((x) => x.type === 'member_of')).toBe(true);
    // 2 clusters × 3 hosts are clustered; the standalone host has none.
    expect(memberOf).toHaveLength(6);
    expect(new Set(memberOf.map((m) => m.from.external_id)).size).toBe(6);
    for (const m of memberOf) {
      expect(clusters).toContain(m.to.external_id);
      const host = ofKind(r, 'host').find((h) => h.external_id === m.from.external_id)!;
      const cluster = ofKind(r, 'cluster').find((c) => c.external_id === m.to.external_id)!;
      expect(host.normalized.placement?.cluster).toBe(cluster.normalized.identity?.caption);
    }
    const standalone = ofKind(r, 'host').filter(
      (h) => !memberOf.some((m) => m.from.external_id === h.external_id),
    );
    expect(standalone).toHaveLength(1);
    expect(standalone[0].normalized.placement?.cluster).toBeUndefined();
    expect(r.stats.assets).toBe(r.assets.length);
    expect(r.stats.relations).toBe(r.relations.length);
  });

  it('collect_hosts: hardware and ESXi facts of a host', () => {
    const h = ofKind(runs.collect_hosts!.response, 'host')[0].normalized;
    expect(h.identity?.caption).toBeTruthy();
    expect(h.identity?.machine_uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.identity?.vendor).toBeTruthy();
    expect(h.identity?.model).toBeTruthy();
    expect(h.os).toMatchObject({ name: 'VMware ESXi' });
    expect(h.os?.version).toBeTruthy();
    expect(h.os?.build).toBeTruthy();
    expect(h.hardware?.cpu_count).toBeGreaterThan(0);
    expect(h.hardware?.cpu_mhz).toBeGreaterThan(0);
    expect(h.hardware?.memory_bytes).toBeGreaterThan(1024 ** 3);
    expect(h.network?.management_ip).toBe('127.0.0.1');
    expect(h.runtime).toMatchObject({
      connection_state: 'connected',
      maintenance_mode: false,
      power_state: 'poweredOn',
    });
    expect(h.storage?.datastores?.length).toBeGreaterThan(0);
    expect(h.storage?.datastore_total_bytes).toBeGreaterThan(0);
    expect(h.placement?.datacenter).toBe('DC0');
  });

  it('collect_vms: every VM once, runs_on and hosts_vm to the host the simulator placed it on, no hosts', () => {
    const run = runs.collect_vms!;
    expect(run.code).toBe(0);
    const r = run.response;
    expect(r.errors).toEqual([]);
    expect(r.stats.inventory_complete).toBe(true);
    expect(ofKind(r, 'host')).toHaveLength(0);
    expect(ofKind(r, 'cluster')).toHaveLength(0);
    const vms = ids(r, 'vm');
    expect(vms).toHaveLength(sim.totals.vms);
    expect(new Set(vms)).toEqual(new Set(placement.keys()));
    for (const [vm, p] of placement) {
      const runsOn = r.relations.filter((x) => x.type === 'runs_on' && x.from.external_id === vm);
      expect(runsOn).toEqual([
        {
          type: 'runs_on',
          from: { external_kind: 'vm', external_id: vm },
          to: { external_kind: 'host', external_id: p.host },
        },
      ]);
      const hostsVm = r.relations.filter((x) => x.type === 'hosts_vm' && x.to.external_id === vm);
      expect(hostsVm).toEqual([
        {
          type: 'hosts_vm',
          from: { external_kind: 'host', external_id: p.host },
          to: { external_kind: 'vm', external_id: vm },
        },
      ]);
    }
    expect(r.relations).toHaveLength(2 * sim.totals.vms);
  });

  it('collect_vms: Tools-running VMs have host name, OS and IPs; Tools-not-running VMs have none', () => {
    const vms = ofKind(runs.collect_vms!.response, 'vm');
    const running = vms.filter((v) => v.normalized.runtime?.tools_running === true);
    const notRunning = vms.filter((v) => v.normalized.runtime?.tools_running === false);
    expect(running.length + notRunning.length).toBe(vms.length);
    expect(notRunning.length).toBeGreaterThan(0); // every 10th VM in the simulator
    expect(running.length).toBeGreaterThan(0);
    for (const v of running) {
      expect(v.normalized.identity?.hostname).toMatch(/^srv-\d{5}\.corp\.example$/);
      expect(v.normalized.os?.name).toBeTruthy();
      expect(v.normalized.network?.ip_addresses?.some((ip) => /^10\./.test(ip))).toBe(true);
      expect(v.normalized.network?.ip_addresses?.some((ip) => ip.includes(':'))).toBe(true); // IPv6 too
    }
    for (const v of notRunning) {
      expect(v.normalized.identity?.hostname).toBeUndefined();
      expect(v.normalized.os).toBeUndefined();
      expect(v.normalized.network?.ip_addresses).toBeUndefined();
    }
  });

  it('collect_vms: VM facts, placement and tags', () => {
    const vms = ofKind(runs.collect_vms!.response, 'vm');
    for (const v of vms) {
      const n = v.normalized;
      expect(n.identity?.caption).toBe(placement.get(v.external_id)!.name);
      expect(n.identity?.machine_uuid).toBeTruthy();
      expect(n.identity?.bios_uuid).toBeTruthy();
      expect(n.template).toBe(false);
      expect(n.hardware?.cpu_count).toBeGreaterThan(0);
      expect(n.hardware?.memory_bytes).toBeGreaterThanOrEqual(1024 ** 3);
      expect(n.hardware?.disks?.length).toBeGreaterThan(0);
      expect(n.hardware?.disks?.[0].size_bytes).toBeGreaterThan(0);
      expect(n.hardware?.nics?.[0].mac).toMatch(/^00:50:56:/);
      expect(n.hardware?.nics?.[0].network).toBeTruthy();
      expect(n.network?.mac_addresses?.length).toBeGreaterThan(0);
      expect(n.runtime?.power_state).toBe('poweredOn');
      expect(n.placement?.datacenter).toBe('DC0');
      expect(n.placement?.resource_pool).toBeTruthy();
      expect(n.placement?.folder).toBe('vm');
      expect(n.tags).toEqual(v.external_id === taggedVm ? ['Umgebung & <Stufe>:本番 "prod"'] : []);
    }
    const clustered = vms.filter((v) => v.normalized.placement?.cluster);
    expect(clustered).toHaveLength(2 * 5);
  });

  it('collect is the union of collect_hosts and collect_vms', () => {
    const all = runs.collect!.response;
    expect(runs.collect!.code).toBe(0);
    expect(all.stats.inventory_complete).toBe(true);
    const key = (a: { external_kind: string; external_id: string }) => `${a.external_kind}:${a.external_id}`;
    const union = [...runs.collect_hosts!.response.assets, ...runs.collect_vms!.response.assets]
      .map(key)
      .sort();
    expect(all.assets.map(key).sort()).toEqual(union);
    const rel = (x: CollectorResponse['relations'][number]) => `${x.type}|${key(x.from)}|${key(x.to)}`;
    const unionRel = [...runs.collect_hosts!.response.relations, ...runs.collect_vms!.response.relations]
      .map(rel)
      .sort();
    expect(all.relations.map(rel).sort()).toEqual(unionRel);
  });

  it('detect and healthcheck', async () => {
    const cfg = { endpoint: sim.endpoint, insecure: true };
    const cred = { username: sim.username, password: sim.password };
    const d = await runPlugin(request('detect', cfg, cred));
    expect(d.code).toBe(0);
    expect(d.response.detect).toMatchObject({ api_type: 'VirtualCenter', target_version: '6.5.0' });
    expect(d.response.detect?.build).toBeTruthy();
    expect(d.response.detect?.instance_uuid).toBeTruthy();
    expect(d.response.detect?.driver).toBeTruthy();
    expect(d.response.assets).toEqual([]);
    const h = await runPlugin(request('healthcheck', cfg, cred));
    expect(h.code).toBe(0);
    expect(h.response.errors).toEqual([]);
    expect(h.response.assets).toEqual([]);
    // Every mode names the vCenter that answered (the worker refuses a vCenter that is another source's).
    expect(h.response.detect?.instance_uuid).toBe(d.response.detect?.instance_uuid);
    const c = await runPlugin(request('collect_hosts', cfg, cred));
    expect(c.code).toBe(0);
    expect(c.response.detect?.instance_uuid).toBe(d.response.detect?.instance_uuid);
  });

  it('wrong password: VCENTER_AUTH_FAILED, exit 1, and the password never printed', async () => {
    const wrong = `${PASSWORD}-wrong`;
    const r = await runPlugin(
      request(
        'collect_vms',
        { endpoint: sim.endpoint, insecure: true },
        { username: sim.username, password: wrong },
      ),
    );
    expect(r.code).toBe(1);
    expect(r.response.errors).toHaveLength(1);
    expect(r.response.errors[0]).toMatchObject({
      code: 'VCENTER_AUTH_FAILED',
      category: 'auth',
      retryable: false,
    });
    expect(r.response.stats.inventory_complete).toBe(false);
    expect(r.response.assets).toEqual([]);
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain('密码');
    }
  });

  // Last: it changes the simulator's inventory. Also proves the harness helpers the run pipeline tests use.
  it('after relocateVm and destroyVm, collect_vms shows the VM on its new host and the other one gone', async () => {
    const [moved, destroyed] = [...placement.keys()].filter((k) => k !== taggedVm);
    const from = placement.get(moved)!.host!;
    const to = [...new Set([...placement.values()].map((p) => p.host!))].find((h) => h !== from)!;
    await relocateVm(sim, moved, to);
    await destroyVm(sim, destroyed);
    const r = await runPlugin(
      request(
        'collect_vms',
        { endpoint: sim.endpoint, insecure: true },
        { username: sim.username, password: sim.password },
      ),
    );
    expect(r.code).toBe(0);
    const vms = r.response.assets.map((a) => a.external_id);
    expect(vms).toHaveLength(sim.totals.vms - 1);
    expect(vms).not.toContain(destroyed);
    const runsOn = r.response.relations.filter((x) => x.type === 'runs_on' && x.from.external_id === moved);
    expect(runsOn.map((x) => x.to.external_id)).toEqual([to]);
  });

  it('TLS is verified by default: the simulator certificate is rejected with its thumbprint in the message', async () => {
    const r = await runPlugin(
      request('healthcheck', { endpoint: sim.endpoint }, { username: sim.username, password: sim.password }),
    );
    expect(r.code).toBe(1);
    expect(r.response.errors[0].code).toBe('VCENTER_TLS_ERROR');
    expect(r.response.errors[0].message).toMatch(/thumbprint is ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });
});

/** Creates a category + tag through the simulator's vAPI REST API and attaches it to an object. */
async function tagObject(sim: Vcsim, vmMoref: string, category: string, tag: string): Promise<void> {
  const base = sim.endpoint;
  const prev = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  try {
    const auth = 'Basic ' + Buffer.from(`${sim.username}:${sim.password}`).toString('base64');
    const s = await fetch(`${base}/rest/com/vmware/cis/session`, {
      method: 'POST',
      headers: { authorization: auth },
    });
    const token = ((await s.json()) as { value: string }).value;
    const h = { 'vmware-api-session-id': token, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${base}/rest${path}`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${path}: ${r.status}`);
      const text = await r.text();
      return text ? (JSON.parse(text) as { value?: string }).value : undefined;
    };
    const catId = await post('/com/vmware/cis/tagging/category', {
      create_spec: { name: category, description: '', cardinality: 'MULTIPLE', associable_types: [] },
    });
    const tagId = await post('/com/vmware/cis/tagging/tag', {
      create_spec: { name: tag, description: '', category_id: catId },
    });
    await post(`/com/vmware/cis/tagging/tag-association/id:${encodeURIComponent(tagId!)}?~action=attach`, {
      object_id: { id: vmMoref, type: 'VirtualMachine' },
    });
  } finally {
    if (prev === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = prev;
  }
}
