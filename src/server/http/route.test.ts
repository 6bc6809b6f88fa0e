// The API conventions every endpoint inherits from route(): request id, input parsing, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { call, setupApiTest } from '../../../test/api';
import type { TestDatabase } from '../../../test/db';
import { route, z, MAX_BODY_BYTES, paginationQuery, listEnvelope, page } from '.';

let t: TestDatabase;
beforeAll(async () => {
  t = await setupApiTest();
});
afterAll(async () => t?.drop());

const echo = route(
  {
    method: 'post',
    path: '/api/v1/test/echo/{id}',
    summary: 'echo',
    auth: 'public',
    params: z.object({ id: z.uuid() }),
    query: z.object({ verbose: z.enum(['yes', 'no']).optional() }),
    body: z.object({ name: z.string().min(1), count: z.number().int().optional() }),
    responses: { 200: z.object({ id: z.string(), name: z.string(), verbose: z.string().optional() }) },
  },
  async ({ params, body, query }) => ({ id: params.id, name: body.name, verbose: query.verbose }),
);

const boom = route(
  {
    method: 'get',
    path: '/api/v1/test/boom',
    summary: 'boom',
    auth: 'public',
    responses: { 200: z.object({}) },
  },
  async () => {
    throw new Error('secret internal detail at /srv/x.ts:12');
  },
);

const conflict = route(
  {
    method: 'get',
    path: '/api/v1/test/conflict',
    summary: 'c',
    auth: 'public',
    responses: { 200: z.object({}), 409: { description: 'It already exists (CONFLICT)' } },
  },
  async () => {
    throw new AppError('CONFLICT', 'It already exists', { details: { field: 'name' } });
  },
);

const listed = route(
  {
    method: 'get',
    path: '/api/v1/test/list',
    summary: 'list',
    auth: 'public',
    query: paginationQuery,
    responses: { 200: listEnvelope(z.number()) },
  },
  async ({ query }) => page([1, 2, 3].slice(query.offset, query.offset + query.limit), 3, query),
);

const id = '0b6f6f3e-8a51-4c8b-9d0a-6f2f5d1f3b21';
const url = `/api/v1/test/echo/${id}`;

describe('route()', () => {
  it('parses params, query and body', async () => {
    const res = await call(echo, { url: `${url}?verbose=yes`, params: { id }, body: { name: 'x' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id, name: 'x', verbose: 'yes' });
  });

  it('sets a request id on every response and keeps a sane incoming one', async () => {
    const a = await call(echo, { url, params: { id }, body: { name: 'x' } });
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const b = await call(boom, { headers: { 'x-request-id': 'proxy-id-12345' } });
    expect(b.headers.get('x-request-id')).toBe('proxy-id-12345');
    const c = await call(boom, { headers: { 'x-request-id': 'bad id with "quotes" and spaces' } });
    expect(c.headers.get('x-request-id')).not.toContain('bad');
  });

  it('malformed JSON → 400 INVALID_JSON', async () => {
    const res = await call(echo, {
      url,
      params: { id },
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('INVALID_JSON');
  });

  it('non-JSON content type → 415', async () => {
    const res = await call(echo, {
      url,
      params: { id },
      rawBody: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body over 1 MB → 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await call(echo, { url, params: { id }, body: { name: 'x'.repeat(MAX_BODY_BYTES) } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('invalid input → 400 VALIDATION_FAILED naming the field; unknown body fields are rejected', async () => {
    const bad = await call(echo, { url, params: { id }, body: { name: 'x', count: 'three' } });
    expect(bad.status).toBe(400);
    const b = await bad.json();
    expect(b.error.code).toBe('VALIDATION_FAILED');
    expect(b.error.message).toMatch(/^body\.count: /);
    expect(b.error.details.issues[0].path).toBe('body.count');

    const extra = await call(echo, { url, params: { id }, body: { name: 'x', admin: true } });
    expect(extra.status).toBe(400);
    expect((await extra.json()).error.message).toContain('admin');

    const badParam = await call(echo, {
      url: '/api/v1/test/echo/nope',
      params: { id: 'nope' },
      body: { name: 'x' },
    });
    expect((await badParam.json()).error.message).toMatch(/^params\.id: /);

    const badQuery = await call(echo, { url: `${url}?verbose=maybe`, params: { id }, body: { name: 'x' } });
    expect((await badQuery.json()).error.message).toMatch(/^query\.verbose: /);
  });

  it('AppError → its status and {error: {code, message, details}}', async () => {
    const res = await call(conflict);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'CONFLICT', message: 'It already exists', details: { field: 'name' } },
    });
  });

  it('any other error → 500 INTERNAL without internals in the body', async () => {
    const res = await call(boom);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('INTERNAL');
    expect(text).toContain(res.headers.get('x-request-id')!);
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toContain('.ts:');
  });

  it('paginates with limit/offset and returns the list envelope', async () => {
    const res = await call(listed, { url: '/api/v1/test/list?limit=2&offset=1' });
    expect(await res.json()).toEqual({ items: [2, 3], total: 3, limit: 2, offset: 1 });
    const bad = await call(listed, { url: '/api/v1/test/list?limit=100000' });
    expect(bad.status).toBe(400);
  });
});
