// The one way to define an API route handler. See docs/api-conventions.md.
//
//   export const GET = route({ method: 'get', path: '/api/v1/things/{id}', summary: 'Get a thing',
//     tags: ['things'], auth: 'user', params: z.object({ id: z.uuid() }),
//     responses: { 200: thingSchema } }, async ({ params, session, db }) => getThing(db, params.id));
//
// It records the operation in the OpenAPI registry, sets x-request-id, parses and validates input,
// checks the session and role, and maps errors to {error: {code, message, details?}}.
import { getDb, type Db } from '@/db/client';
import { isDatabaseUnavailable } from '@/db/errors';
import { getConfig } from '@/lib/config';
import { AppError, isAppError } from '@/lib/errors';
import { createLogger } from '@/lib/logger';
import { requireRole, resolveSession, type Session } from '@/server/auth/session';
import { contractViolations, recordViolations, type DeclaredResponse } from './contract';
import { errorSchema, recordOperation, z, type RouteAuth } from './openapi';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { API_SECURITY_HEADERS } from './security-headers';

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
  /** Further content types the same status may answer with (e.g. `format=csv`), each with its schema. */
  alternatives?: Record<string, z.ZodType | null>;
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
  /**
   * Usable by a user who must change their password (only the password change and sign-out): every
   * other authenticated call answers 403 PASSWORD_CHANGE_REQUIRED until they have.
   */
  allowWhilePasswordChangeRequired?: boolean;
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

/** Sets the API's security headers (src/server/http/security-headers.ts) on a response. */
export function withApiSecurityHeaders(response: Response): Response {
  for (const [k, v] of Object.entries(API_SECURITY_HEADERS)) response.headers.set(k, v);
  return response;
}

