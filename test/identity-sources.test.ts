// The same vCenter twice (issue 16 item 1, DESIGN §8b): refused at save when the endpoint is the same in
// another spelling, and at its first run (any mode) when only the vCenter's instance UUID gives it away.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import * as sourceRoute from '@/app/api/v1/sources/[id]/route';
import { getDb } from '@/db/client';
import { keyring } from '@/server/credentials/crypto';
import { createCredential } from '@/server/credentials/store';
import type { RouteHandler } from '@/server/http/route';
import { triggerRun } from '@/server/runs/trigger';
import { call, setupApiTest } from './api';
import { createActors, type Actors } from './api-fixtures';
import type { TestDatabase } from './db';
import { rows, runOf, runWorkerUntilIdle } from './pipeline-helpers';
import { describeWithVcsim, startVcsim, vcsimInstanceUuid, type Vcsim } from './vcsim';

const h = (x: unknown) => x as RouteHandler;

describeWithVcsim('duplicate sources (simulator)', () => {
  let t: TestDatabase;
  let sim: Vcsim;
  let actors: Actors;
  let credentialId: string;
  beforeAll(async () => {
    [t, sim] = await Promise.all([setupApiTest(), startVcsim({ hostsPerCluster: 2, vmsPerCluster: 3 })]);
    actors = await createActors();
    credentialId = (
      await createCredential(getDb(), {
        name: 'sim',
        type: 'vcenter',
        publicData: { username: sim.username },
        secret: { password: sim.password },
      })
    ).id;
  });
  afterAll(async () => {
    await Promise.all([sim?.stop(), t?.drop()]);
  });

  const post = (name: string, endpoint: string) =>
    call(h(sourcesRoute.POST), {
      token: actors.tokens.admin,
      body: { name, type: 'vcenter', config: { endpoint, insecure: true }, credentialId },
    });
  const port = () => new URL(sim.endpoint).port;
  const runAll = async (
    sourceId: string,
    modes: ('collect_hosts' | 'collect_vms' | 'detect' | 'healthcheck')[],
  ) => {
    const ids: string[] = [];
    for (const mode of modes)
      ids.push((await triggerRun(getDb(), { sourceId, mode, trigger: 'manual' })).run.id);
    await runWorkerUntilIdle(getDb(), { secretKeys: keyring() });
    return Promise.all(ids.map((id) => runOf(getDb(), id)));
  };
  const ledger = async () =>
    (
      await rows<{ assets: number; links: number; events: number; records: number }>(
        getDb(),
        sql`select (select count(*)::int from assets) as assets, (select count(*)::int from asset_source_links) as links,
                   (select count(*)::int from asset_events) as events, (select count(*)::int from source_records) as records`,
      )
    )[0]!;

  let firstId: string;
  it('the first source collects and records the vCenter’s instance UUID', async () => {
    const res = await post('vCenter A', `https://127.0.0.1:${port()}`);
    expect(res.status).toBe(201);
    firstId = (await res.json()).id;
    const runs = await runAll(firstId, ['collect_hosts', 'collect_vms']);
    for (const r of runs) expect(r, JSON.stringify(r.errors)).toMatchObject({ status: 'succeeded' });
    const src = await (
      await call(h(sourceRoute.GET), { token: actors.tokens.admin, params: { id: firstId } })
    ).json();
    expect(src.instanceUuid).toBe((await vcsimInstanceUuid(sim)).toLowerCase());
    expect(src.instanceUuidSeenAt).not.toBeNull();
    // Detect and health check record it too (each starting from a source that has none).
    for (const mode of ['detect', 'healthcheck'] as const) {
      await getDb().execute(
        sql`update sources set instance_uuid = null, instance_uuid_seen_at = null where id = ${firstId}`,
      );
      const [run] = await runAll(firstId, [mode]);
      expect(run, JSON.stringify(run!.errors)).toMatchObject({ status: 'succeeded' });
      const [row] = await rows<{ instance_uuid: string | null }>(
        getDb(),
        sql`select instance_uuid from sources where id = ${firstId}`,
      );
      expect(row!.instance_uuid, mode).toBe((await vcsimInstanceUuid(sim)).toLowerCase());
    }
  });

  it('the same endpoint spelled differently is refused with 409 naming the source', async () => {
    for (const spelling of [`https://127.0.0.1:${port()}/sdk/`, `HTTPS://127.0.0.1:${port()}/`]) {
      const res = await post(`again ${spelling}`, spelling);
      expect(res.status, spelling).toBe(409);
      const body = await res.json();
      expect(body.error).toMatchObject({
        code: 'SOURCE_DUPLICATE',
        details: { reason: 'endpoint', duplicateOf: { id: firstId, name: 'vCenter A' } },
      });
      expect(body.error.message).toContain('vCenter A');
    }
    // Editing another source onto the same endpoint is refused too.
    const other = await post('vCenter elsewhere', 'https://vc-elsewhere.example.test');
    expect(other.status).toBe(201);
    const edit = await call(h(sourceRoute.PATCH), {
      token: actors.tokens.admin,
      params: { id: (await other.json()).id },
      body: { config: { endpoint: `https://127.0.0.1:${port()}/sdk`, insecure: true } },
    });
    expect(edit.status).toBe(409);
    expect((await edit.json()).error.details.duplicateOf.name).toBe('vCenter A');
    // Editing the source itself (same endpoint) is fine.
    const self = await call(h(sourceRoute.PATCH), {
      token: actors.tokens.admin,
      params: { id: firstId },
      body: { config: { endpoint: `https://127.0.0.1:${port()}/sdk`, insecure: true } },
    });
    expect(self.status).toBe(200);
  });

  it('a spelling no normalization catches saves, but its first run of any mode fails SOURCE_DUPLICATE and changes nothing', async () => {
    const res = await post('vCenter A by name', `https://localhost:${port()}`);
    expect(res.status).toBe(201);
    const dupId = (await res.json()).id;
    const before = await ledger();
    const runs = await runAll(dupId, ['collect_hosts', 'collect_vms', 'detect', 'healthcheck']);
    for (const r of runs) {
      expect(r, JSON.stringify(r.errors)).toMatchObject({ status: 'failed', error_code: 'SOURCE_DUPLICATE' });
      expect(r.attempt).toBe(1); // not retried: running it again cannot help
      expect(r.error_message).toContain('vCenter A');
      expect(r.errors).toEqual([
        expect.objectContaining({
          code: 'SOURCE_DUPLICATE',
          context: expect.objectContaining({
            duplicate_of_source_id: firstId,
            duplicate_of_source_name: 'vCenter A',
          }),
        }),
      ]);
    }
    expect(await ledger()).toEqual(before);
    const dup = await rows<{ instance_uuid: string | null }>(
      getDb(),
      sql`select instance_uuid from sources where id = ${dupId}`,
    );
    expect(dup[0]!.instance_uuid).toBeNull();
  });
});
