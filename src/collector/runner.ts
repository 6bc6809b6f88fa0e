// Runs one collector plugin as a subprocess (DESIGN §5/§6): request on stdin, response on stdout.
// The child gets a minimal environment (no database URL, no keys: the credential travels only on stdin),
// runs in its own process group so a timeout kills everything it started, and its stdout is read as bytes
// under a size limit and decoded once, so multibyte characters split across chunks survive. A lifeline pipe
// on fd 3 stays open for the run's life: when the worker dies, the plugin sees it close and exits.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RESPONSE_SCHEMA_VERSION,
  collectorResponseSchema,
  isCollectMode,
  type CollectorError,
  type CollectorRequest,
  type CollectorResponse,
} from './contract';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PluginCommand {
  command: string;
  args: string[];
  cwd?: string;
  /** Extra variables for the child (tests); the base environment stays minimal. */
  env?: Record<string, string>;
}

/** The plugin for each source type, run from the repository root. */
export const PLUGIN_COMMANDS: Record<string, PluginCommand> = {
  vcenter: {
    command: process.execPath,
    args: ['--import', 'tsx', 'plugins/vcenter/src/main.ts'],
    cwd: REPO_ROOT,
  },
};

export type RunFailureCode =
  | 'SOURCE_MISSING'
  | 'CREDENTIAL_MISSING'
  | 'CREDENTIAL_UNREADABLE'
  | 'PLUGIN_MISSING'
  | 'PLUGIN_SPAWN_FAILED'
  | 'PLUGIN_TIMEOUT'
  | 'PLUGIN_EXIT_NONZERO'
  | 'PLUGIN_OUTPUT_INVALID_JSON'
  | 'PLUGIN_SCHEMA_VERSION'
  | 'PLUGIN_OUTPUT_INVALID'
  | 'INVENTORY_INCOMPLETE'
  | 'PLUGIN_ERRORS'
  | 'INGEST_FAILED'
  | 'OUTPUT_TOO_LARGE'
  | 'WORKER_LOST'
  | 'WORKER_STOPPED';

export interface PluginFailure {
  ok: false;
  code: RunFailureCode;
  message: string;
  retryable: boolean;
  errors?: CollectorError[];
  warnings?: unknown[];
  stderrTail?: string;
  exitCode?: number | null;
}

export interface PluginSuccess {
  ok: true;
  response: CollectorResponse;
  stderrTail: string;
  durationMs: number;
  outputBytes: number;
}

export type PluginOutcome = PluginSuccess | PluginFailure;

const STDERR_LIMIT = 64 * 1024;

/** The child's file descriptor of the lifeline (plugins/vcenter/src/lifeline.ts); named in its environment. */
export const LIFELINE_FD = 3;

/** PATH, HOME, TMPDIR and locale only. NODE_OPTIONS is left out on purpose (it could load code). */
export function minimalEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  return { ...env, ...extra };
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function runPlugin(
  cmd: PluginCommand,
  request: CollectorRequest,
  options: { timeoutMs: number; outputLimitBytes: number; signal?: AbortSignal },
): Promise<PluginOutcome> {
  const started = Date.now();
  return new Promise<PluginOutcome>((resolve) => {
    let settled = false;
    let stdoutBytes = 0;
    const stdout: Buffer[] = [];
    let stderr = Buffer.alloc(0);
    let limitHit = false;
    let timedOut = false;
    let aborted = false;
    const done = (o: PluginOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const stderrTail = () => stderr.toString('utf8').slice(-8192);

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd.command, cmd.args, {
        cwd: cmd.cwd ?? REPO_ROOT,
        env: minimalEnv({ ...cmd.env, ASSET_LEDGER_LIFELINE_FD: String(LIFELINE_FD) }) as NodeJS.ProcessEnv,
        detached: true, // its own process group: the timeout kills the plugin and anything it started
        // fd 3 is the lifeline: nothing is written on it; this process holding it open is the message.
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      });
    } catch (err) {
      done({ ok: false, code: 'PLUGIN_SPAWN_FAILED', message: (err as Error).message, retryable: false });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup(child.pid);
    };
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) onAbort();

    child.on('error', (err) => {
      killGroup(child.pid);
      done({
        ok: false,
        code: 'PLUGIN_SPAWN_FAILED',
        message: `cannot start the plugin: ${err.message}`,
        retryable: false,
      });
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (limitHit) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.outputLimitBytes) {
        limitHit = true;
        stdout.length = 0;
        killGroup(child.pid);
        return;
      }
      stdout.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_LIMIT) stderr = stderr.subarray(stderr.length - STDERR_LIMIT);
    });
    // Read (never written) so the child's exit is seen as end-of-file and 'close' is not held up by it.
    const lifeline = child.stdio[LIFELINE_FD] as NodeJS.ReadableStream & { destroy(): void };
    lifeline.on('error', () => {});
    lifeline.resume();
    child.on('exit', () => lifeline.destroy());
    // The plugin may exit without reading stdin; that is judged by its exit, not by EPIPE here.
    child.stdin!.on('error', () => {});
    child.stdin!.end(JSON.stringify(request));

    child.on('close', (code, signal) => {
      const base = { stderrTail: stderrTail(), exitCode: code };
      if (aborted) {
        done({
          ok: false,
          code: 'WORKER_STOPPED',
          message: 'the worker stopped this run',
          retryable: true,
          ...base,
        });
        return;
      }
      if (limitHit) {
        done({
          ok: false,
          code: 'OUTPUT_TOO_LARGE',
          message: `plugin output exceeded ${options.outputLimitBytes} bytes`,
          retryable: false,
          ...base,
        });
        return;
      }
      if (timedOut) {
        done({
          ok: false,
          code: 'PLUGIN_TIMEOUT',
          message: `plugin did not finish within ${Math.round(options.timeoutMs / 1000)} s and was killed`,
          retryable: true,
          ...base,
        });
        return;
      }
      const text = Buffer.concat(stdout).toString('utf8');
      stdout.length = 0;
      const outcome = judge(text, code, signal, request.request.mode, base);
      done(outcome.ok ? { ...outcome, durationMs: Date.now() - started, outputBytes: stdoutBytes } : outcome);
    });
  });
}

