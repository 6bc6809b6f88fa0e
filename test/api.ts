// Helpers for tests that call route handlers directly (no server): a migrated database of its own for the
// test file, users, and requests with cookies or tokens.
import { randomBytes } from 'node:crypto';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { resetConfig } from '@/lib/config';
import { hashPassword } from '@/server/auth/password';
import type { RouteHandler } from '@/server/http/route';
import { createTestDatabase, type TestDatabase } from './db';

/**
 * Creates this file's database and points getDb() at it. Call once per file, before any handler runs
 * (getDb() caches its pool for the process; vitest runs each file in its own process).
 */
export async function setupApiTest(): Promise<TestDatabase> {
  const t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.ASSET_LEDGER_SECRET_KEY ??= randomBytes(32).toString('hex');
  (process.env as Record<string, string | undefined>).NODE_ENV = 'test';
  resetConfig();
  return t;
}

export async function createUser(options: {
  username: string;
  password: string;
  role?: 'admin' | 'editor' | 'user';
  enabled?: boolean;
}) {
  const [row] = await getDb()
    .insert(users)
    .values({
      username: options.username,
      role: options.role ?? 'user',
      passwordHash: await hashPassword(options.password),
      enabled: options.enabled ?? true,
    })
    .returning();
  return row!;
}

export interface CallOptions {
  method?: string;
  /** Path and query, e.g. '/api/v1/users?limit=5'. */
  url?: string;
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: BodyInit;
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Path parameters as Next passes them. */
  params?: Record<string, string>;
}

export async function call(handler: RouteHandler, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  if (options.cookie) headers.set('cookie', options.cookie);
  // As a browser on our own page would (route() refuses cookie-authenticated writes without it).
  if (options.cookie && !headers.has('origin') && !headers.has('sec-fetch-site')) {
    headers.set('origin', 'http://localhost');
  }
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  const method = options.method ?? handler.operation.method.toUpperCase();
  const path = options.url ?? handler.operation.path;
  const request = new Request(`http://localhost${path}`, { method, headers, body });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

/** `name=value` of the Set-Cookie header, ready to send back as a Cookie header. */
export function cookieFrom(response: Response): string {
  const set = response.headers.get('set-cookie');
  if (!set) throw new Error('response set no cookie');
  return set.split(';')[0]!;
}
