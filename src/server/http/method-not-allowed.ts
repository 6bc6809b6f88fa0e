// Next answers a method a route module does not export with a bare 405 and an empty body, before any of our
// code runs, and its automatic OPTIONS lists whatever the module exports. So every API route module ends
// with one line that exports the methods it does not serve, each answering in the API's error shape:
//
//   export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
//
// test/ui/api-server.test.ts checks every /api/v1 route through the real server; routes.test.ts checks
// that no module forgets the line.
import { AppError } from '@/lib/errors';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { errorResponse, withApiSecurityHeaders, type RouteHandler } from './route';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Served = Partial<Record<HttpMethod, RouteHandler>>;
type Answer = (request: Request) => Response;

/** The `Allow` value for a module serving these methods (HEAD comes with GET in Next). */
export function allowHeader(methods: readonly string[]): string {
  return [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].sort().join(', ');
}

/**
 * Handlers for every method the module does not serve (405 METHOD_NOT_ALLOWED with `Allow`), plus OPTIONS
 * (204 with the same `Allow`, which Next's own would get wrong once these are exported).
 */
export function otherMethods<S extends Served>(
  served: S,
): Record<Exclude<HttpMethod, keyof S> | 'OPTIONS', Answer> {
  const allow = allowHeader(Object.keys(served));
  const notAllowed: Answer = (request) => {
    const res = errorResponse(
      new AppError(
        'METHOD_NOT_ALLOWED',
        `${request.method} is not supported on ${new URL(request.url).pathname}`,
      ),
      requestIdFrom(request.headers),
    );
    res.headers.set('allow', allow);
    return res;
  };
  const out: Record<string, Answer> = {
    OPTIONS: (request) =>
      withApiSecurityHeaders(
        new Response(null, {
          status: 204,
          headers: { allow, [REQUEST_ID_HEADER]: requestIdFrom(request.headers) },
        }),
      ),
  };
  for (const m of HTTP_METHODS) if (!(m in served)) out[m] = notAllowed;
  return out as Record<Exclude<HttpMethod, keyof S> | 'OPTIONS', Answer>;
}
