// Route × role matrix generated from the OpenAPI document: every operation called as anonymous, user and
// admin. The expected rule per operation lives in OPERATIONS (test/api-fixtures.ts); an operation without
// one fails, so every new route gets a deliberate access decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, setupApiTest } from './api';
import {
  authFor,
  fillPath,
  handlersByOperation,
  OPERATIONS,
  openApiOperations,
  seedWorld,
  type Role,
  type World,
} from './api-fixtures';
import type { TestDatabase } from './db';

let t: TestDatabase;
let world: World;
beforeAll(async () => {
  t = await setupApiTest();
  world = await seedWorld();
});
afterAll(async () => t?.drop());

const { ops } = openApiOperations();
const handlers = handlersByOperation();

describe('OpenAPI document', () => {
  it('has operations, each with a handler and an access rule that matches x-required-role', () => {
    expect(ops.length).toBeGreaterThan(30);
    const missingRule = ops.filter((o) => !OPERATIONS[o.key]).map((o) => o.key);
    expect(missingRule, 'operations without a rule in OPERATIONS (test/api-fixtures.ts)').toEqual([]);
    for (const o of ops) {
      expect(handlers.has(o.key), `${o.key} has a handler`).toBe(true);
      expect(o.role, `${o.key} x-required-role`).toBe(OPERATIONS[o.key]!.role);
    }
  });
});

function expected(rule: 'public' | 'user' | 'editor' | 'admin', role: Role): 'ok' | 401 | 403 {
  if (rule === 'public') return 'ok';
  if (role === 'anonymous') return 401;
  if (rule === 'admin' && role !== 'admin') return 403;
  if (rule === 'editor' && role === 'user') return 403;
  return 'ok';
}

describe.each(['anonymous', 'user', 'editor', 'admin'] as const)('as %s', (role) => {
  it.each(ops.map((o) => [o.key, o] as const))('%s', async (_key, o) => {
    const rule = OPERATIONS[o.key];
    expect(rule, `rule for ${o.key}`).toBeDefined();
    const sample = await rule!.sample(world, role);
    const res = await call(handlers.get(o.key)!, {
      method: o.method.toUpperCase(),
      url: fillPath(o.path, sample.params) + (sample.query ? `?${sample.query}` : ''),
      params: sample.params,
      body: sample.body,
      rawBody: sample.rawBody,
      headers: sample.headers,
      ...authFor(world, role, sample),
    });
    const text = await res.text();
    const want = expected(rule!.role, role);
    if (want === 'ok') {
      expect(res.status, `${o.key} as ${role}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${o.key} as ${role}: ${text.slice(0, 300)}`).toBeLessThan(300);
    } else {
      expect(res.status, `${o.key} as ${role}: ${text.slice(0, 300)}`).toBe(want);
      expect(JSON.parse(text).error.code).toBe(want === 401 ? 'AUTH_REQUIRED' : 'AUTH_FORBIDDEN');
    }
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
