// The run routes through their handlers: trigger (new / suppressed), 50 concurrent POSTs → one active run,
// group run-now, list filters and pagination, get one, roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { snakeCaseKeys } from '@/server/http/contract';
import * as runsRoute from '@/app/api/v1/runs/route';
import * as runRoute from '@/app/api/v1/runs/[id]/route';
import * as sourceRuns from '@/app/api/v1/sources/[id]/runs/route';
import * as groupRuns from '@/app/api/v1/schedule-groups/[id]/runs/route';
import type { RouteHandler } from '@/server/http/route';
import { call, setupApiTest } from './api';
import { createActors, type Actors } from './api-fixtures';
import { createGroup, createSource } from './pipeline-helpers';
import type { TestDatabase } from './db';

let t: TestDatabase;
let actors: Actors;
beforeAll(async () => {
  t = await setupApiTest();
  actors = await createActors();
});
afterAll(async () => {
  await t?.drop();
});

const h = (x: unknown) => x as RouteHandler;

describe('run routes', () => {
  it('POST /sources/{id}/runs: 201 new, 200 suppressed; 50 concurrent POSTs leave exactly one active run', async () => {
    const src = await createSource(getDb(), { name: 'vCenter 北京 & <lab>' });
    const post = () =>
      call(h(sourceRuns.POST), {
        token: actors.tokens.admin,
        params: { id: src.id },
        body: { mode: 'collect_vms' },
      });
    const first = await post();
    expect(first.status).toBe(201);
    const body = await first.json();
    expect(body).toMatchObject({
      suppressed: false,
      run: {
        sourceId: src.id,
        sourceName: 'vCenter 北京 & <lab>',
        mode: 'collect_vms',
        status: 'queued',
        trigger: 'api',
      },
    });
    const again = await post();
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ suppressed: true, run: { id: body.run.id } });

    const src2 = await createSource(getDb());
    const many = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(h(sourceRuns.POST), {
          token: actors.tokens.admin,
          params: { id: src2.id },
          body: { mode: 'collect_hosts' },
        }),
      ),
    );
    const bodies = await Promise.all(many.map((r) => r.json()));
    expect(many.filter((r) => r.status === 201)).toHaveLength(1);
    expect(many.filter((r) => r.status === 200)).toHaveLength(49);
    expect(new Set(bodies.map((b) => b.run.id)).size).toBe(1);
    const active = await call(h(runsRoute.GET), {
      token: actors.tokens.user,
      url: `/api/v1/runs?sourceId=${src2.id}&status=queued,running`,
    });
    expect((await active.json()).total).toBe(1);
  });

  it('rejects unknown modes, unknown sources and non-admins', async () => {
    const src = await createSource(getDb());
    const bad = await call(h(sourceRuns.POST), {
      token: actors.tokens.admin,
      params: { id: src.id },
      body: { mode: 'everything' },
    });
    expect(bad.status).toBe(400);
    const missing = await call(h(sourceRuns.POST), {
      token: actors.tokens.admin,
      params: { id: '00000000-0000-4000-8000-000000000000' },
      body: { mode: 'detect' },
    });
    expect(missing.status).toBe(404);
    const user = await call(h(sourceRuns.POST), {
      token: actors.tokens.user,
      params: { id: src.id },
      body: { mode: 'detect' },
    });
    expect(user.status).toBe(403);
  });

  it('POST /schedule-groups/{id}/runs enqueues hosts then VMs per source and reports skips', async () => {
    const g = await createGroup(getDb());
    await createSource(getDb(), { scheduleGroupId: g });
    await createSource(getDb(), { scheduleGroupId: g, credential: null });
    const r = await call(h(groupRuns.POST), { token: actors.tokens.admin, params: { id: g } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ queued: 2, suppressed: 0, skippedMissingCredential: 1 });
    expect(body.runs.map((x: { mode: string }) => x.mode)).toEqual(['collect_hosts', 'collect_vms']);
    const again = await (
      await call(h(groupRuns.POST), { token: actors.tokens.admin, params: { id: g } })
    ).json();
    expect(again).toMatchObject({ queued: 0, suppressed: 2 });
  });

  it('GET /runs filters by mode, status, trigger and pages; GET /runs/{id}', async () => {
    const all = await (
      await call(h(runsRoute.GET), { token: actors.tokens.user, url: '/api/v1/runs?limit=2' })
    ).json();
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThan(2);
    const page2 = await (
      await call(h(runsRoute.GET), { token: actors.tokens.user, url: '/api/v1/runs?limit=2&offset=2' })
    ).json();
    expect(page2.items[0].id).not.toBe(all.items[0].id);
    const hosts = await (
      await call(h(runsRoute.GET), {
        token: actors.tokens.user,
        url: '/api/v1/runs?mode=collect_hosts&trigger=api',
      })
    ).json();
    expect(hosts.items.length).toBeGreaterThan(0);
    expect(
      hosts.items.every(
        (r: { mode: string; trigger: string }) => r.mode === 'collect_hosts' && r.trigger === 'api',
      ),
    ).toBe(true);
    const bad = await call(h(runsRoute.GET), {
      token: actors.tokens.user,
      url: '/api/v1/runs?status=exploded',
    });
    expect(bad.status).toBe(400);
    const one = await call(h(runRoute.GET), { token: actors.tokens.user, params: { id: all.items[0].id } });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: all.items[0].id,
      attempt: 1,
      attempts: [],
      createdAt: expect.stringMatching(/T.*Z$/),
    });
    const none = await call(h(runRoute.GET), {
      token: actors.tokens.user,
      params: { id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(none.status).toBe(404);
  });

  it('GET /runs/{id}: the JSON the worker stores in snake_case comes back camelCase (stats, attempts, detect, warnings, errors)', async () => {
    const list = await (
      await call(h(runsRoute.GET), { token: actors.tokens.user, url: '/api/v1/runs?limit=1' })
    ).json();
    const id = list.items[0].id as string;
    // As the worker writes them: plugin and ingest stats, a FIELD_INVALID group, a plugin error's context.
    await getDb().execute(sql`update runs set
      stats = '{"assets": 3, "inventory_complete": true, "relations_unresolved": 1, "plugin_ms": 12, "round_trips": 9}',
      detect = '{"target_version": "8.0.2", "build": "123", "instance_uuid": "u-1", "api_type": "VirtualCenter", "capabilities": ["soap"]}',
      attempts = '[{"attempt": 1, "startedAt": "2026-12-01T07:04:37.569Z", "errorCode": "X"}]',
      warnings = '[{"code": "FIELD_INVALID", "field": "hardware.cpu_count", "count": 1, "examples": [{"external_kind": "vm", "external_id": "vm-1", "path": "hardware.cpu_count", "value": "-1"}]}]',
      errors = '[{"code": "SOURCE_DUPLICATE", "message": "m", "context": {"duplicate_of_source_id": "s"}}]'
      where id = ${id}`);
    const res = await call(h(runRoute.GET), { token: actors.tokens.user, params: { id } });
    expect(res.status).toBe(200);
    const run = await res.json();
    expect(snakeCaseKeys(run)).toEqual([]);
    expect(run.stats).toMatchObject({ inventoryComplete: true, relationsUnresolved: 1, pluginMs: 12 });
    expect(run.detect).toEqual({
      targetVersion: '8.0.2',
      build: '123',
      instanceUuid: 'u-1',
      apiType: 'VirtualCenter',
      capabilities: ['soap'],
    });
    expect(run.warnings[0].examples[0]).toMatchObject({ externalKind: 'vm', externalId: 'vm-1' });
    expect(run.errors[0].context).toEqual({ duplicateOfSourceId: 's' });
    // an attempt stored before its timestamps were written as RFC 3339 (jsonb's `…+00:00`) is served as `…Z`
    await getDb().execute(sql`update runs set attempts =
      '[{"attempt": 1, "startedAt": "2026-12-02T02:14:23.788504+00:00", "finishedAt": "2026-12-02T02:14:24.9+00:00"}]'
      where id = ${id}`);
    const legacy = await (await call(h(runRoute.GET), { token: actors.tokens.user, params: { id } })).json();
    expect(legacy.attempts).toEqual([
      { attempt: 1, startedAt: '2026-12-02T02:14:23.788504Z', finishedAt: '2026-12-02T02:14:24.9Z' },
    ]);
    // The list answers the same shape.
    const again = await (
      await call(h(runsRoute.GET), { token: actors.tokens.user, url: '/api/v1/runs?limit=1' })
    ).json();
    expect(snakeCaseKeys(again)).toEqual([]);
  });
});
