// Runs the plugin's real entry point as a subprocess, the way the worker does.
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  collectorResponseSchema,
  type CollectorResponse,
  type RunMode,
} from '../../../src/collector/contract';
import type { VcenterCredential, VcenterSourceConfig } from '../../../src/collector/source-config';
import { collect, type CollectOptions, type CollectResult } from '../src/collect';
import { MemorySink } from '../src/output';

export const MAIN = path.resolve(import.meta.dirname, '..', 'src', 'main.ts');
export const CLI = path.resolve(import.meta.dirname, '..', 'src', 'cli.ts');

export function request(
  mode: RunMode,
  config: Record<string, unknown>,
  credential: Record<string, unknown> | null,
): Record<string, unknown> {
  return {
    schema_version: 'collector-request-v1',
    source: { source_id: 'src-1', source_type: 'vcenter', config, credential },
    request: { run_id: 'run-1', mode, now: new Date().toISOString() },
  };
}

export interface PluginRun {
  code: number | null;
  stdout: string;
  stderr: string;
  response: CollectorResponse;
}

export function runPluginRaw(
  input: string | Buffer,
  args: string[] = [MAIN],
  env: Record<string, string> = {},
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(input);
  });
}

/** Runs main.ts with a request; parses and schema-validates the response (throws if it is invalid). */
export async function runPlugin(req: Record<string, unknown>): Promise<PluginRun> {
  const r = await runPluginRaw(JSON.stringify(req));
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(
      `plugin printed invalid JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} / ${r.stderr.slice(0, 500)}`,
    );
  }
  const response = collectorResponseSchema.parse(json);
  return { ...r, response };
}

/** Runs the collector in-process and returns the schema-validated response it would print. */
export async function collectInProcess(
  mode: RunMode,
  config: VcenterSourceConfig,
  credential: VcenterCredential,
  opts: CollectOptions = {},
): Promise<{ response: CollectorResponse; result: CollectResult }> {
  const sink = new MemorySink();
  const result = await collect(config, credential, mode, sink, { backoffMs: 10, ...opts });
  const response = collectorResponseSchema.parse({
    schema_version: 'collector-response-v1',
    ...(result.detect ? { detect: result.detect } : {}),
    assets: sink.assets,
    relations: sink.relations,
    stats: {
      assets: result.assets,
      relations: result.relations,
      inventory_complete: result.inventory_complete,
      warnings: [...result.warnings, ...sink.warnings],
    },
    errors: result.errors,
  });
  return { response, result };
}
