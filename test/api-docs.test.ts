// /api/docs renders the OpenAPI document with the locally installed Swagger UI: every asset the page
// references is served from this route, and nothing points at another host.
import { describe, expect, it } from 'vitest';
import { GET } from '@/app/api/docs/route';

const get = (q = '') => GET(new Request(`http://localhost/api/docs${q}`));

describe('/api/docs', () => {
  it('serves the page and every asset it references, all from this origin', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref.startsWith('/api/docs?asset=')).toBe(true);
      const a = await get(ref.slice('/api/docs'.length));
      expect(a.status, ref).toBe(200);
      expect((await a.arrayBuffer()).byteLength, ref).toBeGreaterThan(100);
    }
    const init = await (await get('?asset=init.js')).text();
    expect(init).toContain("url: '/api/openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  it('serves only whitelisted files', async () => {
    expect((await get('?asset=../../package.json')).status).toBe(404);
    expect((await get('?asset=index.html')).status).toBe(404);
  });
});
