// One collector request → one streamed response. Shared by the stdin entry (main.ts) and the CLI (cli.ts).
import type { Writable } from 'node:stream';
import {
  REQUEST_SCHEMA_VERSION,
  REQUEST_SCHEMA_VERSION_V2,
  collectorRequestSchema,
} from '../../../src/collector/contract';
import { vcenterCredentialSchema, vcenterSourceConfigSchema } from '../../../src/collector/source-config';
import { collect, type CollectOptions, type CollectResult, type ResponseSink } from './collect';
import { JsonResponseWriter, NdjsonResponseWriter, errorResponse, type ResponseWriter } from './output';

export { errorResponse };

/** Exit codes (issue 3): 0 success, 1 errors[] non-empty (response still valid), 2 request unusable. */
export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_BAD_REQUEST = 2;

const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** Replaces every occurrence of the secrets (raw, XML-escaped, URL-encoded) in text meant for output. */
export function redact<T>(value: T, secrets: (string | undefined)[]): T {
  const list = secrets
    .filter((s): s is string => !!s && s.length >= 3)
    .flatMap((s) => [
      s,
      s.replace(
        /[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
      ),
      encodeURIComponent(s),
    ]);
  if (!list.length) return value;
  let text = JSON.stringify(value);
  for (const s of new Set(list)) {
    const enc = JSON.stringify(s).slice(1, -1);
    text = text.split(enc).join('***');
  }
  return JSON.parse(text) as T;
}

/** Parses stdin bytes into a request, or returns the response to print and exit code 2. */
export function parseRequest(
  bytes: Buffer,
): { ok: true; request: ReturnType<typeof collectorRequestSchema.parse> } | { ok: false; output: string } {
  const parseError = (message: string) => ({
    ok: false as const,
    output: errorResponse([{ code: 'VCENTER_PARSE_ERROR', category: 'request', message, retryable: false }]),
  });
  if (bytes.length > MAX_REQUEST_BYTES) return parseError('request is larger than 8 MiB');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return parseError(`request on stdin is not valid UTF-8 JSON (${(err as Error).name})`);
  }
  const r = collectorRequestSchema.safeParse(json);
  if (!r.success) {
    // Paths only: the values may include the credential.
    const where = r.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    return parseError(
      `request is not a ${REQUEST_SCHEMA_VERSION_V2} or ${REQUEST_SCHEMA_VERSION} document (invalid: ${where})`,
    );
  }
  return { ok: true, request: r.data };
}

export interface RunOutcome {
  exitCode: number;
  result?: CollectResult;
}

/** The response format the request asked for: NDJSON (v2) unless it is a collector-request-v1. */
export function writerFor(
  request: ReturnType<typeof collectorRequestSchema.parse>,
  out: Writable,
): ResponseWriter {
  return request.schema_version === REQUEST_SCHEMA_VERSION
    ? new JsonResponseWriter(out)
    : new NdjsonResponseWriter(out);
}

/**
 * Runs a parsed request and writes the response to `out` (streamed JSON unless a custom sink is given, in
 * which case the caller writes the document).
 */
export async function runRequest(
  request: ReturnType<typeof collectorRequestSchema.parse>,
  out: Writable,
  opts: CollectOptions & { sink?: ResponseSink; writer?: ResponseWriter } = {},
): Promise<RunOutcome> {
  const writer = opts.sink ? undefined : (opts.writer ?? writerFor(request, out));
  const cred = request.source.credential as { password?: unknown } | null;
  const secrets = [typeof cred?.password === 'string' ? cred.password : undefined];
  const configError = (message: string): RunOutcome => {
    const errors = redact(
      [{ code: 'VCENTER_CONFIG_INVALID', category: 'config', message, retryable: false }],
      secrets,
    );
    if (writer) out.write(writer.fail(errors));
    return {
      exitCode: EXIT_ERRORS,
      result: {
        relations: 0,
        warnings: [],
        errors,
        inventory_complete: false,
        assets: 0,
        http: { requests: 0, bytes: 0, pages: 0 },
      },
    };
  };
  if (request.source.source_type !== 'vcenter') {
    return configError(
      `source_type ${JSON.stringify(request.source.source_type)} is not handled by the vCenter plugin`,
    );
  }
  const config = vcenterSourceConfigSchema.safeParse(request.source.config);
  if (!config.success) {
    return configError(
      'source config is invalid: ' +
        config.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    );
  }
  const credential = vcenterCredentialSchema.safeParse(request.source.credential ?? undefined);
  if (!credential.success) {
    return configError(
      'credential is missing or invalid (expected {username, password}; invalid: ' +
        credential.error.issues.map((i) => i.path.join('.') || '(root)').join(', ') +
        ')',
    );
  }
  writer?.start();
  const result = await collect(
    config.data,
    credential.data,
    request.request.mode,
    opts.sink ?? writer!,
    opts,
  );
  result.errors = redact(result.errors, secrets);
  result.warnings = redact(result.warnings, secrets);
  if (writer) await writer.finish(result);
  return { exitCode: result.errors.length ? EXIT_ERRORS : EXIT_OK, result };
}
