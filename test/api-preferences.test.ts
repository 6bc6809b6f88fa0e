// A user's UI preferences through the real route handlers: saved per user, server side, and validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as login from '@/app/api/v1/auth/login/route';
import * as prefs from '@/app/api/v1/auth/me/preferences/route';
import { call, cookieFrom, createUser, setupApiTest } from './api';
import type { TestDatabase } from './db';

let t: TestDatabase;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  t = await setupApiTest();
  for (const username of ['ann', 'bob']) {
    await createUser({ username, password: 'correct horse battery' });
    const res = await call(login.POST, { body: { username, password: 'correct horse battery' } });
    cookies[username] = cookieFrom(res);
  }
});
afterAll(async () => t?.drop());

describe('GET/PUT /api/v1/auth/me/preferences', () => {
  it('starts with the defaults, saves one user’s columns in order, leaves the other user’s alone', async () => {
    const first = await call(prefs.GET, { cookie: cookies.ann });
    expect(await first.json()).toEqual({ assetColumns: null });
    const put = await call(prefs.PUT, {
      cookie: cookies.ann,
      body: { assetColumns: ['name', 'memoryBytes', 'cpuCount', 'memoryBytes'] },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ assetColumns: ['name', 'memoryBytes', 'cpuCount'] });
    expect(await (await call(prefs.GET, { cookie: cookies.ann })).json()).toEqual({
      assetColumns: ['name', 'memoryBytes', 'cpuCount'],
    });
    expect(await (await call(prefs.GET, { cookie: cookies.bob })).json()).toEqual({ assetColumns: null });
    // null restores the default
    await call(prefs.PUT, { cookie: cookies.ann, body: { assetColumns: null } });
    expect(await (await call(prefs.GET, { cookie: cookies.ann })).json()).toEqual({ assetColumns: null });
  });

  it('refuses what is not a field key, and anonymous callers', async () => {
    const bad = await call(prefs.PUT, { cookie: cookies.ann, body: { assetColumns: ['a b; drop'] } });
    expect(bad.status).toBe(400);
    expect((await call(prefs.GET)).status).toBe(401);
  });
});
