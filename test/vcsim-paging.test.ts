// The harness's paging (-page N): RetrievePropertiesEx answers at most min(maxObjects, N) objects and the rest
// follow by ContinueRetrievePropertiesEx tokens, as a vCenter pages; a delay fault on "RetrievePropertiesEx"
// slows every page, first and continued (test/ui/run-cancel.test.ts relies on both).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { armVcsimFault, describeWithVcsim, startVcsim, vcsimClient, type Vcsim } from './vcsim';

describeWithVcsim('simulator harness: paging', () => {
  let sim: Vcsim;
  beforeAll(async () => {
    sim = await startVcsim({ hostsPerCluster: 1, vmsPerCluster: 23, page: 7 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const readVms = async (maxObjects: number) => {
    const c = await vcsimClient(sim);
    try {
      const names: string[] = [];
      const stats = await c.retrieveAll('VirtualMachine', ['name'], (o) => names.push(o.obj.value), {
        maxObjects,
      });
      return { names, pages: stats.pages };
    } finally {
      await c.logout();
      c.close();
    }
  };

  it('pages by the smaller of maxObjects and the harness page, every object once', async () => {
    const big = await readVms(1000);
    expect(big.names).toHaveLength(23);
    expect(new Set(big.names).size).toBe(23);
    expect(big.pages).toBe(4); // 7 + 7 + 7 + 2
    const small = await readVms(5);
    expect(new Set(small.names)).toEqual(new Set(big.names));
    expect(small.pages).toBe(5);
  });

  it('a delay fault on RetrievePropertiesEx applies to every page', async () => {
    await armVcsimFault(sim, { kind: 'delay', method: 'RetrievePropertiesEx', ms: 200 });
    const t0 = Date.now();
    const { pages } = await readVms(1000);
    const hits = await armVcsimFault(sim, { kind: '' });
    expect(hits, 'first and continued pages').toBe(pages);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(pages * 200);
  });
});
