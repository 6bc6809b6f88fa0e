// Next answers an unsupported method with an empty 405; the web server gives it the API's error shape
// (issue 11 item 6). A real HTTP server here, answering as Next does (status, then end() without a body).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMethodNotAllowedAsJson } from './method-not-allowed';

let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    answerMethodNotAllowedAsJson(req, res, () => 'req-id-for-405');
    if (req.url === '/api/v1/text') {
      res.statusCode = 405;
      res.setHeader('content-type', 'text/plain');
      res.end('handled elsewhere');
      return;
    }
    res.statusCode = req.method === 'GET' ? 200 : 405;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('answerMethodNotAllowedAsJson', () => {
  it('an empty 405 becomes {error: {code: METHOD_NOT_ALLOWED, message}} with the API headers', async () => {
    const res = await fetch(`${base}/api/v1/health?x=1`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-request-id')).toBe('req-id-for-405');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual({
      error: { code: 'METHOD_NOT_ALLOWED', message: 'DELETE is not supported on /api/v1/health' },
    });
  });

  it('leaves other responses alone', async () => {
    const ok = await fetch(`${base}/api/v1/health`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    const text = await fetch(`${base}/api/v1/text`, { method: 'PUT' });
    expect(await text.text()).toBe('handled elsewhere');
  });
});
