// Bad-input sweep generated from the OpenAPI document: every operation, called as admin, with malformed
// JSON, wrong types, unknown and missing fields, an oversized body, bad ids, bad enum values, bad
// pagination and unknown sort keys. Each must answer 4xx with a stable code and a message naming the
// field — never 500, never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, setupApiTest } from './api';
import {
  authFor,
  fillPath,
  handlersByOperation,
  OPERATIONS,
  openApiOperations,
  seedWorld,
  type OpenApiOperation,
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

const { doc, ops } = openApiOperations();
const handlers = handlersByOperation();

type Schema = Record<string, unknown>;
function resolve(s: unknown): Schema {
  let cur = (s ?? {}) as Schema;
  while (typeof cur.$ref === 'string') {
    const name = cur.$ref.split('/').pop()!;
    cur = (doc.components?.schemas?.[name] ?? {}) as Schema;
  }
  return cur;
}
function bodySchema(o: OpenApiOperation): Schema | null {
  const rb = o.op.requestBody as { content?: Record<string, { schema: unknown }> } | undefined;
  const s = rb?.content?.['application/json']?.schema;
  return s ? resolve(s) : null;
}
function acceptsObject(s: Schema): boolean {
  const types = ([] as unknown[]).concat(s.type ?? []);
  if (types.includes('object')) return true;
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(s[k]) && (s[k] as unknown[]).some((x) => acceptsObject(resolve(x)))) return true;
  }
  return s.type === undefined && !s.enum && !s.anyOf && !s.oneOf && !s.$ref && !s.format && !s.pattern;
}
interface Param {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema: Schema;
}
const paramsOf = (o: OpenApiOperation) =>
  ((o.op.parameters ?? []) as Param[]).map((p) => ({ ...p, schema: resolve(p.schema) }));

interface Case {
  name: string;
  field?: string; // the message must name it
  status?: number; // exact status when it matters
  code?: string;
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

const STABLE_CODES = new Set([
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_FOUND',
  'CONFLICT',
  'AUTH_INVALID_CREDENTIALS',
]);

function casesFor(
  o: OpenApiOperation,
  base: { params?: Record<string, string>; query?: string; body?: unknown },
): Case[] {
  const out: Case[] = [];
  const baseQuery = new URLSearchParams(base.query ?? '');
  const withQuery = (k: string, v: string | string[]) => {
    const q = new URLSearchParams(baseQuery);
    q.delete(k);
    for (const x of ([] as string[]).concat(v)) q.append(k, x);
    return q.toString();
  };
  for (const p of paramsOf(o)) {
    if (p.in === 'path') {
      for (const bad of ['not-a-uuid', '0', "1'; drop table users;--", 'x'.repeat(300), '%00']) {
        out.push({ name: `bad id ${p.name}=${bad.slice(0, 20)}`, params: { ...base.params, [p.name]: bad } });
      }
      continue;
    }
    const s = p.schema;
    const types = ([] as unknown[]).concat(s.type ?? []);
    const field = `query.${p.name}`;
    if (Array.isArray(s.enum))
      out.push({ name: `bad enum ${p.name}`, field, status: 400, query: withQuery(p.name, 'no-such-value') });
    if (types.includes('integer') || types.includes('number')) {
      for (const bad of ['abc', '-1', '1.5', '']) {
        if (bad === '' && !p.required) continue;
        out.push({ name: `bad number ${p.name}=${bad}`, field, status: 400, query: withQuery(p.name, bad) });
      }
      if (typeof s.maximum === 'number') {
        out.push({
          name: `too big ${p.name}`,
          field,
          status: 400,
          query: withQuery(p.name, String(s.maximum + 1)),
        });
      }
    }
    if (s.format === 'uuid')
      out.push({ name: `bad uuid ${p.name}`, field, status: 400, query: withQuery(p.name, 'nope') });
    if (s.format === 'date-time')
      out.push({ name: `bad date ${p.name}`, field, status: 400, query: withQuery(p.name, 'yesterday') });
    if (s.format === 'date-time') {
      out.push({
        name: `year 0 ${p.name}`,
        field,
        status: 400,
        query: withQuery(p.name, '0000-01-01T00:00:00Z'),
      });
    }
    if (types.includes('string')) {
      out.push({ name: `repeated ${p.name}`, field, status: 400, query: withQuery(p.name, ['a', 'b']) });
      out.push({ name: `NUL in ${p.name}`, field, status: 400, query: withQuery(p.name, 'a\u0000b') });
    }
    if (typeof s.maxLength === 'number') {
      out.push({
        name: `too long ${p.name}`,
        field,
        status: 400,
        query: withQuery(p.name, 'x'.repeat(s.maxLength + 1)),
      });
    }
  }
  const bs = bodySchema(o);
  if (bs) {
    out.push({ name: 'malformed JSON', status: 400, code: 'INVALID_JSON', rawBody: '{"name": ' });
    out.push({ name: 'JSON array', status: 400, code: 'VALIDATION_FAILED', body: [] });
    out.push({ name: 'JSON null', status: 400, body: null });
    out.push({ name: 'JSON string', status: 400, body: 'hello' });
    out.push({
      name: 'wrong content type',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      rawBody: 'a=b',
      contentType: 'text/plain',
    });
    out.push({
      name: 'over 1 MB',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      body: { name: 'x'.repeat(1024 * 1024 + 10) },
    });
    const valid = (base.body ?? {}) as Record<string, unknown>;
    out.push({ name: 'unknown field', field: 'zz_unknown', status: 400, body: { ...valid, zz_unknown: 1 } });
    const props = (bs.properties ?? {}) as Record<string, unknown>;
    for (const req of (bs.required ?? []) as string[]) {
      const { [req]: _drop, ...rest } = valid;
      out.push({ name: `missing ${req}`, field: `body.${req}`, status: 400, body: rest });
    }
    for (const [prop, raw] of Object.entries(props)) {
      const ps = resolve(raw);
      const wrong = acceptsObject(ps) ? 12345 : { wrong: ['type'] };
      out.push({
        name: `wrong type ${prop}`,
        field: `body.${prop}`,
        status: 400,
        body: { ...valid, [prop]: wrong },
      });
      if (([] as unknown[]).concat(ps.type ?? []).includes('string')) {
        out.push({
          name: `NUL in ${prop}`,
          field: `body.${prop}`,
          status: 400,
          body: { ...valid, [prop]: 'a\u0000b' },
        });
        // A lone UTF-16 surrogate: valid JSON, invalid Unicode (jsonb refuses it; was a 500).
        out.push({
          name: `lone surrogate in ${prop}`,
          field: `body.${prop}`,
          status: 400,
          body: { ...valid, [prop]: 't\ud800' },
        });
      }
      if (Array.isArray(ps.enum)) {
        out.push({
          name: `bad enum ${prop}`,
          field: `body.${prop}`,
          status: 400,
          body: { ...valid, [prop]: 'no-such-value' },
        });
      }
      if (ps.format === 'uuid') {
        out.push({
          name: `bad uuid ${prop}`,
          field: `body.${prop}`,
          status: 400,
          body: { ...valid, [prop]: 'nope' },
        });
      }
      const nested = valid[prop];
      if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
        out.push({
          name: `lone surrogate in a key of ${prop}`,
          field: `body.${prop}`,
          status: 400,
          body: { ...valid, [prop]: { ...(nested as object), ['k\udc00']: 'x' } },
        });
        out.push({
          name: `unknown nested field ${prop}.zz`,
          field: 'zz_nested',
          status: 400,
          body: { ...valid, [prop]: { ...(nested as object), zz_nested: true } },
        });
      }
    }
  }
  return out;
}