/** Turns the plugin's exit and output into a response or one specific failure. */
export function judge(
  text: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  mode: CollectorRequest['request']['mode'],
  base: { stderrTail: string; exitCode: number | null } = { stderrTail: '', exitCode: code },
): PluginOutcome {
  const exitedBadly = code !== 0;
  const exitText = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (exitedBadly) {
      return {
        ok: false,
        code: 'PLUGIN_EXIT_NONZERO',
        message: `plugin ${exitText}${base.stderrTail ? `: ${lastLine(base.stderrTail)}` : ''}`,
        retryable: false,
        ...base,
      };
    }
    return {
      ok: false,
      code: 'PLUGIN_OUTPUT_INVALID_JSON',
      message: text.trim() ? 'plugin output is not valid JSON' : 'plugin wrote nothing on stdout',
      retryable: false,
      ...base,
    };
  }
  const version = (parsed as { schema_version?: unknown } | null)?.schema_version;
  if (version !== RESPONSE_SCHEMA_VERSION) {
    return {
      ok: false,
      code: 'PLUGIN_SCHEMA_VERSION',
      message: `plugin answered schema_version ${JSON.stringify(version ?? null)}, expected ${RESPONSE_SCHEMA_VERSION}`,
      retryable: false,
      ...base,
    };
  }
  const result = collectorResponseSchema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    return {
      ok: false,
      code: 'PLUGIN_OUTPUT_INVALID',
      message: `plugin output does not match the contract (${issues.join('; ')})`,
      retryable: false,
      ...base,
    };
  }
  const response = result.data;
  if (response.errors.length) {
    const first = response.errors[0]!;
    return {
      ok: false,
      code: 'PLUGIN_ERRORS',
      message: `${first.code}: ${first.message}${response.errors.length > 1 ? ` (+${response.errors.length - 1} more)` : ''}`,
      retryable: response.errors.every((e) => e.retryable),
      errors: response.errors,
      warnings: response.stats.warnings,
      ...base,
    };
  }
  if (exitedBadly) {
    return {
      ok: false,
      code: 'PLUGIN_EXIT_NONZERO',
      message: `plugin ${exitText}`,
      retryable: false,
      ...base,
    };
  }
  if (isCollectMode(mode) && response.stats.inventory_complete !== true) {
    return {
      ok: false,
      code: 'INVENTORY_INCOMPLETE',
      message:
        'plugin did not report a complete inventory (inventory_complete is not true); nothing was ingested',
      retryable: false,
      warnings: response.stats.warnings,
      ...base,
    };
  }
  return {
    ok: true,
    response,
    stderrTail: base.stderrTail,
    durationMs: 0,
    outputBytes: Buffer.byteLength(text),
  };
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1]!.slice(0, 500);
}
