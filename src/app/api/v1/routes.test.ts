// Every route.ts under src/app/api must be in routes.ts, or /api/openapi.json silently misses it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTTP_METHODS } from '@/server/http/method-not-allowed';
import { routeModules } from './routes';
import { GET as openapi } from '../openapi.json/route';

const API_DIR = path.resolve(import.meta.dirname, '..');

function routeFolders(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFolders(full));
    else if (entry.name === 'route.ts') out.push(path.relative(API_DIR, dir).split(path.sep).join('/'));
  }
  return out;
}

// Not API operations: the document itself, the page that renders it, the JSON 404 for unknown paths.
const NOT_OPERATIONS = new Set(['openapi.json', 'docs', 'v1/[...path]']);

describe('unknown API paths', () => {
  it('answer 404 NOT_FOUND in the error shape, with a request id', async () => {
    const { GET } = await import('./[...path]/route');
    const res = GET(new Request('http://localhost/api/v1/no-such-thing'));
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect((await res.json()).error).toEqual({
      code: 'NOT_FOUND',
      message: 'No API endpoint at GET /api/v1/no-such-thing',
    });
  });
});

describe('route index', () => {
  it('lists every route.ts under src/app/api', () => {
    const onDisk = routeFolders(API_DIR)
      .filter((f) => !NOT_OPERATIONS.has(f))
      .sort();
    expect(Object.keys(routeModules).sort()).toEqual(onDisk);
  });

  it('every module answers every method: its operations, and 405 in the error shape for the rest', () => {
    // Without the otherMethods() line Next answers the rest with an empty 405 (test/ui/api-server.test.ts).
    for (const [folder, mod] of Object.entries(routeModules)) {
      for (const m of [...HTTP_METHODS, 'OPTIONS']) expect(typeof mod[m], `${folder} ${m}`).toBe('function');
    }
  });

  it('every exported handler is in the OpenAPI document with its required role', async () => {
    const res = await openapi(new Request('http://localhost/api/openapi.json'));
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const mod of Object.values(routeModules)) {
      for (const handler of Object.values(mod)) {
        const op = (handler as { operation?: { method: string; path: string; auth: string } }).operation;
        if (!op) continue;
        const entry = doc.paths[op.path]?.[op.method];
        expect(entry, `${op.method} ${op.path}`).toBeDefined();
        expect(entry['x-required-role']).toBe(op.auth);
      }
    }
    expect(doc.paths['/api/v1/auth/login'].post.requestBody).toBeDefined();
    expect(doc.components.schemas.Error).toBeDefined();
  });
});