describe.each(ops.map((o) => [o.key, o] as const))('%s', (_key, o) => {
  it('rejects every kind of bad input with a 4xx naming the field, never a 500 or a stack', async () => {
    const rule = OPERATIONS[o.key];
    expect(rule, `rule for ${o.key}`).toBeDefined();
    const base = await rule!.sample(world, 'admin');
    const cases = casesFor(o, base);
    const failures: string[] = [];
    for (const c of cases) {
      const params = c.params ?? base.params;
      const query = c.query ?? base.query;
      const res = await call(handlers.get(o.key)!, {
        method: o.method.toUpperCase(),
        url: fillPath(o.path, params) + (query ? `?${query}` : ''),
        params,
        body: c.rawBody === undefined && 'body' in c ? c.body : undefined,
        rawBody: c.rawBody,
        headers:
          c.rawBody !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : undefined,
        ...authFor(world, 'admin', base),
      });
      const text = await res.text();
      const problem = (why: string) =>
        failures.push(`${c.name}: ${why} (${res.status} ${text.slice(0, 200)})`);
      if (res.status < 400 || res.status >= 500) {
        problem('expected 4xx');
        continue;
      }
      if (c.status && res.status !== c.status) problem(`expected ${c.status}`);
      if (/\n\s+at |node_modules|\.ts:\d+/.test(text)) problem('stack trace in body');
      let body: { error?: { code?: string; message?: string } };
      try {
        body = JSON.parse(text);
      } catch {
        problem('not JSON');
        continue;
      }
      if (!body.error?.code || !STABLE_CODES.has(body.error.code)) problem('unstable or missing code');
      if (c.code && body.error?.code !== c.code) problem(`expected code ${c.code}`);
      if (c.field && !text.includes(c.field)) problem(`message does not name ${c.field}`);
    }
    expect(failures, `${o.key}\n${failures.join('\n')}`).toEqual([]);
  });
});
