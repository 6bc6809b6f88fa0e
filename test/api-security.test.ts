// Issue 11's probe findings, through the real route handlers and a real PostgreSQL: CSRF (item 2), tokens
// and forced password changes (item 5), invalid Unicode (item 6), endpoints with user info (item 7),
// security headers (item 8). Each case here failed before its fix.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import * as assets from '@/app/api/v1/assets/route';
import * as authLogin from '@/app/api/v1/auth/login/route';
import * as authLogout from '@/app/api/v1/auth/logout/route';
import * as authMe from '@/app/api/v1/auth/me/route';
import * as authPassword from '@/app/api/v1/auth/password/route';
import * as notFound from '@/app/api/v1/[...path]/route';
import * as groupRuns from '@/app/api/v1/schedule-groups/[id]/runs/route';
import * as sources from '@/app/api/v1/sources/route';
import * as source from '@/app/api/v1/sources/[id]/route';
import * as tokens from '@/app/api/v1/tokens/route';
import * as userPassword from '@/app/api/v1/users/[id]/password/route';
import * as usersRoute from '@/app/api/v1/users/route';
import { call, cookieFrom, createUser, setupApiTest } from './api';
import { seedWorld, type World } from './api-fixtures';
import type { TestDatabase } from './db';

let t: TestDatabase;
let world: World;
let adminCookie: string;
beforeAll(async () => {
  t = await setupApiTest();
  world = await seedWorld();
  adminCookie = await signIn('matrix-admin', world.actors.passwords.admin);
});
afterAll(async () => t?.drop());

async function signIn(username: string, password: string): Promise<string> {
  const res = await call(authLogin.POST, { body: { username, password } });
  expect(res.status, await res.clone().text()).toBe(200);
  return cookieFrom(res);
}
const json = async (res: Response) => res.json();

