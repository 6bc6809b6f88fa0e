// One contract, checked (issue 11 item 2, DESIGN §9). route() compares every response with its operation's
// OpenAPI declaration in every suite (src/server/http/contract.ts); the run's teardown
// (test/global-setup.ts) fails on any response that did not match, whichever suite provoked it. This file
// proves the check catches each kind of drift, naming operation and field, and calls every operation —
// success as admin, 401 anonymous, 400 on bad input, 404 on an unknown id — so every operation is checked
// at least once even if no other suite calls it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_LOG_ENV, contractViolations, recordViolations } from '@/server/http/contract';
import { json, route, z } from '@/server/http';
import { ts } from '@/server/users/schemas';
import { call, setupApiTest } from './api';
import {
  authFor,
  fillPath,
  handlersByOperation,
  OPERATIONS,
  openApiOperations,
  seedWorld,
  type World,
} from './api-fixtures';
import type { TestDatabase } from './db';
import { contractLogProblems } from './global-setup';

let t: TestDatabase;
let world: World;
beforeAll(async () => {
  t = await setupApiTest();
  world = await seedWorld();
});
afterAll(async () => t?.drop());

const thing = z.object({ id: z.uuid(), name: z.string(), createdAt: ts(), tags: z.array(z.string()) });
const declared = {
  200: { description: 'ok', schema: thing },
  204: { description: 'gone' },
  400: { description: 'bad', schema: z.object({ error: z.object({ code: z.string() }) }) },
  201: { description: 'csv', schema: z.string(), contentType: 'text/csv' },
};
const ok = {
  id: '0b6f6f3e-8a51-4c8b-9d0a-6f2f5d1f3b21',
  name: 'x',
  createdAt: '2026-12-01T07:04:37.569Z',
  tags: [],
};
const op = 'GET /api/v1/things/{id}';

describe('contractViolations', () => {
  it('accepts what is declared', async () => {
    expect(await contractViolations(op, declared, json(ok))).toEqual([]);
    expect(await contractViolations(op, declared, new Response(null, { status: 204 }))).toEqual([]);
    const csv = new Response('a,b\r\n', {
      status: 201,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
    expect(await contractViolations(op, declared, csv)).toEqual([]);
  });

  it('an undeclared status names the operation and what is declared', async () => {
    const v = await contractViolations(op, declared, json({ error: { code: 'CONFLICT' } }, { status: 409 }));
    expect(v).toEqual([
      `${op} → 409: status 409 is not declared in the operation's OpenAPI responses (declared: 200, 201, 204, 400)`,
    ]);
  });

  it('a PostgreSQL text timestamp where date-time is declared names the field and the value', async () => {
    const v = await contractViolations(
      op,
      declared,
      json({ ...ok, createdAt: '2026-12-01 07:04:37.56901+00' }),
    );
    expect(v).toHaveLength(1);
    expect(v[0]).toContain(`${op} → 200: body.createdAt:`);
    expect(v[0]).toContain('2026-12-01 07:04:37.56901+00');
  });

  it('a snake_case field instead of the declared camelCase one, a wrong type, a wrong content type', async () => {
    const { createdAt, ...rest } = ok;
    const snake = await contractViolations(op, declared, json({ ...rest, created_at: createdAt }));
    expect(snake[0]).toContain('body.createdAt');
    const wrong = await contractViolations(op, declared, json({ ...ok, tags: 'a' }));
    expect(wrong[0]).toContain('body.tags');
    const text = new Response('hello', { headers: { 'content-type': 'text/plain' } });
    expect(await contractViolations(op, declared, text)).toEqual([
      `${op} → 200: content type is 'text/plain', the operation declares 'application/json'`,
    ]);
  });
});

describe('camelCase everywhere', () => {
  const bag = z.object({
    stats: z.record(z.string(), z.unknown()),
    normalized: z.record(z.string(), z.unknown()),
  });
  const declaredBag = { 200: { description: 'ok', schema: bag } };

  it('a snake_case key inside a free-form bag the schema cannot spell out names its path', async () => {
    const v = await contractViolations(
      op,
      declaredBag,
      json({ stats: { ok: 1, deep: [{ relations_unresolved: 2 }] }, normalized: {} }),
    );
    expect(v).toEqual([
      `${op} → 200: body.stats.deep.0.relations_unresolved: not camelCase (API fields are camelCase, DESIGN §9)`,
    ]);
  });

  it('every property the OpenAPI document declares is camelCase (but a source’s plugin config, and latestRuns keyed by mode)', () => {
    const { doc } = openApiOperations();
    const snake: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (!v || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}.${i}`));
      const o = v as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') {
        for (const k of Object.keys(o.properties)) {
          if (k.includes('_') && !/\.properties\.(config|latestRuns)$/.test(path)) snake.push(`${path}.${k}`);
        }
      }
      for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`);
    };
    walk(doc, 'openapi');
    expect(snake).toEqual([]);
  });

  it('a jsonb-written timestamp (…+00:00) inside a free-form bag names its path; data documents and names are left alone', async () => {
    const v = await contractViolations(
      op,
      declaredBag,
      json({
        stats: {
          attempts: [{ startedAt: '2026-12-02T02:14:23.788504+00:00', finishedAt: '2026-12-02T02:14:24.9Z' }],
          name: '2026-12-01 07:04 backup',
        },
        normalized: { seenAt: '2026-12-01 07:04:37+00' },
      }),
    );
    expect(v).toEqual([
      `${op} → 200: body.stats.attempts.0.startedAt: not an RFC 3339 UTC timestamp (…T…Z, DESIGN §9)`,
    ]);
  });

  it('leaves data documents alone (a normalized-v1 document keeps the collector contract’s spelling)', async () => {
    const body = { stats: { ok: 1 }, normalized: { hardware: { cpu_count: 2 } } };
    expect(await contractViolations(op, declaredBag, json(body))).toEqual([]);
  });
});

