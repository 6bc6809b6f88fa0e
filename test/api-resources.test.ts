// Behaviour of the admin resources through the real route handlers and a real PostgreSQL: credentials
// (write-only secrets, 409 while used), sources (per-type config, latest runs, 409 while a run is active),
// schedule groups (IANA zone, next fire time, members in one call, 409 while bound), users, tokens, audit
// events and the raw view. Every secret given to the API is then looked for in every response body and
// every log line written during the suite.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Log everything (debug includes one line per request), before the logger module is loaded.
vi.hoisted(() => {
  process.env.LOG_LEVEL = 'debug';
});

import { getDb } from '@/db/client';
import { loadCredentialForPlugin } from '@/server/credentials/store';
import type { RouteHandler } from '@/server/http/route';
import * as authMe from '@/app/api/v1/auth/me/route';
import * as authLogin from '@/app/api/v1/auth/login/route';
import * as auditEvents from '@/app/api/v1/audit-events/route';
import * as credentials from '@/app/api/v1/credentials/route';
import * as credential from '@/app/api/v1/credentials/[id]/route';
import * as sources from '@/app/api/v1/sources/route';
import * as source from '@/app/api/v1/sources/[id]/route';
import * as groups from '@/app/api/v1/schedule-groups/route';
import * as group from '@/app/api/v1/schedule-groups/[id]/route';
import * as usersRoute from '@/app/api/v1/users/route';
import * as userRoute from '@/app/api/v1/users/[id]/route';
import * as userPassword from '@/app/api/v1/users/[id]/password/route';
import * as tokens from '@/app/api/v1/tokens/route';
import * as tokenRoute from '@/app/api/v1/tokens/[id]/route';
import * as raw from '@/app/api/v1/assets/[id]/records/[recordId]/raw/route';
import { call as rawCall, setupApiTest, type CallOptions } from './api';
import { insertRun, seedWorld, type World } from './api-fixtures';
import type { TestDatabase } from './db';

