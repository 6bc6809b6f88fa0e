// otherMethods() on its own; test/ui/api-server.test.ts checks every route through the real server.
import { describe, expect, it } from 'vitest';
import { otherMethods } from './method-not-allowed';
import { route } from './route';

const GET = route(
  { method: 'get', path: '/api/v1/t', summary: 't', auth: 'public', responses: { 200: {} } },
  async () => ({}),
);

describe('otherMethods', () => {
  const { POST, DELETE, OPTIONS } = otherMethods({ GET });

  it('answers a method the module does not serve with 405 METHOD_NOT_ALLOWED, Allow and the API headers', async () => {
    const res = DELETE(new Request('http://localhost/api/v1/t?x=1', { method: 'DELETE' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual({
      error: { code: 'METHOD_NOT_ALLOWED', message: 'DELETE is not supported on /api/v1/t' },
    });
    expect(POST(new Request('http://localhost/api/v1/t', { method: 'POST' })).status).toBe(405);
  });

  it('OPTIONS lists only the served methods', () => {
    const res = OPTIONS(new Request('http://localhost/api/v1/t', { method: 'OPTIONS' }));
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
});
