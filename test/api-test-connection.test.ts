// Test connection (issue 15 item 6): POST /api/v1/sources/test-connection runs the vCenter plugin's real
// healthcheck against the simulator with what the form holds, and says what happened in the run's codes.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as testRoute from '@/app/api/v1/sources/test-connection/route';
import { getDb } from '@/db/client';
import { createCredential } from '@/server/credentials/store';
import type { RouteHandler } from '@/server/http/route';
import { call, setupApiTest } from './api';
import { createActors, type Actors } from './api-fixtures';
import type { TestDatabase } from './db';
import { describeWithVcsim, startVcsim, type Vcsim } from './vcsim';

const h = (x: unknown) => x as RouteHandler;

describeWithVcsim('test connection (simulator)', () => {
  let t: TestDatabase;
  let sim: Vcsim;
  let actors: Actors;
  let good: string;
  let wrong: string;
  beforeAll(async () => {
    [t, sim] = await Promise.all([setupApiTest(), startVcsim({ hostsPerCluster: 1, vmsPerCluster: 1 })]);
    actors = await createActors();
    const cred = (name: string, password: string) =>
      createCredential(getDb(), {
        name,
        type: 'vcenter',
        publicData: { username: sim.username },
        secret: { password },
      }).then((c) => c.id);
    [good, wrong] = await Promise.all([cred('good', sim.password), cred('wrong', 'not-the-password')]);
  });
  afterAll(async () => {
    await Promise.all([sim?.stop(), t?.drop()]);
  });

  const test = (body: Record<string, unknown>, token = actors.tokens.admin) =>
    call(h(testRoute.POST), { token, body: { type: 'vcenter', ...body } });

  it('a good endpoint and credential: ok, with the vCenter’s version and clock; audited', async () => {
    const res = await test({
      name: 'Lab',
      config: { endpoint: sim.endpoint, insecure: true },
      credentialId: good,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body, JSON.stringify(body)).toMatchObject({ ok: true, server: { version: expect.any(String) } });
    // RFC 3339 in UTC with milliseconds, as every time the API writes (the simulator sends nanoseconds)
    expect(body.server.serverTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const audit = await getDb().execute<{ outcome: string; details: Record<string, unknown> }>(
      sql`select outcome, details from audit_events where action = 'source.test_connection' order by ts desc limit 1`,
    );
    expect(audit.rows[0]).toMatchObject({
      outcome: 'success',
      details: { endpoint: sim.endpoint, tlsMode: 'insecure', credentialId: good },
    });
    expect(JSON.stringify(audit.rows[0]), 'no secret in the audit trail').not.toContain(sim.password);
  });

  it('a wrong password: not ok, VCENTER_AUTH_FAILED, audited as a failure', async () => {
    const res = await test({ config: { endpoint: sim.endpoint, insecure: true }, credentialId: wrong });
    const body = await res.json();
    expect(body, JSON.stringify(body)).toMatchObject({ ok: false, error: { code: 'VCENTER_AUTH_FAILED' } });
    expect(JSON.stringify(body)).not.toContain('not-the-password');
    const audit = await getDb().execute<{ outcome: string }>(
      sql`select outcome from audit_events where action = 'source.test_connection' order by ts desc limit 1`,
    );
    expect(audit.rows[0]!.outcome).toBe('failure');
  });

  it('an unverified certificate: VCENTER_TLS_ERROR naming the thumbprint to pin, which then works', async () => {
    const res = await test({ config: { endpoint: sim.endpoint }, credentialId: good });
    const body = await res.json();
    expect(body, JSON.stringify(body)).toMatchObject({ ok: false, error: { code: 'VCENTER_TLS_ERROR' } });
    const thumb = body.error.context?.serverThumbprintSha256 as string;
    expect(thumb).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/i);
    const pinned = await test({
      config: { endpoint: sim.endpoint, thumbprint_sha256: thumb },
      credentialId: good,
    });
    expect(await pinned.json()).toMatchObject({ ok: true });
  });

  it('nothing listening: a network error within the timeout; no credential: says so', async () => {
    const res = await test({
      config: { endpoint: 'https://127.0.0.1:9', insecure: true },
      credentialId: good,
    });
    const body = await res.json();
    expect(body.ok).toBe(false);
    expect(body.error.code).toMatch(/NETWORK|CONNECT/);
    const none = await (await test({ config: { endpoint: sim.endpoint, insecure: true } })).json();
    expect(none).toMatchObject({ ok: false, error: { code: 'CREDENTIAL_MISSING' } });
  });

  it('admins only; a bad config is a 400 at its field', async () => {
    const body = { config: { endpoint: sim.endpoint, insecure: true }, credentialId: good };
    expect((await test(body, actors.tokens.user)).status).toBe(403);
    const bad = await test({ config: { endpoint: 'http://plain.example' }, credentialId: good });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('body.config.endpoint');
  });
});
