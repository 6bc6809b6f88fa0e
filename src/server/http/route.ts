// The one way to define an API route handler. See docs/api-conventions.md.
//
//   export const GET = route({ method: 'get', path: '/api/v1/things/{id}', summary: 'Get a thing',
//     tags: ['things'], auth: 'user', params: z.object({ id: z.uuid() }),
//     responses: { 200: thingSchema } }, async ({ params, session, db }) => getThing(db, params.id));
//
// It records the operation in the OpenAPI registry, sets x-request-id, parses and validates input,
// checks the session and role, and maps errors to {error: {code, message, details?}}.
import { getDb, type Db } from '@/db/client';
import { getConfig } from '@/lib/config';
import { AppError, isAppError } from '@/lib/errors';
import { createLogger } from '@/lib/logger';
import { requireRole, resolveSession, type Session } from '@/server/auth/session';
import { errorSchema, recordOperation, z, type RouteAuth } from './openapi';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

const log = createLogger('web');

export const MAX_BODY_BYTES = 1024 * 1024;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType | undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ResponseSpec {
  description?: string;
  schema?: z.ZodType;
  /** Content type when not JSON (e.g. text/csv); the handler returns a Response. */
  contentType?: string;
}

export interface RouteDefinition<P extends Schema, Q extends Schema, B extends Schema, A extends RouteAuth> {
  method: Method;
  /** OpenAPI-style path, `{name}` for parameters: '/api/v1/sources/{id}'. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** public: anyone; user: any signed-in user; editor: editors and admins; admin: admins only. */
  auth: A;
  params?: P;
  query?: Q;
  /** JSON body. A top-level object schema is made strict: unknown fields are rejected. */
  body?: B;
  /** Success (and notable error) responses: a zod schema, or a spec. Error statuses default to Error. */
  responses: Record<number, z.ZodType | ResponseSpec>;
}

export interface RouteContext<P extends Schema, Q extends Schema, B extends Schema, A extends RouteAuth> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  session: A extends 'public' ? Session | null : Session;
  requestId: string;
  request: Request;
  db: Db;
  /** Client address as the proxy or socket reports it (for audit and rate limits). */
  ip: string | null;
  /** Headers added to the response (e.g. Set-Cookie) when the handler returns plain data. */
  responseHeaders: Headers;
}

/** Next's second handler argument. */
export interface NextRouteContext {
  params?: Promise<Record<string, string | string[] | undefined>>;
}

export type RouteHandler = ((request: Request, context?: NextRouteContext) => Promise<Response>) & {
  operation: { method: Method; path: string; auth: RouteAuth };
};

/** A JSON response with a status; return it from a handler when 200 is not the right status. */
export function json(data: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(data === undefined ? null : JSON.stringify(data), {
    status: init.status ?? 200,
    headers,
  });
}

export function noContent(headers?: HeadersInit): Response {
  return new Response(null, { status: 204, headers });
}

export function errorResponse(err: AppError, requestId: string): Response {
  const body: { error: { code: string; message: string; details?: unknown } } = {
    error: { code: err.code, message: err.message },
  };
  if (err.details !== undefined) body.error.details = err.details;
  return json(body, { status: err.status, headers: { [REQUEST_ID_HEADER]: requestId } });
}

function strictTop<S extends Schema>(s: S): S {
  return (s instanceof z.ZodObject ? s.strict() : s) as S;
}

function validationError(where: 'params' | 'query' | 'body', error: z.ZodError): AppError {
  const issues = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  const first = issues[0]!;
  return new AppError('VALIDATION_FAILED', `${first.path}: ${first.message}`, { details: { issues } });
}

// PostgreSQL text and jsonb cannot hold NUL: a \u0000 anywhere in the input would surface as a 500 from the
// driver, so it is refused up front, naming the field.
function findNul(value: unknown, path: string[], depth = 0): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || !value || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return [...path, k];
    const hit = findNul(v, [...path, k], depth + 1);
    if (hit) return hit;
  }
  return null;
}