describe('route() in tests', () => {
  // A route whose handler drifted from its declaration, as a route with a hand-fixed timestamp would.
  const drifted = route(
    {
      method: 'get',
      path: '/api/v1/test/drifted',
      summary: 'drifted',
      auth: 'public',
      responses: { 200: thing },
    },
    async () => ({ ...ok, createdAt: '2026-12-01 07:04:37.56901+00' }),
  );

  it('turns a drifted response into a 500 naming operation and field, and logs it for the teardown', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-test-'));
    const file = path.join(dir, 'log.jsonl');
    const runLog = process.env[CONTRACT_LOG_ENV];
    process.env[CONTRACT_LOG_ENV] = file; // this deliberate drift must not fail the whole run
    try {
      const res = await call(drifted);
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(body.error.code).toBe('RESPONSE_CONTRACT_VIOLATION');
      expect(body.error.message).toContain('GET /api/v1/test/drifted → 200: body.createdAt');
      expect(contractLogProblems(file)).toEqual(body.error.details.violations);
      recordViolations('GET /x', 200, ['GET /x → 200: body.a: wrong']);
      expect(contractLogProblems(file)).toHaveLength(2);
    } finally {
      process.env[CONTRACT_LOG_ENV] = runLog;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('every operation answers as its OpenAPI document says', () => {
  const { ops } = openApiOperations();
  const handlers = handlersByOperation();
  const UNKNOWN = '00000000-0000-4000-8000-000000000000';

  const real = ops.filter((o) => !o.path.startsWith('/api/v1/test/'));
  it.each(real.map((o) => [o.key, o] as const))('%s', async (_key, o) => {
    const rule = OPERATIONS[o.key];
    expect(rule, `rule for ${o.key} in test/api-fixtures.ts`).toBeDefined();
    const role = rule!.role === 'public' ? 'admin' : rule!.role === 'user' ? 'user' : 'admin';
    const sample = await rule!.sample(world, role);
    const h = handlers.get(o.key)!;
    const send = (over: {
      params?: Record<string, string>;
      query?: string;
      anonymous?: boolean;
      body?: unknown;
    }) => {
      const params = over.params ?? sample.params;
      const query = over.query ?? sample.query;
      return call(h, {
        method: o.method.toUpperCase(),
        url: fillPath(o.path, params) + (query ? `?${query}` : ''),
        params,
        body: 'body' in over ? over.body : sample.body,
        rawBody: 'body' in over ? undefined : sample.rawBody,
        headers: 'body' in over ? undefined : sample.headers,
        ...(over.anonymous ? {} : authFor(world, role, sample)),
      });
    };
    const responses: [string, Response][] = [['sample', await send({})]];
    if (rule!.role !== 'public') responses.push(['anonymous', await send({ anonymous: true })]);
    if (o.path.includes('{id}') && o.method === 'get') {
      responses.push(['unknown id', await send({ params: { ...sample.params, id: UNKNOWN } })]);
    }
    if (o.op.requestBody) responses.push(['bad body', await send({ body: { zz_unknown: 1 } })]);
    const problems: string[] = [];
    for (const [name, res] of responses) {
      const text = await res.text();
      if (text.includes('RESPONSE_CONTRACT_VIOLATION'))
        problems.push(`${name}: ${JSON.parse(text).error.message}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