export function errorResponse(err: AppError, requestId: string): Response {
  const body: { error: { code: string; message: string; details?: unknown } } = {
    error: { code: err.code, message: err.message },
  };
  if (err.details !== undefined) body.error.details = err.details;
  return withApiSecurityHeaders(
    json(body, { status: err.status, headers: { [REQUEST_ID_HEADER]: requestId } }),
  );
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

// PostgreSQL text and jsonb cannot hold NUL, and jsonb (the audit log's details) refuses a lone UTF-16
// surrogate (`"t\ud800"` in JSON): either anywhere in the input would surface as a 500 from the driver,
// so both are refused here, once for every operation, naming the field.
const LONE_SURROGATE = /\p{Cs}/u; // with the u flag a proper surrogate pair is one code point, not Cs
function badText(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (no lone UTF-16 surrogates)';
  return null;
}

function findBadText(value: unknown, path: string[], depth = 0): { path: string[]; message: string } | null {
  if (typeof value === 'string') {
    const message = badText(value);
    return message ? { path, message } : null;
  }
  if (depth > 64 || !value || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const message = badText(k);
    if (message) return { path: [...path, k], message };
    const hit = findBadText(v, [...path, k], depth + 1);
    if (hit) return hit;
  }
  return null;
}

function parseWith<S extends Schema>(schema: S, value: unknown, where: 'params' | 'query' | 'body'): Out<S> {
  const bad = findBadText(value, [where]);
  if (bad) {
    const field = bad.path.join('.');
    throw new AppError('VALIDATION_FAILED', `${field}: ${bad.message}`, {
      details: { issues: [{ path: field, message: bad.message }] },
    });
  }
  if (!schema) return undefined as Out<S>;
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
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError('INVALID_JSON', 'The request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('INVALID_JSON', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

const tooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes`);

/**
 * The client address for audit and login throttling. The server (src/bin/start.ts) replaces
 * X-Forwarded-For with the one address it settled from the socket and TRUST_PROXY
 * (src/lib/client-address.ts); the right-most entry is taken so that, should a list arrive anyway, the
 * client's own left-most entries never count.
 */
export function clientIp(headers: Headers): string | null {
  const fwd = headers.get('x-forwarded-for');
  if (!fwd) return null;
  return fwd.split(',').at(-1)!.trim() || null;
}

/** True when the browser reached us over HTTPS (directly or through a proxy): cookies get Secure. */
export function isSecureRequest(request: Request): boolean {
  const proto = request.headers.get('x-forwarded-proto');
  if (proto) return proto.split(',')[0]!.trim() === 'https';
  return new URL(request.url).protocol === 'https:';
}

// A cross-site page must not drive the API with the user's cookie (CSRF). A cookie-authenticated write
// needs proof the browser sent it from one of our own pages: an Origin naming this host, or — when a
// browser sends no Origin — `Sec-Fetch-Site: same-origin`. `Origin: null` (sandboxed frames, and any
// request a cross-origin redirect forwarded: the probe's 307 from another port) and same-site pages on
// another port are refused. Bearer tokens are not sent by browsers on their own, so they are exempt.
// X-Forwarded-Host counts only when a trusted proxy sent it (src/bin/start.ts drops it otherwise).
export function checkOrigin(request: Request, method: Method, session: Session | null): void {
  if (method === 'get' || session?.kind !== 'cookie') return;
  const origin = request.headers.get('origin');
  const fetchSite = request.headers.get('sec-fetch-site');
  if (origin === null) {
    if (fetchSite === 'same-origin') return;
    throw new AppError('AUTH_FORBIDDEN', 'Cross-origin request refused: no Origin or Sec-Fetch-Site header');
  }
  const host =
    request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host;
  let originHost: string | null = null;
  try {
    originHost = origin === 'null' ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost === null || originHost !== host.trim().toLowerCase()) {
    throw new AppError('AUTH_FORBIDDEN', `Cross-origin request refused (Origin: ${origin.slice(0, 100)})`);
  }
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new AppError('AUTH_FORBIDDEN', `Cross-origin request refused (Sec-Fetch-Site: ${fetchSite})`);
  }
}

function checkPasswordChange(session: Session | null, allowed: boolean | undefined): void {
  if (!session?.user.mustChangePassword || allowed) return;
  throw new AppError(
    'PASSWORD_CHANGE_REQUIRED',
    'Change your password first (POST /api/v1/auth/password); until then only that and sign-out work',
  );
}

/**
 * Every response an operation may give: its own declarations plus the errors route() itself produces —
 * 400 (bad input), 401/403 (auth, role, cross-origin write, PASSWORD_CHANGE_REQUIRED), 404 (a path
 * with ids), 413/415 (bodies), 500 and 503 (DATABASE_UNAVAILABLE). The OpenAPI document and the
 * test-time contract check (src/server/http/contract.ts) both use this one list.
 */
export function declaredResponses(
  def: Pick<
    RouteDefinition<Schema, Schema, Schema, RouteAuth>,
    'auth' | 'path' | 'params' | 'query' | 'body' | 'responses'
  >,
): Record<number, DeclaredResponse> {
  const statuses = { ...def.responses } as Record<number, z.ZodType | ResponseSpec>;
  const errorDefaults: Record<number, string> = {};
  if (def.params || def.query || def.body)
    errorDefaults[400] = 'Invalid input (VALIDATION_FAILED, INVALID_JSON)';
  if (def.auth !== 'public') {
    errorDefaults[401] = 'Not signed in (AUTH_REQUIRED)';
    errorDefaults[403] =
      def.auth === 'user'
        ? 'Password change required (PASSWORD_CHANGE_REQUIRED) or cross-origin write (AUTH_FORBIDDEN)'
        : `Not ${def.auth === 'admin' ? 'an admin' : 'an editor or admin'} (AUTH_FORBIDDEN), password change required (PASSWORD_CHANGE_REQUIRED) or cross-origin write (AUTH_FORBIDDEN)`;
  }
  if (def.path.includes('{')) errorDefaults[404] = 'Not found (NOT_FOUND)';
  if (def.body) {
    errorDefaults[413] = 'Body over 1 MB (PAYLOAD_TOO_LARGE)';
    errorDefaults[415] = 'Body not JSON (UNSUPPORTED_MEDIA_TYPE)';
  }
  errorDefaults[500] = 'Internal error (INTERNAL; the message carries the request id)';
  errorDefaults[503] = 'Database unavailable (DATABASE_UNAVAILABLE)';
  for (const [status, description] of Object.entries(errorDefaults)) {
    if (!(Number(status) in statuses)) statuses[Number(status)] = { description, schema: errorSchema };
  }
  const out: Record<number, DeclaredResponse> = {};
  for (const [status, spec] of Object.entries(statuses)) {
    const s: ResponseSpec = spec instanceof z.ZodType ? { schema: spec } : spec;
    const code = Number(status);
    out[code] = {
      description: s.description ?? (code < 300 ? 'Success' : 'Error'),
      // A non-JSON body (CSV, xlsx) is declared by its content type alone.
      schema: s.schema ?? (code >= 400 ? errorSchema : s.contentType ? NON_JSON_BODY : undefined),
      contentType: s.contentType,
      alternatives: s.alternatives
        ? Object.fromEntries(Object.entries(s.alternatives).map(([t, z]) => [t, z ?? NON_JSON_BODY]))
        : undefined,
    };
  }
  return out;
}

const NON_JSON_BODY = z.string().openapi({ format: 'binary' });

function openApiResponses(def: RouteDefinition<Schema, Schema, Schema, RouteAuth>) {
  const out: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {};
  for (const [status, s] of Object.entries(declaredResponses(def))) {
    const content: Record<string, { schema: z.ZodType }> = {};
    if (s.schema) content[s.contentType ?? 'application/json'] = { schema: s.schema };
    for (const [type, schema] of Object.entries(s.alternatives ?? {})) content[type] = { schema };
    out[status] = { description: s.description, ...(s.schema ? { content } : {}) };
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
  const declared = declaredResponses(def as RouteDefinition<Schema, Schema, Schema, RouteAuth>);
  const operationKey = `${def.method.toUpperCase()} ${def.path}`;
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
      checkPasswordChange(session, def.allowWhilePasswordChangeRequired);
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
        response = json(result, { headers: responseHeaders });
      }
      responseHeaders.forEach((v, k) => {
        if (!response.headers.has(k) || k === 'set-cookie') response.headers.append(k, v);
      });
    } catch (err) {
      response = errorResponse(toAppError(err, requestId, def), requestId);
    }
    if (!response.headers.has(REQUEST_ID_HEADER)) response.headers.set(REQUEST_ID_HEADER, requestId);
    withApiSecurityHeaders(response);
    if (inTests()) response = await enforceContract(operationKey, declared, response, requestId);
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
  if (isDatabaseUnavailable(err)) {
    log.error('http_database_unavailable', {
      request_id: requestId,
      route: `${def.method.toUpperCase()} ${def.path}`,
      error: err instanceof Error ? err.message : String(err),
      cause: err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined,
    });
    return new AppError('DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly');
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

function inTests(): boolean {
  try {
    return getConfig().NODE_ENV === 'test';
  } catch {
    return false;
  }
}

// In tests every response must be what its operation declares (src/server/http/contract.ts), so the
// OpenAPI document cannot drift from what the API does: a response that is not becomes a 500 naming the
// operation and the field, and is logged for the run's teardown.
async function enforceContract(
  operation: string,
  declared: Record<number, DeclaredResponse>,
  response: Response,
  requestId: string,
): Promise<Response> {
  const violations = await contractViolations(operation, declared, response);
  if (!violations.length) return response;
  recordViolations(operation, response.status, violations);
  log.error('http_contract_violation', { request_id: requestId, route: operation, violations });
  const replaced = json(
    {
      error: {
        code: 'RESPONSE_CONTRACT_VIOLATION',
        message: `The response does not match the OpenAPI document: ${violations.join('; ')}`,
        details: { violations },
      },
    },
    { status: 500, headers: { [REQUEST_ID_HEADER]: requestId } },
  );
  return withApiSecurityHeaders(replaced);
}