describe('CSRF: cookie-authenticated writes need proof of our own origin (item 2)', () => {
  // Built by hand, not with call(): that adds the Origin a browser on our own page would send.
  const runNow = (headers: Record<string, string>) =>
    groupRuns.POST(
      new Request(`http://localhost/api/v1/schedule-groups/${world.groupId}/runs`, {
        method: 'POST',
        headers: { host: 'localhost', ...headers },
      }),
      { params: Promise.resolve({ id: world.groupId }) },
    );

  it.each([
    ['Origin: null (the probe: a redirect from a page on another port)', { origin: 'null' }],
    ['a foreign origin', { origin: 'https://evil.example' }],
    ['the same host on another port', { origin: 'http://localhost:8080' }],
    ['no Origin and no Sec-Fetch-Site', {}],
    ['no Origin, Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['no Origin, Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    [
      'a matching Origin but Sec-Fetch-Site: cross-site',
      { origin: 'http://localhost', 'sec-fetch-site': 'cross-site' },
    ],
    ['an unparsable Origin', { origin: 'not a url' }],
  ])('refuses %s with 403', async (_name, headers: Record<string, string>) => {
    const res = await runNow({ cookie: adminCookie, ...headers });
    expect(res.status).toBe(403);
    expect((await json(res)).error).toMatchObject({ code: 'AUTH_FORBIDDEN' });
  });

  it('allows a matching Origin, or Sec-Fetch-Site: same-origin without one; tokens need neither', async () => {
    expect((await runNow({ cookie: adminCookie, origin: 'http://localhost' })).status).toBe(200);
    expect((await runNow({ cookie: adminCookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    const bearer = { authorization: `Bearer ${world.actors.tokens.admin}` };
    expect((await runNow({ ...bearer, origin: 'null' })).status).toBe(200);
    expect((await runNow(bearer)).status).toBe(200);
  });

  it('reads stay allowed from anywhere (they change nothing)', async () => {
    const res = await call(assets.GET, { cookie: adminCookie, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
  });
});

describe('API tokens and password changes (item 5)', () => {
  async function userWithToken(username: string, password: string) {
    const u = await createUser({ username, password });
    const cookie = await signIn(username, password);
    const created = await json(await call(tokens.POST, { cookie, body: { name: `${username}'s script` } }));
    expect(created.token).toMatch(/^alt_/);
    return { u, cookie, token: created.token as string };
  }

  it('a token cannot create tokens', async () => {
    const { token } = await userWithToken('tina', 'tina-password-1');
    const res = await call(tokens.POST, { token, body: { name: 'minted by a token' } });
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('AUTH_FORBIDDEN');
    const n = await getDb().execute<{ n: number }>(
      sql`select count(*)::int as n from api_tokens where name = 'minted by a token'`,
    );
    expect(n.rows[0]!.n).toBe(0);
  });

  it('changing my password revokes all my tokens', async () => {
    const { cookie, token } = await userWithToken('uma', 'uma-password-1');
    expect((await call(assets.GET, { token })).status).toBe(200);
    const res = await call(authPassword.POST, {
      cookie,
      body: { currentPassword: 'uma-password-1', newPassword: 'uma-password-2' },
    });
    expect(res.status).toBe(204);
    expect((await call(assets.GET, { token })).status).toBe(401);
    const audit = await getDb().execute<{ details: { tokensRevoked: number } }>(sql`
      select details from audit_events where action = 'auth.password_change' and actor_label = 'uma'
      order by id desc limit 1`);
    expect(audit.rows[0]!.details.tokensRevoked).toBe(1);
  });

  it('an admin reset revokes the user’s tokens and locks an intruder out', async () => {
    const { u, token } = await userWithToken('vic', 'vic-password-1');
    expect((await call(assets.GET, { token })).status).toBe(200);
    const res = await call(userPassword.POST, { cookie: adminCookie, params: { id: u.id }, body: {} });
    expect(res.status).toBe(200);
    expect((await call(assets.GET, { token })).status).toBe(401);
  });

  it('mustChangePassword: every call but the password change and sign-out answers 403 PASSWORD_CHANGE_REQUIRED', async () => {
    const created = await json(
      await call(usersRoute.POST, { cookie: adminCookie, body: { username: 'wes', role: 'admin' } }),
    );
    const generated = created.generatedPassword as string;
    const cookie = await signIn('wes', generated);
    for (const [name, res] of [
      ['GET /assets', await call(assets.GET, { cookie })],
      ['GET /auth/me', await call(authMe.GET, { cookie })],
      ['POST /tokens', await call(tokens.POST, { cookie, body: { name: 'escape hatch' } })],
      ['GET /sources', await call(sources.GET, { cookie })],
    ] as const) {
      expect(res.status, name).toBe(403);
      expect((await json(res)).error.code, name).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    const changed = await call(authPassword.POST, {
      cookie,
      body: { currentPassword: generated, newPassword: 'wes-chosen-password-1' },
    });
    expect(changed.status).toBe(204);
    expect((await call(assets.GET, { cookie })).status).toBe(200);
    expect((await call(authLogout.POST, { cookie })).status).toBe(204);
  });

  it('sign-out works while a change is required', async () => {
    const created = await json(
      await call(usersRoute.POST, { cookie: adminCookie, body: { username: 'xena', role: 'user' } }),
    );
    const cookie = await signIn('xena', created.generatedPassword);
    expect((await call(authLogout.POST, { cookie })).status).toBe(204);
  });
});

describe('input that used to answer 500 (item 6)', () => {
  it('a lone UTF-16 surrogate in a text field → 400 naming the field', async () => {
    for (const body of [
      { name: 't\ud800', type: 'vcenter', config: { endpoint: 'https://vc.surrogate.test' } },
      { name: 'ok', type: 'vcenter', config: { endpoint: 'https://vc.surrogate.test', ca_pem: '\udfff' } },
    ]) {
      const res = await call(sources.POST, { cookie: adminCookie, body });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('VALIDATION_FAILED');
    }
    const res = await call(authLogin.POST, { body: { username: 'a\ud800', password: 'x' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('body.username');
  });

  it('a body that is not UTF-8 → 400', async () => {
    const res = await call(sources.POST, {
      cookie: adminCookie,
      rawBody: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('INVALID_JSON');
  });
});

describe('source endpoints with user info (item 7)', () => {
  it('are refused on create and update, naming the field; nothing is stored', async () => {
    for (const endpoint of [
      'https://root:s3cret@vc.userinfo.test',
      'https://root@vc.userinfo.test/sdk',
      'https://:pw@vc.userinfo.test',
    ]) {
      const res = await call(sources.POST, {
        cookie: adminCookie,
        body: { name: `ui-${endpoint.length}`, type: 'vcenter', config: { endpoint } },
      });
      expect(res.status, endpoint).toBe(400);
      expect((await json(res)).error.message).toContain('body.config.endpoint');
    }
    const patch = await call(source.PATCH, {
      cookie: adminCookie,
      params: { id: world.sourceId },
      body: { config: { endpoint: 'https://root:s3cret@vc.userinfo.test' } },
    });
    expect(patch.status).toBe(400);
    const stored = await getDb().execute(sql`select 1 from sources where config::text like '%s3cret%'`);
    expect(stored.rows).toHaveLength(0);
  });
});

describe('security headers on API responses (item 8)', () => {
  it('success, error and unknown-path responses: nosniff, no-store, no framing', async () => {
    for (const [name, res] of [
      ['200', await call(assets.GET, { token: world.actors.tokens.user })],
      ['401', await call(assets.GET)],
      ['400', await call(assets.GET, { token: world.actors.tokens.user, url: '/api/v1/assets?limit=0' })],
      ['404 catch-all', await notFound.GET(new Request('http://localhost/api/v1/nope'))],
    ] as const) {
      expect(res.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(res.headers.get('cache-control'), name).toBe('no-store');
      expect(res.headers.get('x-frame-options'), name).toBe('DENY');
      expect(res.headers.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
    }
  });
});
