// With the database down, every operation answers 503 DATABASE_UNAVAILABLE in the error shape — not 500
// INTERNAL (issue 11 item 6). The process's database points at a port where nothing listens; the
// handlers are the real ones, called as a browser (cookie) and a script (token) would.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '@/lib/config';
import { isDatabaseUnavailable } from '@/db/errors';
import { call } from './api';
import { fillPath, handlersByOperation, openApiOperations } from './api-fixtures';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

beforeAll(async () => {
  process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`;
  process.env.ASSET_LEDGER_SECRET_KEY ??= 'a'.repeat(64);
  (process.env as Record<string, string | undefined>).NODE_ENV = 'test';
  resetConfig();
});
afterAll(() => resetConfig());

const ID = '0b6f6f3e-8a51-4c8b-9d0a-6f2f5d1f3b21';

describe('database unavailable', () => {
  const { ops } = openApiOperations();
  const handlers = handlersByOperation();

  it.each(ops.filter((o) => o.key !== 'GET /api/v1/health').map((o) => [o.key, o] as const))(
    '%s → 503 DATABASE_UNAVAILABLE',
    async (_key, o) => {
      const params = Object.fromEntries(
        [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, m[1] === 'recordId' ? '1' : ID]),
      );
      const res = await call(handlers.get(o.key)!, {
        method: o.method.toUpperCase(),
        url: fillPath(o.path, params),
        params,
        // Auth needs the database too; a public operation (login) is asked with a body.
        token: o.role === 'public' ? undefined : 'alt_not-checked-because-the-database-is-down',
        body: o.method === 'get' || o.method === 'delete' ? undefined : { username: 'a', password: 'b' },
      });
      expect(res.status, await res.clone().text()).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'DATABASE_UNAVAILABLE' } });
    },
  );

  it('health says degraded with 503', async () => {
    const res = await call(handlersByOperation().get('GET /api/v1/health')!);
    expect(res.status).toBe(503);
    expect((await res.json()).database.reachable).toBe(false);
  });
});

describe('isDatabaseUnavailable', () => {
  it('knows lost or refused connections and shutdowns from query errors', () => {
    const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('terminating'), { code: '57P01' })))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(wrapped(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('dup'), { code: '23505' })))).toBe(false);
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('syntax'), { code: '42601' })))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
  });
});
