// Test connection (issue 15 item 6): a healthcheck of what the source form holds, before it is saved. The
// same plugin and runner as a run (src/collector/runner.ts: minimal environment, credential on stdin only,
// process group killed on timeout), but no run row and nothing ingested. Every test is audited.
import { randomUUID } from 'node:crypto';
import {
  PLUGIN_COMMANDS,
  RunFailureError,
  requestVersionOf,
  startPlugin,
  type PluginCommand,
} from '@/collector/runner';
import { FieldWarnings } from '@/collector/field-invalid';
import type { Db } from '@/db/client';
import { camelKeys } from '@/lib/camel-case';
import { AppError } from '@/lib/errors';
import { loadCredentialForPlugin } from '@/server/credentials/store';
import { audit, type Actor } from '@/server/users/actor';
import { parsePayload, typeSpec } from './types';

/** A healthcheck logs in, reads the clock and logs out: far less than a run's timeout. */
export const TEST_CONNECTION_TIMEOUT_MS = 30_000;

export interface ConnectionTestInput {
  type: string;
  config: unknown;
  credentialId?: string | null;
  /** The source being edited, when it exists (the audit entry points at it). */
  sourceId?: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  durationMs: number;
  /** What the vCenter said about itself (healthcheck's detect). */
  server?: { version?: string; serverTime?: string; instanceUuid?: string };
  /** The first error, as a failed run would show it (same codes, so the UI explains them the same way). */
  error?: { code: string; message: string; retryable?: boolean; context?: Record<string, unknown> };
}

export function tlsModeOf(config: Record<string, unknown>): 'insecure' | 'thumbprint' | 'ca' | 'verify' {
  if (config.insecure) return 'insecure';
  if (config.thumbprint_sha256) return 'thumbprint';
  if (config.ca_pem) return 'ca';
  return 'verify';
}

export async function testSourceConnection(
  db: Db,
  actor: Actor,
  input: ConnectionTestInput,
  opts: { timeoutMs?: number; command?: PluginCommand } = {},
): Promise<ConnectionTestResult> {
  const config = parsePayload(typeSpec(input.type).config, input.config, 'body.config');
  const started = Date.now();
  const result = await healthcheck(db, input, config, opts);
  result.durationMs = Date.now() - started;
  await audit(
    db,
    actor,
    'source.test_connection',
    { type: 'source', id: input.sourceId ?? null },
    {
      endpoint: config.endpoint,
      tlsMode: tlsModeOf(config),
      credentialId: input.credentialId ?? null,
      ...(result.error ? { errorCode: result.error.code } : {}),
    },
    result.ok ? 'success' : 'failure',
  );
  return result;
}

async function healthcheck(
  db: Db,
  input: ConnectionTestInput,
  config: Record<string, unknown>,
  opts: { timeoutMs?: number; command?: PluginCommand },
): Promise<ConnectionTestResult> {
  const fail = (code: string, message: string): ConnectionTestResult => ({
    ok: false,
    durationMs: 0,
    error: { code, message, retryable: false },
  });
  if (!input.credentialId)
    return fail('CREDENTIAL_MISSING', 'choose a credential to test the connection with');
  let credential: Record<string, unknown> | null;
  try {
    credential = await loadCredentialForPlugin(db, input.credentialId);
  } catch (err) {
    return fail('CREDENTIAL_UNREADABLE', `the credential cannot be decrypted (${(err as Error).message})`);
  }
  if (!credential) {
    throw new AppError('VALIDATION_FAILED', 'body.credentialId: no credential with this id', {
      details: { field: 'body.credentialId' },
    });
  }
  const command = opts.command ?? PLUGIN_COMMANDS[input.type];
  if (!command) return fail('PLUGIN_MISSING', `no plugin for source type ${input.type}`);
  const plugin = startPlugin(
    command,
    {
      schema_version: requestVersionOf(command),
      source: {
        source_id: input.sourceId ?? 'connection-test',
        source_type: input.type,
        config,
        credential,
      },
      request: { run_id: randomUUID(), mode: 'healthcheck', now: new Date().toISOString() },
    },
    {
      timeoutMs: opts.timeoutMs ?? TEST_CONNECTION_TIMEOUT_MS,
      outputLimitBytes: 1024 * 1024,
      fields: new FieldWarnings(),
    },
  );
  credential = null;
  try {
    let detect: Record<string, unknown> | undefined;
    for await (const ev of plugin.events) if (ev.type === 'end') detect = ev.detect as typeof detect;
    const str = (k: string) => (typeof detect?.[k] === 'string' ? (detect[k] as string) : undefined);
    // vCenter's clock as the API writes every time (milliseconds, UTC); it may send nanoseconds or an offset
    const time = (s: string | undefined) =>
      s !== undefined && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined;
    return {
      ok: true,
      durationMs: 0,
      server: {
        version: str('target_version'),
        serverTime: time(str('server_time')),
        instanceUuid: str('instance_uuid'),
      },
    };
  } catch (err) {
    if (!(err instanceof RunFailureError)) throw err;
    const f = err.failure;
    const first = f.errors?.[0];
    return {
      ok: false,
      durationMs: 0,
      error: first
        ? {
            code: first.code,
            message: first.message,
            retryable: first.retryable,
            // The plugin's context keys are snake_case (the collector contract); the API's are camelCase.
            context: first.context && camelKeys<Record<string, unknown>>(first.context),
          }
        : { code: f.code, message: f.message, retryable: f.retryable },
    };
  }
}
