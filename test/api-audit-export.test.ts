// The audit log for auditors (issue 15 item 7): configuration changes carry before/after values (never
// secrets), and GET /api/v1/exports/audit-events.csv streams the filtered log in words, in either language.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as credentialsRoute from '@/app/api/v1/credentials/route';
import * as credentialRoute from '@/app/api/v1/credentials/[id]/route';
import * as csvRoute from '@/app/api/v1/exports/audit-events.csv/route';
import * as groupsRoute from '@/app/api/v1/schedule-groups/route';
import * as groupRoute from '@/app/api/v1/schedule-groups/[id]/route';
import * as sourcesRoute from '@/app/api/v1/sources/route';
import * as sourceRoute from '@/app/api/v1/sources/[id]/route';
import { getDb } from '@/db/client';
import { AUDIT_CHANGE_FIELDS, AUDIT_DETAIL_KEYS } from '@/server/audit/describe';
import type { RouteHandler } from '@/server/http/route';
import { call, setupApiTest } from './api';
import { createActors, type Actors } from './api-fixtures';
import type { TestDatabase } from './db';

const h = (x: unknown) => x as RouteHandler;
const SECRET = 'audit-secret-pw-8c1f';

describe('audit before/after and CSV export', () => {
  let t: TestDatabase;
  let actors: Actors;
  let sourceId: string;
  let credId: string;
  let groupId: string;
  const admin = () => actors.tokens.admin;
  const json = async (res: Response) => {
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.json();
  };
  const lastAudit = async (action: string) =>
    (
      await getDb().execute<{ details: Record<string, unknown> }>(
        sql`select details from audit_events where action = ${action} order by ts desc, id desc limit 1`,
      )
    ).rows[0]!.details;

  beforeAll(async () => {
    t = await setupApiTest();
    actors = await createActors();
    credId = (
      await json(
        await call(h(credentialsRoute.POST), {
          token: admin(),
          body: { name: 'vc cred', type: 'vcenter', data: { username: 'u', password: SECRET } },
        }),
      )
    ).id;
    sourceId = (
      await json(
        await call(h(sourcesRoute.POST), {
          token: admin(),
          body: {
            name: 'Lab',
            type: 'vcenter',
            config: { endpoint: 'https://vc-a.example.test', insecure: true },
            credentialId: credId,
          },
        }),
      )
    ).id;
    groupId = (await json(await call(h(groupsRoute.POST), { token: admin(), body: { name: 'Nightly' } }))).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('a source change records old → new of each changed field, the group and credential by name', async () => {
    await json(
      await call(h(sourceRoute.PATCH), {
        token: admin(),
        params: { id: sourceId },
        body: {
          name: 'Lab vCenter',
          config: { endpoint: 'https://vc-b.example.test', thumbprint_sha256: 'AB'.repeat(32) },
          scheduleGroupId: groupId,
        },
      }),
    );
    expect((await lastAudit('source.update')).changes).toEqual({
      name: { old: 'Lab', new: 'Lab vCenter' },
      endpoint: { old: 'https://vc-a.example.test', new: 'https://vc-b.example.test' },
      tlsMode: { old: 'insecure', new: 'thumbprint' },
      thumbprint: { old: null, new: 'AB'.repeat(32) },
      scheduleGroup: { old: null, new: 'Nightly' },
    });
  });

  it('a credential change names the password as changed but never holds it', async () => {
    await json(
      await call(h(credentialRoute.PATCH), {
        token: admin(),
        params: { id: credId },
        body: { name: 'vc cred 2', data: { password: `${SECRET}-new` } },
      }),
    );
    const d = await lastAudit('credential.update');
    expect(d.changes).toEqual({ name: { old: 'vc cred', new: 'vc cred 2' } });
    expect(d.changed).toContain('data.password');
    const all = await getDb().execute(sql`select details::text as d from audit_events`);
    expect(JSON.stringify(all.rows)).not.toContain(SECRET);
  });

  it('a schedule change records its old and new time zone and time', async () => {
    await json(
      await call(h(groupRoute.PATCH), {
        token: admin(),
        params: { id: groupId },
        body: { timezone: 'Asia/Shanghai', timeOfDay: '03:30' },
      }),
    );
    expect((await lastAudit('schedule_group.update')).changes).toEqual({
      timezone: { old: 'UTC', new: 'Asia/Shanghai' },
      timeOfDay: { old: '02:00', new: '03:30' },
    });
  });

  it('every detail key and changed field recorded has a label (the page and CSV show no raw keys)', async () => {
    const r = await getDb().execute<{ k: string }>(
      sql`select distinct jsonb_object_keys(details) as k from audit_events where details is not null`,
    );
    for (const { k } of r.rows)
      if (k !== 'changes') expect(AUDIT_DETAIL_KEYS as readonly string[], k).toContain(k);
    const c = await getDb().execute<{ k: string }>(sql`
      select distinct jsonb_object_keys(details->'changes') as k from audit_events
      where jsonb_typeof(details->'changes') = 'object'`);
    expect(c.rows.length).toBeGreaterThan(3);
    for (const { k } of c.rows) expect(AUDIT_CHANGE_FIELDS as readonly string[], k).toContain(k);
  });

  it('exports the filtered log as CSV in words, in English and Chinese; admins only', async () => {
    const res = await call(h(csvRoute.GET), {
      token: admin(),
      url: '/api/v1/exports/audit-events.csv?action=source.',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-events-.*\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)], 'byte-order mark').toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe(
      'Time,Who,Action,Action code,Outcome,Target type,Target,Target ID,IP,Request ID,Details',
    );
    expect(lines.length, 'source.create and source.update only').toBe(3);
    expect(lines[1]).toContain('Source: changed,source.update,Success,Source,Lab vCenter,');
    expect(lines[1]).toContain('Name: Lab → Lab vCenter');
    expect(lines[1]).toContain('TLS: Not verified (insecure) → Trust one pinned certificate');
    expect(lines[1]).toContain('Schedule group: — → Nightly');

    const zh = await (
      await call(h(csvRoute.GET), {
        token: admin(),
        url: '/api/v1/exports/audit-events.csv?action=source.update&lang=zh-CN',
      })
    ).text();
    const zl = zh.trim().split('\r\n');
    expect(zl[0]).toBe('时间,操作者,操作,操作代码,结果,对象类型,对象,对象 ID,IP,请求 ID,详情');
    expect(zl[1]).toContain('数据源：已修改,source.update,成功,数据源,Lab vCenter');
    expect(zl[1]).toContain('名称: Lab → Lab vCenter');

    const none = await (
      await call(h(csvRoute.GET), { token: admin(), url: '/api/v1/exports/audit-events.csv?outcome=denied' })
    ).text();
    expect(none.trim().split('\r\n')).toHaveLength(1);
    expect(
      (await call(h(csvRoute.GET), { token: actors.tokens.user, url: '/api/v1/exports/audit-events.csv' }))
        .status,
    ).toBe(403);
  });
});
