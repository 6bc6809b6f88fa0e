// One contract, checked (issue 11, DESIGN §9): in tests, every response route() sends is compared with
// what its operation declares in the OpenAPI document — the status must be declared, the content type must
// be the declared one, and a JSON body must match the declared schema (the zod schema the document is
// generated from; timestamps declared `date-time` must be RFC 3339, see ts()). A response that does not
// is replaced by a 500 RESPONSE_CONTRACT_VIOLATION naming the operation and the field, so the test that
// provoked it fails there, and it is appended to the run's contract log (ASSET_LEDGER_CONTRACT_LOG, set by
// test/global-setup.ts), which fails the whole run at teardown even if no assertion looked.
import fs from 'node:fs';
import { API_ERROR_CODES, z } from './openapi';

export interface DeclaredResponse {
  description: string;
  /** The body's schema; none: the response has no body (e.g. 204). */
  schema?: z.ZodType;
  /** Media type of the body; JSON unless given. */
  contentType?: string;
  /** Other media types this status may answer with, and their schemas. */
  alternatives?: Record<string, z.ZodType>;
}

export const CONTRACT_LOG_ENV = 'ASSET_LEDGER_CONTRACT_LOG';

const mediaType = (v: string | null) => (v ?? '').split(';')[0]!.trim().toLowerCase();
const isJson = (type: string) => /^application\/([a-z.+-]*\+)?json$/.test(type);

/** Every way `response` departs from what `operation` (e.g. "GET /api/v1/runs") declares; [] if none. */
export async function contractViolations(
  operation: string,
  declared: Record<number, DeclaredResponse>,
  response: Response,
): Promise<string[]> {
  const status = response.status;
  const spec = declared[status];
  const at = `${operation} → ${status}`;
  if (!spec) {
    const known = Object.keys(declared).join(', ');
    return [
      `${at}: status ${status} is not declared in the operation's OpenAPI responses (declared: ${known})`,
    ];
  }
  const text = response.body ? await response.clone().text() : '';
  if (!spec.schema) {
    return text === '' ? [] : [`${at}: declared without a body, but the response has one`];
  }
  const got = mediaType(response.headers.get('content-type'));
  const options: Record<string, z.ZodType> = {
    [mediaType(spec.contentType ?? 'application/json')]: spec.schema,
  };
  for (const [type, schema] of Object.entries(spec.alternatives ?? {})) options[mediaType(type)] = schema;
  const schema = options[got];
  if (!schema) {
    const declared = Object.keys(options).join("' or '");
    return [`${at}: content type is '${got || 'none'}', the operation declares '${declared}'`];
  }
  if (!isJson(got)) return [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`${at}: the body is not JSON (${text.slice(0, 80)})`];
  }
  const r = schema.safeParse(body);
  if (r.success)
    return [
      ...errorCodeViolations(at, status, body),
      ...snakeCaseViolations(at, body),
      ...timestampViolations(at, body),
    ];
  return r.error.issues.slice(0, 10).map((i) => {
    const field = ['body', ...i.path.map(String)].join('.');
    const value = valueAt(body, i.path);
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)?.slice(0, 80)})`;
    return `${at}: ${field}: ${i.message}${shown}`;
  });
}

function valueAt(body: unknown, path: PropertyKey[]): unknown {
  let cur = body;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** Appends violations to the run's contract log, when there is one (tests only). */
export function recordViolations(operation: string, status: number, violations: string[]): void {
  const file = process.env[CONTRACT_LOG_ENV];
  if (!file || !violations.length) return;
  fs.appendFileSync(file, `${JSON.stringify({ operation, status, violations })}\n`);
}

// An error's code must be one of the documented ones (the OpenAPI document's x-error-codes), with its status.
function errorCodeViolations(at: string, status: number, body: unknown): string[] {
  if (status < 400) return [];
  const code = (body as { error?: { code?: unknown } })?.error?.code;
  if (typeof code !== 'string') return [];
  const documented = API_ERROR_CODES[code];
  if (documented === undefined) {
    return [
      `${at}: error code ${code} is not one of the documented codes (ERROR_STATUS in src/lib/errors.ts)`,
    ];
  }
  if (documented !== status) return [`${at}: error code ${code} is documented with status ${documented}`];
  return [];
}

// Fields are camelCase everywhere (DESIGN §9), also inside the free-form bags a schema cannot spell out
// (run stats, attempts, detect, warnings). Keys under these are data, not field names: normalized-v1
// documents (a record's `normalized`, also inside an asset's merged `canonical` view) and raw payloads, which keep the
// collector contract's spelling (DESIGN §6); a field's value (a disk list: `{name, size_bytes}`) and its
// old and new value in history; a source's plugin config; values keyed by ledger field key.
const DATA_KEYS = new Set([
  'normalized',
  'rawPayload',
  'raw',
  'config',
  'values',
  'ledger',
  'value',
  'old',
  'new',
]);
// Maps keyed by a value (a run mode: `latestRuns.collect_vms`, a field path: `canonical.provenance`); what
// they hold is checked.
const VALUE_KEYED = new Set(['latestRuns', 'provenance', 'conflicts']);

/** Paths of keys that are not camelCase (contain `_`), outside the data documents above. */
export function snakeCaseKeys(body: unknown, path = 'body', keysAreValues = false): string[] {
  if (body === null || typeof body !== 'object') return [];
  if (Array.isArray(body)) return body.flatMap((v, i) => snakeCaseKeys(v, `${path}.${i}`));
  const out: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (k.includes('_') && !keysAreValues) out.push(`${path}.${k}`);
    if (!DATA_KEYS.has(k)) out.push(...snakeCaseKeys(v, `${path}.${k}`, VALUE_KEYED.has(k)));
  }
  return out;
}

// Timestamps are RFC 3339 in UTC (`2026-12-01T07:04:37.569Z`, DESIGN §9), also inside the free-form bags
// (a run's attempts, progress, stats) where no date-time schema checks them: PostgreSQL writes `…+00:00`
// into jsonb it builds. A timestamp is a field named like one (`…At`, `…Since`, `ts`).
const TIMESTAMP_KEY = /(At|Since)$|^(ts|at)$/;
const LOOKS_LIKE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Paths of timestamp fields whose value is not RFC 3339 UTC, outside the data documents above. */
export function nonUtcTimestamps(body: unknown, path = 'body'): string[] {
  if (body === null || typeof body !== 'object') return [];
  if (Array.isArray(body)) return body.flatMap((v, i) => nonUtcTimestamps(v, `${path}.${i}`));
  const out: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (DATA_KEYS.has(k)) continue;
    if (typeof v === 'string') {
      if (TIMESTAMP_KEY.test(k) && LOOKS_LIKE_TIMESTAMP.test(v) && !RFC3339_UTC.test(v))
        out.push(`${path}.${k}`);
    } else out.push(...nonUtcTimestamps(v, `${path}.${k}`));
  }
  return out;
}

function timestampViolations(at: string, body: unknown): string[] {
  return nonUtcTimestamps(body)
    .slice(0, 10)
    .map((p) => `${at}: ${p}: not an RFC 3339 UTC timestamp (…T…Z, DESIGN §9)`);
}

function snakeCaseViolations(at: string, body: unknown): string[] {
  return snakeCaseKeys(body)
    .slice(0, 10)
    .map((p) => `${at}: ${p}: not camelCase (API fields are camelCase, DESIGN §9)`);
}