function parseWith<S extends Schema>(schema: S, value: unknown, where: 'params' | 'query' | 'body'): Out<S> {
  if (!schema) return undefined as Out<S>;
  const nul = findNul(value, [where]);
  if (nul) {
    const field = nul.join('.');
    throw new AppError('VALIDATION_FAILED', `${field}: must not contain NUL (\\u0000) characters`, {
      details: { issues: [{ path: field, message: 'must not contain NUL characters' }] },
    });
  }
  let r: ReturnType<NonNullable<S>['safeParse']>;
  try {
    r = schema.safeParse(value) as typeof r;
  } catch {
    // A refinement that throws on odd input is still the client's bad input, not a server error.
    throw new AppError('VALIDATION_FAILED', `${where}: invalid value`);
  }
  if (!r.success) throw validationError(where, r.error);
  return r.data as Out<S>;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

async function readBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (size === 0) return undefined;
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('INVALID_JSON', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

const tooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes`);

export function clientIp(headers: Headers): string | null {
  const fwd = headers.get('x-forwarded-for');
  if (fwd) return fwd.split(',')[0]!.trim() || null;
  return headers.get('x-real-ip');
}

/** True when the browser reached us over HTTPS (directly or through a proxy): cookies get Secure. */
export function isSecureRequest(request: Request): boolean {
  const proto = request.headers.get('x-forwarded-proto');
  if (proto) return proto.split(',')[0]!.trim() === 'https';
  return new URL(request.url).protocol === 'https:';
}

// A cross-site page must not drive the API with the user's cookie: for cookie-authenticated writes the
// Origin (when the browser sends it) must be this host. SameSite=Lax covers most of it; this covers the rest.
function checkOrigin(request: Request, method: Method, session: Session | null): void {
  if (method === 'get' || session?.kind !== 'cookie') return;
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return;
  const host =
    request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  if (originHost !== host) throw new AppError('AUTH_FORBIDDEN', 'Cross-origin request refused');
}

function openApiResponses(def: RouteDefinition<Schema, Schema, Schema, RouteAuth>) {
  const out: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {};
  const statuses = { ...def.responses } as Record<number, z.ZodType | ResponseSpec>;
  const errorDefaults: Record<number, string> = { 400: 'Invalid input (VALIDATION_FAILED, INVALID_JSON)' };
  if (def.auth !== 'public') errorDefaults[401] = 'Not signed in (AUTH_REQUIRED)';
  if (def.auth === 'admin') errorDefaults[403] = 'Not an admin (AUTH_FORBIDDEN)';
  if (def.auth === 'editor') errorDefaults[403] = 'Not an editor or admin (AUTH_FORBIDDEN)';
  for (const [status, description] of Object.entries(errorDefaults)) {
    if (!(Number(status) in statuses) && (status !== '400' || def.params || def.query || def.body)) {
      statuses[Number(status)] = { description, schema: errorSchema };
    }
  }
  for (const [status, spec] of Object.entries(statuses)) {
    const s: ResponseSpec = spec instanceof z.ZodType ? { schema: spec } : spec;
    const code = Number(status);
    const schema = s.schema ?? (code >= 400 ? errorSchema : undefined);
    out[status] = {
      description: s.description ?? (code < 300 ? 'Success' : 'Error'),
      ...(schema ? { content: { [s.contentType ?? 'application/json']: { schema } } } : {}),
    };
  }
  return out;
}

export function route<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  A extends RouteAuth = RouteAuth,
>(
  def: RouteDefinition<P, Q, B, A>,
  handler: (ctx: RouteContext<P, Q, B, A>) => Promise<unknown>,
): RouteHandler {
  const body = strictTop(def.body);
  recordOperation({
    method: def.method,
    path: def.path,
    auth: def.auth,
    config: {
      method: def.method,
      path: def.path,
      summary: def.summary,
      description: def.description,
      tags: def.tags,
      'x-required-role': def.auth,
      security: def.auth === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      request: {
        ...(def.params instanceof z.ZodObject ? { params: def.params } : {}),
        ...(def.query instanceof z.ZodObject ? { query: def.query } : {}),
        ...(body ? { body: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      },
      responses: openApiResponses(def as RouteDefinition<Schema, Schema, Schema, RouteAuth>),
    },
  });

  const fn = async (request: Request, context?: NextRouteContext): Promise<Response> => {
    const requestId = requestIdFrom(request.headers);
    const started = performance.now();
    let response: Response;
    try {
      const db = getDb();
      const session = def.auth === 'public' ? null : await resolveSession(db, request.headers);
      if (def.auth !== 'public') requireRole(session, def.auth as 'user' | 'editor' | 'admin');
      checkOrigin(request, def.method, session);
      const url = new URL(request.url);
      const params = parseWith(def.params as P, (await context?.params) ?? {}, 'params');
      const query = parseWith(def.query as Q, queryObject(url), 'query');
      const parsedBody = body ? parseWith(body, await readBody(request), 'body') : (undefined as Out<B>);
      const responseHeaders = new Headers();
      const result = await handler({
        params,
        query,
        body: parsedBody,
        session: session as RouteContext<P, Q, B, A>['session'],
        requestId,
        request,
        db,
        ip: clientIp(request.headers),
        responseHeaders,
      });
      if (result instanceof Response) {
        response = result;
      } else {
        if (getConfig().NODE_ENV === 'test') checkResponse(def, 200, result);
        response = json(result, { headers: responseHeaders });
      }
      responseHeaders.forEach((v, k) => {
        if (!response.headers.has(k) || k === 'set-cookie') response.headers.append(k, v);
      });
    } catch (err) {
      response = errorResponse(toAppError(err, requestId, def), requestId);
    }
    if (!response.headers.has(REQUEST_ID_HEADER)) response.headers.set(REQUEST_ID_HEADER, requestId);
    log.debug('http_request', {
      request_id: requestId,
      method: def.method.toUpperCase(),
      path: new URL(request.url).pathname,
      status: response.status,
      duration_ms: Math.round(performance.now() - started),
    });
    return response;
  };
  return Object.assign(fn, {
    operation: { method: def.method, path: def.path, auth: def.auth as RouteAuth },
  });
}

function toAppError(err: unknown, requestId: string, def: { method: string; path: string }): AppError {
  if (isAppError(err)) {
    if (err.status >= 500) {
      log.error('http_error', {
        request_id: requestId,
        route: `${def.method} ${def.path}`,
        code: err.code,
        error: err.message,
      });
    }
    return err;
  }
  // Never leak internals to the client: the log line (with the request id) has them.
  log.error('http_unhandled_error', {
    request_id: requestId,
    route: `${def.method.toUpperCase()} ${def.path}`,
    error: err instanceof Error ? err.message : String(err),
    // Drizzle and pg wrap the database's own message (the useful part) in `cause`.
    cause: err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined,
    stack: err instanceof Error ? err.stack : undefined,
  });
  return new AppError('INTERNAL', `Internal error (request id ${requestId})`);
}

// In tests, a handler's result must match its documented schema, so the OpenAPI document cannot drift.
function checkResponse(
  def: { responses: Record<number, z.ZodType | ResponseSpec> },
  status: number,
  result: unknown,
) {
  const spec = def.responses[status];
  const schema = spec instanceof z.ZodType ? spec : spec?.schema;
  if (!schema) return;
  const r = schema.safeParse(JSON.parse(JSON.stringify(result ?? null)));
  if (!r.success) {
    throw new Error(`Response does not match its documented schema: ${z.prettifyError(r.error)}`);
  }
}
