// The API's contract where only the real server can show it: Next itself answers a method a route module
// does not export (before any of our code), so this runs the production build through src/bin/start.ts
// and sends every /api/v1 route each method it does not serve (issue 11: "405 carries the error shape").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeModules } from '@/app/api/v1/routes';
import { createTestDatabase, type TestDatabase } from '../db';
import { startApp, type RunningApp } from './harness';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const SAMPLE_PARAMS: Record<string, string> = {
  '[id]': '00000000-0000-4000-8000-000000000000',
  '[recordId]': '00000000-0000-4000-8000-000000000001',
  '[key]': 'owner',
};

/** The methods a module serves: the handlers route() made (they carry their OpenAPI operation). */
function served(mod: Record<string, unknown>): string[] {
  return METHODS.filter((m) => typeof mod[m] === 'function' && 'operation' in (mod[m] as object));
}

function samplePath(folder: string): string {
  return '/api/' + folder.replace(/\[[A-Za-z]+\]/g, (p) => SAMPLE_PARAMS[p] ?? 'x');
}

describe('the real server (next build + src/bin/start.ts)', () => {
  let tdb: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    app = await startApp(tdb.url);
  }, 600_000);

  afterAll(async () => {
    await app?.stop();
    await tdb?.drop();
  });

  it('answers every method a /api/v1 route does not serve with 405, the error shape and Allow', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [folder, mod] of Object.entries(routeModules)) {
      const methods = served(mod);
      expect(methods.length, folder).toBeGreaterThan(0);
      const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].sort().join(', ');
      const path = samplePath(folder);
      for (const method of METHODS.filter((m) => !methods.includes(m))) {
        checked++;
        const res = await fetch(`${app.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        const text = await res.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        const ok =
          res.status === 405 &&
          (res.headers.get('content-type') ?? '').startsWith('application/json') &&
          res.headers.get('allow') === allow &&
          !!res.headers.get('x-request-id') &&
          res.headers.get('x-content-type-options') === 'nosniff' &&
          JSON.stringify(body) ===
            JSON.stringify({
              error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not supported on ${path}` },
            });
        if (!ok)
          wrong.push(
            `${method} ${path}: ${res.status} allow=${res.headers.get('allow')} (want ${allow}) ${text.slice(0, 120)}`,
          );
      }
      // OPTIONS lists what the route serves, not the 405 answers.
      const options = await fetch(`${app.url}${path}`, { method: 'OPTIONS' });
      if (options.status !== 204 || options.headers.get('allow') !== allow)
        wrong.push(
          `OPTIONS ${path}: ${options.status} allow=${options.headers.get('allow')} (want ${allow})`,
        );
    }
    expect(checked).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('a served method still answers as its operation (the 405 helper does not shadow it)', async () => {
    const res = await fetch(`${app.url}/api/v1/health`);
    expect(res.status).toBe(200);
    const denied = await fetch(`${app.url}/api/v1/sources`);
    expect(denied.status).toBe(401);
    expect((await denied.json()).error.code).toBe('AUTH_REQUIRED');
  });
});
