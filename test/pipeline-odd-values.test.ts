// The real vCenter plugin through the worker against the fixture SOAP server (the simulator cannot serve
// these values): negative free space, -1 and 0 sentinels, NaN-like text and a 2^70 disk size on some objects.
// The runs succeed, those fields are absent on those objects only, and the run's warnings name them. The
// same plugin asked for contract v1 still lands end to end.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_COMMANDS } from '@/collector/runner';
import type { RunMode } from '@/collector/contract';
import { triggerRun } from '@/server/runs/trigger';
import {
  XSI,
  makeSelfSignedCert,
  smallInventory,
  startFixtureServer,
  v,
  type FixtureObject,
  type FixtureServer,
} from './fixtures/soap/server';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource, rows, runOf, runWorkerUntilIdle } from './pipeline-helpers';

const TWO_70 = (2n ** 70n).toString();

/** smallInventory(4) with odd values on host-1's first datastore, vm-2, vm-3 and vm-4. */
function oddInventory(): FixtureObject[] {
  const objs = smallInventory(4);
  const find = (moref: string) => objs.find((o) => o.moref === moref)!;
  find('datastore-1').props.summary = v.obj(
    'DatastoreSummary',
    '<name>local-ssd</name><capacity>1000000000</capacity><freeSpace>-52428800</freeSpace><type>VMFS</type>',
  );
  find('vm-2').props['config.hardware.memoryMB'] = v.int(-1); // vSphere's "unknown": absent, no warning
  find('vm-3').props['config.hardware.device'] = find('vm-3').props['config.hardware.device']!.replace(
    /<capacityInKB>\d+<\/capacityInKB><capacityInBytes>\d+<\/capacityInBytes>/,
    `<capacityInKB>-1</capacityInKB><capacityInBytes>${TWO_70}</capacityInBytes>`,
  );
  find('vm-4').props['config.hardware.numCPU'] = `<val ${XSI}:type="xsd:int">NaN</val>`;
  return objs;
}

let t: TestDatabase;
let server: FixtureServer;
let sourceId: string;
beforeAll(async () => {
  const cert = makeSelfSignedCert();
  [t, server] = await Promise.all([
    createTestDatabase(),
    startFixtureServer({ username: 'svc', password: 'pw', tls: cert, objects: oddInventory() }),
  ]);
  sourceId = (
    await createSource(t.db, {
      config: { endpoint: server.endpoint, insecure: true },
      credential: { username: 'svc', password: 'pw' },
    })
  ).id;
});
afterAll(async () => {
  await Promise.all([t?.drop(), server?.close()]);
});

async function run(mode: RunMode, contract?: 'v1') {
  const { run } = await triggerRun(t.db, { sourceId, mode, trigger: 'manual' });
  await t.db.execute(sql`update runs set max_attempts = 1 where id = ${run.id}`);
  await runWorkerUntilIdle(t.db, { pluginCommand: { ...PLUGIN_COMMANDS.vcenter!, contract } });
  return runOf(t.db, run.id);
}
const normalizedOf = async (id: string) =>
  (
    await rows<{ n: Record<string, Record<string, unknown>> }>(
      t.db,
      sql`select r.normalized as n from asset_source_links l join source_records r on r.link_id = l.id
          where l.source_id = ${sourceId} and l.external_id = ${id} order by r.id desc limit 1`,
    )
  )[0]!.n;
type FieldWarning = {
  code: string;
  field: string;
  count: number;
  examples: { external_id: string; value: string }[];
};
const fieldWarnings = (w: unknown[]) =>
  Object.fromEntries(
    (w as FieldWarning[]).filter((x) => x.code === 'FIELD_INVALID').map((x) => [x.field, x]),
  );

describe('odd values from vCenter', () => {
  it('collect_hosts: negative free space is dropped from that datastore only, with a warning', async () => {
    const r = await run('collect_hosts');
    expect(r).toMatchObject({ status: 'succeeded', stats: expect.objectContaining({ contract: 'v2' }) });
    const host = await normalizedOf('host-1');
    expect(host.storage!.datastores).toEqual([
      { name: 'local-ssd', type: 'VMFS', capacity_bytes: 1000000000 },
      { name: 'nas01', type: 'NFS41', capacity_bytes: 9000000000, free_bytes: 1000000000 },
    ]);
    const w = fieldWarnings(r.warnings);
    expect(w['storage.datastores[].free_bytes']).toMatchObject({
      count: 1,
      examples: [expect.objectContaining({ external_id: 'host-1', value: '-52428800' })],
    });
  });

  it('collect_vms: sentinels absent silently, NaN and 2^70 absent with warnings, other VMs untouched', async () => {
    const r = await run('collect_vms');
    expect(r).toMatchObject({ status: 'succeeded' });
    const [vm1, vm2, vm3, vm4] = await Promise.all(['vm-1', 'vm-2', 'vm-3', 'vm-4'].map(normalizedOf));
    expect(vm1!.hardware).toMatchObject({ cpu_count: 4, memory_bytes: 8192 * 2 ** 20 });
    expect((vm1!.hardware!.disks as unknown[])[0]).toMatchObject({ size_bytes: 42949672960 });
    expect(vm2!.hardware).not.toHaveProperty('memory_bytes');
    expect(vm2!.hardware).toMatchObject({ cpu_count: 4 });
    expect((vm3!.hardware!.disks as Record<string, unknown>[])[0]).not.toHaveProperty('size_bytes');
    expect((vm3!.hardware!.disks as Record<string, unknown>[])[0]).toMatchObject({ name: 'Hard disk 1' });
    expect(vm4!.hardware).not.toHaveProperty('cpu_count');
    expect(vm4!.hardware).toMatchObject({ memory_bytes: 8192 * 2 ** 20 });
    const w = fieldWarnings(r.warnings);
    expect(Object.keys(w).sort()).toEqual(['hardware.cpu_count', 'hardware.disks[].size_bytes']);
    expect(w['hardware.disks[].size_bytes']!.examples).toEqual([
      expect.objectContaining({ external_id: 'vm-3', value: TWO_70 }),
    ]);
    expect(w['hardware.cpu_count']!.examples).toEqual([
      expect.objectContaining({ external_id: 'vm-4', value: 'NaN' }),
    ]);
  });

  it('the plugin asked for contract v1 still lands end to end, with the same warnings', async () => {
    const r = await run('collect_vms', 'v1');
    expect(r).toMatchObject({
      status: 'succeeded',
      stats: expect.objectContaining({ contract: 'v1', assets: 4 }),
    });
    expect(Object.keys(fieldWarnings(r.warnings)).sort()).toEqual([
      'hardware.cpu_count',
      'hardware.disks[].size_bytes',
    ]);
  });
});
