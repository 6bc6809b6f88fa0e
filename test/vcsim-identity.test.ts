// The harness's identity options: a second instance of its own, VMs with given UUIDs, placeholder host ids.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithVcsim,
  listVmIdentities,
  startVcsim,
  vcsimInstanceUuid,
  vcsimClient,
  type Vcsim,
} from './vcsim';

describeWithVcsim('simulator harness: identity options', () => {
  const sims: Vcsim[] = [];
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
  });
  let a: Vcsim;
  let b: Vcsim;
  const given = {
    name: 'moved-vm',
    uuid: '4211aaaa-1111-2222-3333-444455556666',
    instanceUuid: '5011bbbb-1111-2222-3333-444455556666',
  };
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startVcsim({ instanceUuid: '11111111-2222-3333-4444-555555555555' }),
      startVcsim({ seed: 7, vms: [given], junkHostIdentity: true }),
    ]);
    sims.push(a, b);
  });

  it('reports the given instance UUID, and a seeded instance has UUIDs of its own', async () => {
    expect(await vcsimInstanceUuid(a)).toBe('11111111-2222-3333-4444-555555555555');
    expect(await vcsimInstanceUuid(b)).not.toBe(await vcsimInstanceUuid(a));
    const [va, vb] = await Promise.all([listVmIdentities(a), listVmIdentities(b)]);
    const uuidsA = new Set([...va.values()].map((v) => v.uuid));
    const others = [...vb.values()].filter((v) => v.name !== given.name);
    expect(others.length).toBeGreaterThan(0);
    for (const v of others) expect(uuidsA.has(v.uuid)).toBe(false);
    expect([...vb.values()].find((v) => v.name === given.name)).toEqual(given);
  });

  it('junk host identity: every host shares the placeholder serial and hardware UUID', async () => {
    const c = await vcsimClient(b);
    try {
      const seen: string[] = [];
      await c.retrieveAll('HostSystem', ['hardware.systemInfo'], (o) => {
        seen.push(
          o.props
            .get('hardware.systemInfo')
            ?.children.map((x) => `${x.name}=${x.text}`)
            .join(' ') ?? '',
        );
      });
      expect(seen.length).toBeGreaterThan(1);
      for (const s of seen) {
        expect(s).toContain('serialNumber=To be filled by O.E.M.');
        expect(s).toContain('uuid=03000200-0400-0500-0006-000700080009');
      }
    } finally {
      await c.logout();
      c.close();
    }
  });
});
