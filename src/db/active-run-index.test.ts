// The database, not a read-then-write, allows at most one queued-or-running run per (source, mode).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { runs, sources } from './schema';

let t: TestDatabase;
let sourceId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  const [s] = await t.db
    .insert(sources)
    .values({ name: 'vc1', config: { endpoint: 'https://vc1.example' } })
    .returning();
  sourceId = s!.id;
});
afterAll(async () => t?.drop());

const queue = (mode: 'collect_hosts' | 'collect_vms', status: 'queued' | 'running' = 'queued') =>
  t.db.insert(runs).values({ sourceId, mode, status, trigger: 'manual' }).returning();

/** The Postgres error code of a failed query (drizzle wraps the driver error in `cause`). */
async function pgCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    const err = e as { code?: string; cause?: { code?: string } };
    return err.cause?.code ?? err.code;
  }
}

describe('runs_one_active_per_source_mode', () => {
  it('rejects a second queued run for the same source and mode', async () => {
    const [first] = await queue('collect_hosts');
    expect(first!.status).toBe('queued');
    expect(await pgCode(queue('collect_hosts'))).toBe('23505'); // unique_violation
  });

  it('accepts one for the other mode of the same source', async () => {
    const [other] = await queue('collect_vms');
    expect(other!.mode).toBe('collect_vms');
  });

  it('counts running as active, and allows a new run once the active one has finished', async () => {
    await t.db.update(runs).set({ status: 'running' }).where(eq(runs.mode, 'collect_hosts'));
    expect(await pgCode(queue('collect_hosts'))).toBe('23505');
    await t.db.update(runs).set({ status: 'succeeded' }).where(eq(runs.mode, 'collect_hosts'));
    const [next] = await queue('collect_hosts');
    expect(next!.status).toBe('queued');
    const all = await t.db.select().from(runs).where(eq(runs.sourceId, sourceId));
    expect(all).toHaveLength(3);
  });
});
