// Awkward names through the real simulator: XML-special characters, CJK, emoji, tabs and vCenter's own
// escapes. vCenter returns '/' as %2f, a backslash as %5c and '%' as %25 in every entity name (the simulator
// does not escape, so the escaped form is given as the name); the plugin reports names as the vSphere
// Client shows them, and the raw payload keeps what vCenter returned.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CollectorAsset } from '../../../src/collector/contract';
import { describeWithVcsim, renameEntity, startVcsim, type Vcsim } from '../../../test/vcsim';
import { collectInProcess } from './helpers';

const NAMES: [given: string, shown: string][] = [
  [`web & <db> "01" 'prod'`, `web & <db> "01" 'prod'`],
  [']]><!-- x --> &amp;', ']]><!-- x --> &amp;'],
  ['数据库-東京 🚀', '数据库-東京 🚀'],
  ['emoji 👩‍💻🇨🇳 zwj', 'emoji 👩‍💻🇨🇳 zwj'],
  ['tab\tand\u00a0nbsp', 'tab\tand\u00a0nbsp'],
  ['web%2fdb%5cnode 100%25', 'web/db\\node 100%'],
  ['upper%2Fcase%5C', 'upper/case\\'],
  ['50% off %2', '50% off %2'],
];

describeWithVcsim('entity names as people see them (simulator)', () => {
  let sim: Vcsim;
  let vms: CollectorAsset[];

  beforeAll(async () => {
    sim = await startVcsim({
      clusters: 1,
      hostsPerCluster: 1,
      vmsPerCluster: NAMES.length,
      vms: NAMES.map(([given]) => ({ name: given })),
    });
    vms = (await collect('collect_vms')).assets;
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  const collect = async (mode: 'collect_hosts' | 'collect_vms') =>
    (
      await collectInProcess(
        mode,
        { endpoint: sim.endpoint, insecure: true },
        { username: sim.username, password: sim.password },
      )
    ).response;
  const caption = (a: CollectorAsset) =>
    (a.normalized as { identity?: { caption?: string } }).identity?.caption;

  it('every VM keeps its name, special characters intact and escapes decoded', () => {
    expect(vms.map(caption).sort()).toEqual(NAMES.map(([, shown]) => shown).sort());
  });

  it('the raw payload keeps the name vCenter returned', () => {
    const raw = vms.map((a) => (a.raw_payload as { name?: string }).name).sort();
    expect(raw).toEqual(NAMES.map(([given]) => given).sort());
  });

  it("a cluster name is decoded like a VM name, on the cluster and in its VMs' placement", async () => {
    const hosts = await collect('collect_hosts');
    const cluster = hosts.assets.find((a) => a.external_kind === 'cluster')!;
    await renameEntity(sim, 'ClusterComputeResource', cluster.external_id, 'prod%2fcluster & <1> 生产');
    const [after, vmsAfter] = [await collect('collect_hosts'), await collect('collect_vms')];
    const renamed = after.assets.find((a) => a.external_id === cluster.external_id)!;
    expect(caption(renamed)).toBe('prod/cluster & <1> 生产');
    const placed = vmsAfter.assets.map(
      (a) => (a.normalized as { placement?: { cluster?: string } }).placement,
    );
    expect(new Set(placed.map((p) => p?.cluster))).toEqual(new Set(['prod/cluster & <1> 生产']));
  });

  it("a folder path keeps a '/' or '%' inside a folder's name escaped, so the path stays unambiguous", async () => {
    const parent = (vms[0]!.raw_payload as { parent?: { type: string; value: string } }).parent!;
    await renameEntity(sim, parent.type, parent.value, 'VMs/Prod%2fWeb 100%');
    const folders = (await collect('collect_vms')).assets.map(
      (a) => (a.normalized as { placement?: { folder?: string } }).placement?.folder,
    );
    expect(new Set(folders)).toEqual(new Set(['VMs%2fProd%2fWeb 100%25']));
  });
});