// ---------------------------------------------------------------- capture every body and log line
const bodies: string[] = [];
const logs: string[] = [];
const secrets = new Set<string>();
const origWrite = fs.write;
const origWriteSync = fs.writeSync;
const origStdout = process.stdout.write.bind(process.stdout);
function tee(fd: unknown, data: unknown) {
  if ((fd === 1 || fd === 2) && (typeof data === 'string' || Buffer.isBuffer(data))) logs.push(String(data));
}
beforeAll(() => {
  // pino (sonic-boom) writes to fd 1 with fs.write / fs.writeSync; console goes through process.stdout.
  (fs as { write: unknown }).write = (fd: unknown, data: unknown, ...rest: unknown[]) => {
    tee(fd, data);
    return (origWrite as (...a: unknown[]) => unknown)(fd, data, ...rest);
  };
  (fs as { writeSync: unknown }).writeSync = (fd: unknown, data: unknown, ...rest: unknown[]) => {
    tee(fd, data);
    return (origWriteSync as (...a: unknown[]) => unknown)(fd, data, ...rest);
  };
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    logs.push(String(chunk));
    return (origStdout as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
});

async function call(h: RouteHandler, o: CallOptions = {}) {
  const res = await rawCall(h, o);
  const text = await res.clone().text();
  bodies.push(text);
  return res;
}
const given = (s: string) => (secrets.add(s), s);

let t: TestDatabase;
let w: World;
let admin: string;
let user: string;
beforeAll(async () => {
  t = await setupApiTest();
  w = await seedWorld();
  admin = w.actors.tokens.admin;
  user = w.actors.tokens.user;
});
afterAll(async () => {
  (fs as { write: unknown }).write = origWrite;
  (fs as { writeSync: unknown }).writeSync = origWriteSync;
  process.stdout.write = origStdout as typeof process.stdout.write;
  await t?.drop();
});

const json = async (res: Response) => JSON.parse(await res.text());

async function lastAudit(action: string) {
  const r = await getDb().execute<{
    action: string;
    target_id: string;
    request_id: string;
    actor_label: string;
  }>(sql`select * from audit_events where action = ${action} order by id desc limit 1`);
  return r.rows[0];
}

describe('credentials', () => {
  let id: string;
  const pw1 = given('first-Secret-Pa55!');
  const pw2 = given('second-Secret-Pa55?');

  it('create: 201 with the public part only; the secret decrypts for the worker; audited with request id', async () => {
    const res = await call(credentials.POST, {
      token: admin,
      body: { name: 'vc-prod', type: 'vcenter', data: { username: 'svc-ledger', password: pw1 } },
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({
      name: 'vc-prod',
      type: 'vcenter',
      publicData: { username: 'svc-ledger' },
      secretSet: true,
    });
    expect(JSON.stringify(body)).not.toContain(pw1);
    id = body.id;
    expect(await loadCredentialForPlugin(getDb(), id)).toEqual({ username: 'svc-ledger', password: pw1 });
    const a = await lastAudit('credential.create');
    expect(a).toMatchObject({
      target_id: id,
      request_id: res.headers.get('x-request-id'),
      actor_label: 'matrix-admin',
    });
  });

  it('type-checked payload: a missing password names the field and never echoes values', async () => {
    const leaked = given('leaky-value-in-bad-payload');
    const res = await call(credentials.POST, {
      token: admin,
      body: { name: 'bad', type: 'vcenter', data: { username: leaked } },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('body.data.password');
    const res2 = await call(credentials.POST, {
      token: admin,
      body: {
        name: 'bad',
        type: 'vcenter',
        data: { username: 'x', password: given('pw-with-extra'), extra: 1 },
      },
    });
    expect(res2.status).toBe(400);
  });

  it('duplicate name (any case) → 409', async () => {
    const res = await call(credentials.POST, {
      token: admin,
      body: { name: 'VC-PROD', type: 'vcenter', data: { username: 'a', password: given('dup-secret-123') } },
    });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('CONFLICT');
  });

  it('update: a new username keeps the stored secret; a new password replaces it', async () => {
    let res = await call(credential.PATCH, {
      token: admin,
      params: { id },
      body: { data: { username: 'svc2' } },
    });
    expect(res.status).toBe(200);
    expect(await loadCredentialForPlugin(getDb(), id)).toEqual({ username: 'svc2', password: pw1 });
    res = await call(credential.PATCH, { token: admin, params: { id }, body: { data: { password: pw2 } } });
    expect(res.status).toBe(200);
    expect(await loadCredentialForPlugin(getDb(), id)).toEqual({ username: 'svc2', password: pw2 });
    const got = await json(await call(credential.GET, { token: admin, params: { id } }));
    expect(got.publicData).toEqual({ username: 'svc2' });
  });

  it('delete is refused with 409 while a source uses it, allowed once the source is deleted', async () => {
    const s = await json(
      await call(sources.POST, {
        token: admin,
        body: {
          name: 'uses-cred',
          type: 'vcenter',
          config: { endpoint: 'https://vc.a.test' },
          credentialId: id,
        },
      }),
    );
    let res = await call(credential.DELETE, { token: admin, params: { id } });
    expect(res.status).toBe(409);
    expect((await json(res)).error.details.sources[0].name).toBe('uses-cred');
    expect((await call(source.DELETE, { token: admin, params: { id: s.id } })).status).toBe(204);
    res = await call(credential.DELETE, { token: admin, params: { id } });
    expect(res.status).toBe(204);
    expect((await call(credential.GET, { token: admin, params: { id } })).status).toBe(404);
    expect(await lastAudit('credential.delete')).toMatchObject({ target_id: id });
  });
});

describe('sources', () => {
  it('config is validated per type: the field is named', async () => {
    for (const [config, field] of [
      [{ endpoint: 'http://vc.test' }, 'body.config.endpoint'],
      [{ endpoint: 'not a url' }, 'body.config.endpoint'],
      [{ endpoint: 'https://vc.test', thumbprint_sha256: 'abc' }, 'body.config.thumbprint_sha256'],
      [{ endpoint: 'https://vc.test', ca_pem: 'nope' }, 'body.config.ca_pem'],
      [{ endpoint: 'https://vc.test', insecure: 'yes' }, 'body.config.insecure'],
    ] as const) {
      const res = await call(sources.POST, { token: admin, body: { name: 'x', type: 'vcenter', config } });
      expect(res.status, JSON.stringify(config)).toBe(400);
      expect((await json(res)).error.message).toContain(field);
    }
  });

  it('unknown credential or group id → 400 naming the field', async () => {
    const res = await call(sources.POST, {
      token: admin,
      body: {
        name: 'x',
        type: 'vcenter',
        config: { endpoint: 'https://vc.test' },
        credentialId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('body.credentialId');
  });

  it('list shows each mode’s latest run; delete is 409 while a run is active, then soft-deletes', async () => {
    const created = await json(
      await call(sources.POST, {
        token: admin,
        body: {
          name: 'runs-src',
          type: 'vcenter',
          config: { endpoint: 'https://vc.b.test', insecure: true },
        },
      }),
    );
    await insertRun(created.id, 'failed', 'collect_hosts');
    const active = await insertRun(created.id, 'running', 'collect_vms');
    const list = await json(await call(sources.GET, { token: admin, url: '/api/v1/sources?limit=500' }));
    const item = list.items.find((s: { id: string }) => s.id === created.id);
    expect(item.latestRuns.collect_vms).toMatchObject({ id: active, status: 'running' });
    expect(item.latestRuns.collect_hosts.status).toBe('failed');
    expect(item.latestRuns.detect).toBeNull();
    let res = await call(source.DELETE, { token: admin, params: { id: created.id } });
    expect(res.status).toBe(409);
    expect((await json(res)).error.details.runs[0].id).toBe(active);
    await getDb().execute(sql`update runs set status = 'succeeded' where id = ${active}`);
    res = await call(source.DELETE, { token: admin, params: { id: created.id } });
    expect(res.status).toBe(204);
    expect((await call(source.GET, { token: admin, params: { id: created.id } })).status).toBe(404);
    const row = await getDb().execute(sql`select deleted_at from sources where id = ${created.id}`);
    expect(row.rows[0]!.deleted_at).not.toBeNull();
    // The name is free again.
    res = await call(sources.POST, {
      token: admin,
      body: { name: 'runs-src', type: 'vcenter', config: { endpoint: 'https://vc.b.test' } },
    });
    expect(res.status).toBe(201);
  });

  it('update replaces config (validated) and audits the changed fields', async () => {
    const res = await call(source.PATCH, {
      token: admin,
      params: { id: w.sourceId },
      body: { config: { endpoint: 'https://vc-new.example.test', thumbprint_sha256: 'ab'.repeat(32) } },
    });
    expect(res.status).toBe(200);
    expect((await json(res)).config.endpoint).toBe('https://vc-new.example.test');
    expect((await lastAudit('source.update'))!.target_id).toBe(w.sourceId);
  });
});

describe('schedule groups', () => {
  it('IANA zone and time of day are validated, naming the field', async () => {
    for (const [body, field] of [
      [{ name: 'g', timezone: 'Mars/Olympus_Mons' }, 'body.timezone'],
      [{ name: 'g', timezone: '+01:00' }, 'body.timezone'],
      [{ name: 'g', timeOfDay: '24:00' }, 'body.timeOfDay'],
      [{ name: 'g', cron: 'every day' }, 'body.cron'],
    ] as const) {
      const res = await call(groups.POST, { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error.message).toContain(field);
    }
  });

  it('members are set in one call; next fire time is shown; delete is 409 while bound', async () => {
    const s2 = await json(
      await call(sources.POST, {
        token: admin,
        body: { name: 'member-2', type: 'vcenter', config: { endpoint: 'https://vc.c.test' } },
      }),
    );
    const before = Date.now();
    const g = await json(
      await call(groups.POST, {
        token: admin,
        body: {
          name: 'Nightly Tokyo',
          timezone: 'Asia/Tokyo',
          timeOfDay: '02:30',
          sourceIds: [w.sourceId, s2.id],
        },
      }),
    );
    expect(g.sources.map((s: { id: string }) => s.id).sort()).toEqual([w.sourceId, s2.id].sort());
    const next = new Date(g.nextFireAt);
    expect(next.getTime()).toBeGreaterThan(before);
    expect(next.getTime() - before).toBeLessThanOrEqual(24 * 3600_000);
    // 02:30 in Tokyo is 17:30 UTC.
    expect(next.toISOString().slice(11, 16)).toBe('17:30');
    // The world group lost the world source (a source belongs to at most one group).
    const wg = await json(await call(group.GET, { token: admin, params: { id: w.groupId } }));
    expect(wg.sources).toEqual([]);

    let res = await call(group.DELETE, { token: admin, params: { id: g.id } });
    expect(res.status).toBe(409);
    res = await call(group.PATCH, { token: admin, params: { id: g.id }, body: { sourceIds: [s2.id] } });
    expect((await json(res)).sources.map((s: { id: string }) => s.id)).toEqual([s2.id]);
    res = await call(group.PATCH, { token: admin, params: { id: g.id }, body: { sourceIds: [] } });
    expect((await json(res)).sources).toEqual([]);
    res = await call(group.DELETE, { token: admin, params: { id: g.id } });
    expect(res.status).toBe(204);
    expect(await lastAudit('schedule_group.delete')).toMatchObject({ target_id: g.id });
  });

  it('unknown member ids → 400 naming body.sourceIds', async () => {
    const res = await call(groups.POST, {
      token: admin,
      body: { name: 'bad-members', sourceIds: ['00000000-0000-4000-8000-000000000001'] },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('body.sourceIds');
  });
});

describe('users and tokens', () => {
  it('admin creates a user (generated password shown once), changes role, disables, resets the password', async () => {
    const res = await call(usersRoute.POST, { token: admin, body: { username: 'dave', role: 'user' } });
    expect(res.status).toBe(201);
    const dave = await json(res);
    expect(dave.generatedPassword).toMatch(/^\S{20}$/);
    expect(dave.mustChangePassword).toBe(true);
    const login = await call(authLogin.POST, {
      body: { username: 'dave', password: dave.generatedPassword },
    });
    expect(login.status).toBe(200);

    const promoted = await json(
      await call(userRoute.PATCH, { token: admin, params: { id: dave.id }, body: { role: 'admin' } }),
    );
    expect(promoted.role).toBe('admin');
    expect((await lastAudit('user.update'))!.target_id).toBe(dave.id);

    const reset = await call(userPassword.POST, {
      token: admin,
      params: { id: dave.id },
      body: { password: given('Reset-Password-42') },
    });
    expect(await json(reset)).toEqual({});
    expect(
      (await call(authLogin.POST, { body: { username: 'dave', password: 'Reset-Password-42' } })).status,
    ).toBe(200);

    const disabled = await json(
      await call(userRoute.PATCH, { token: admin, params: { id: dave.id }, body: { enabled: false } }),
    );
    expect(disabled.enabled).toBe(false);
    expect(
      (await call(authLogin.POST, { body: { username: 'dave', password: 'Reset-Password-42' } })).status,
    ).toBe(401);
  });

  it('creating a user with a given password; duplicate names → 409', async () => {
    const pw = given('Given-User-Password-1');
    const res = await call(usersRoute.POST, {
      token: admin,
      body: { username: 'erin', role: 'user', password: pw },
    });
    expect(res.status).toBe(201);
    expect((await json(res)).generatedPassword).toBeUndefined();
    const dup = await call(usersRoute.POST, {
      token: admin,
      body: { username: 'ERIN', role: 'user', password: pw },
    });
    expect(dup.status).toBe(409);
  });

  it('the last enabled admin cannot be demoted or disabled', async () => {
    // Disable every other admin first.
    await getDb().execute(
      sql`update users set enabled = false where role = 'admin' and username <> 'matrix-admin'`,
    );
    const res = await call(userRoute.PATCH, {
      token: admin,
      params: { id: w.actors.userIds.admin },
      body: { role: 'user' },
    });
    expect(res.status).toBe(409);
  });

  it('tokens: created once, work as Bearer, list shows only the prefix, revoke → 401; others cannot revoke', async () => {
    // Tokens are created from a signed-in session (a token may not mint tokens: test/api-security.test.ts).
    const { createSession } = await import('@/server/auth/session');
    const session = await createSession(getDb(), w.actors.userIds.user, { secure: false });
    const res = await call(tokens.POST, {
      cookie: session.cookie.split(';')[0]!,
      body: { name: 'report script' },
    });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created.token).toMatch(/^alt_/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const me = await json(await call(authMe.GET, { token: created.token }));
    expect(me.user.username).toBe('matrix-user');
    const list = await call(tokens.GET, { token: user });
    const listText = await list.text();
    expect(listText).not.toContain(created.token);
    expect(JSON.parse(listText).items.some((x: { id: string }) => x.id === created.id)).toBe(true);

    // Another (non-admin) user cannot revoke it: 404, as if it did not exist.
    const other = await call(usersRoute.POST, {
      token: admin,
      body: { username: 'frank', role: 'user', password: given('Frank-Password-1') },
    });
    const frankId = (await json(other)).id;
    // Frank has chosen his own password since (until then every call but that is 403).
    await getDb().execute(sql`update users set must_change_password = false where id = ${frankId}`);
    const { generateApiToken } = await import('@/server/auth/session');
    const ft = generateApiToken();
    await getDb().execute(
      sql`insert into api_tokens (user_id, name, prefix, token_hash) values (${frankId}, 'f', ${ft.prefix}, ${ft.tokenHash})`,
    );
    expect((await call(tokenRoute.DELETE, { token: ft.token, params: { id: created.id } })).status).toBe(404);

    // Lists: a user sees only their own; scope=all is the admin's overview of everyone's, with owners.
    const mine = await json(await call(tokens.GET, { token: ft.token }));
    expect(mine.items.map((x: { name: string }) => x.name)).toEqual(['f']);
    const all = '/api/v1/tokens?scope=all';
    expect((await call(tokens.GET, { token: ft.token, url: all })).status).toBe(403);
    const everyone = await json(await call(tokens.GET, { token: admin, url: all }));
    const owners = new Set(everyone.items.map((x: { username: string }) => x.username));
    expect(owners.has('frank') && owners.has('matrix-user')).toBe(true);

    const revoked = await call(tokenRoute.DELETE, { token: user, params: { id: created.id } });
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).revokedAt).not.toBeNull();
    expect((await call(authMe.GET, { token: created.token })).status).toBe(401);
    expect((await lastAudit('token.revoke'))!.target_id).toBe(created.id);
  });
});

describe('raw view and audit events', () => {
  it('raw record: admin only, secrets redacted, audited', async () => {
    const res = await call(raw.GET, { token: admin, params: { id: w.vmUuid, recordId: w.vmRecordId } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.raw.name).toBe('web-01');
    expect(body.raw.config.guest.password).toBe('[redacted]');
    expect(JSON.stringify(body)).not.toContain('raw-secret-should-not-show');
    const a = await lastAudit('record.raw_view');
    expect(a).toMatchObject({ target_id: w.vmRecordId, request_id: res.headers.get('x-request-id') });
    expect(
      (await call(raw.GET, { token: user, params: { id: w.vmUuid, recordId: w.vmRecordId } })).status,
    ).toBe(403);
    // A record of another asset is not reachable through this asset.
    expect(
      (await call(raw.GET, { token: admin, params: { id: w.hostUuid, recordId: w.vmRecordId } })).status,
    ).toBe(404);
  });

  it('raw record stored as JSON text (ingest since migration 0005) reads the same way', async () => {
    const payload = { name: 'web-01', 'config.hardware.numCPU': '4', guest: { token: 'text-secret-hidden' } };
    const rec = await getDb().execute<{ id: string }>(sql`
      insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, raw, hash,
                                  last_seen_run_id, last_seen_at)
      select l.id, l.asset_uuid, l.source_id, ${w.runId}, now(), '{}'::jsonb, ${JSON.stringify(payload)}, 'hash-text',
             ${w.runId}, now()
      from asset_source_links l where l.asset_uuid = ${w.vmUuid} limit 1
      returning id::text as id`);
    const recordId = rec.rows[0]!.id;
    const res = await call(raw.GET, { token: admin, params: { id: w.vmUuid, recordId } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.raw).toEqual({ ...payload, guest: { token: '[redacted]' } });
    await getDb().execute(sql`delete from source_records where id = ${recordId}`);
  });

  it('audit events: filters by action prefix, outcome and target; newest first', async () => {
    const res = await call(auditEvents.GET, {
      token: admin,
      url: '/api/v1/audit-events?action=credential.&limit=100',
    });
    const body = await json(res);
    const actions = body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['credential.create', 'credential.update', 'credential.delete']),
    );
    expect(actions.every((a: string) => a.startsWith('credential.'))).toBe(true);
    const ids = body.items.map((e: { id: string }) => Number(e.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const f = await json(
      await call(auditEvents.GET, {
        token: admin,
        url: '/api/v1/audit-events?action=auth.login&outcome=failure',
      }),
    );
    expect(f.items.length).toBeGreaterThan(0);
    expect(f.items.every((e: { outcome: string }) => e.outcome === 'failure')).toBe(true);
    const byTarget = await json(
      await call(auditEvents.GET, { token: admin, url: `/api/v1/audit-events?targetId=${w.sourceId}` }),
    );
    expect(byTarget.items.every((e: { targetId: string }) => e.targetId === w.sourceId)).toBe(true);
  });
});

describe('audit coverage', () => {
  it('every create/update/delete, reset, token, raw view and login of this suite is audited with actor and request id', async () => {
    const r = await getDb().execute<{
      action: string;
      n: number;
      missing_request: number;
      missing_actor: number;
    }>(sql`
      select action, count(*)::int as n, count(*) filter (where request_id is null)::int as missing_request,
             count(*) filter (where actor_label is null)::int as missing_actor
      from audit_events group by action`);
    const by = Object.fromEntries(r.rows.map((x) => [x.action, x]));
    for (const action of [
      'auth.login',
      'user.create',
      'user.update',
      'user.password_reset',
      'token.create',
      'token.revoke',
      'credential.create',
      'credential.update',
      'credential.delete',
      'source.create',
      'source.update',
      'source.delete',
      'schedule_group.create',
      'schedule_group.update',
      'schedule_group.delete',
      'record.raw_view',
    ]) {
      expect(by[action]?.n ?? 0, action).toBeGreaterThan(0);
      expect(by[action]!.missing_request, `${action} without request id`).toBe(0);
      expect(by[action]!.missing_actor, `${action} without actor`).toBe(0);
    }
  });
});

describe('secrets', () => {
  it('no secret given to the API appears in any response body or log line', async () => {
    // Give the logger a moment to flush asynchronous writes.
    await new Promise((r) => setTimeout(r, 200));
    expect(secrets.size).toBeGreaterThan(5);
    expect(bodies.length).toBeGreaterThan(40);
    expect(logs.length, 'log lines were captured').toBeGreaterThan(10);
    const haystacks = [...bodies, ...logs];
    for (const s of secrets) {
      const hits = haystacks.filter((h) => h.includes(s));
      expect(hits, `secret ${s.slice(0, 4)}… leaked`).toEqual([]);
    }
    // Nor in the database outside the ciphertext (e.g. audit details).
    const audit = await getDb().execute(sql`select details::text as d from audit_events`);
    for (const s of secrets) expect(audit.rows.some((r) => String(r.d).includes(s))).toBe(false);
  });
});
