// Runs one collector plugin as a subprocess (DESIGN §5/§6): request on stdin, response on stdout.
// The child gets a minimal environment (no database URL, no keys: the credential travels only on stdin),
// runs in its own process group so a timeout or a cancel kills everything it started, and its stdout is
// read as a byte stream under a size limit, split into lines and validated as it arrives
// (response-stream.ts). Nothing is read faster than the consumer (ingest) pulls: while it does not pull,
// the child's stdout is paused, the pipe fills and the plugin waits in its write. A lifeline pipe on fd 3
// stays open for the run's life: when the worker dies, the plugin sees it close and exits.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  REQUEST_SCHEMA_VERSION,
  REQUEST_SCHEMA_VERSION_V2,
  type CollectorError,
  type CollectorRequest,
  type RequestSchemaVersion,
} from './contract';
import type { FieldWarnings } from './field-invalid';
import { PluginOutputError, readResponse, type ResponseEvent } from './response-stream';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PluginCommand {
  command: string;
  args: string[];
  cwd?: string;
  /** Extra variables for the child (tests); the base environment stays minimal. */
  env?: Record<string, string>;
  /**
   * The request version the plugin understands (default v2). Either way the worker reads a v2 stream or a
   * v1 document, whichever the plugin writes.
   */
  contract?: 'v1' | 'v2';
}

export const requestVersionOf = (cmd: PluginCommand): RequestSchemaVersion =>
  cmd.contract === 'v1' ? REQUEST_SCHEMA_VERSION : REQUEST_SCHEMA_VERSION_V2;

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
  | 'PLUGIN_END_MISSING'
  | 'INVENTORY_INCOMPLETE'
  | 'PLUGIN_ERRORS'
  | 'INGEST_FAILED'
  // the database turned read-only (a failover to a standby): rolled back, retried once writable
  | 'DATABASE_READ_ONLY'
  | 'OUTPUT_TOO_LARGE'
  | 'WORKER_LOST'
  | 'WORKER_STOPPED'
  | 'RUN_CANCELLED'
  // the vCenter is another source's (src/server/identity/claim-source-instance.ts)
  | 'SOURCE_DUPLICATE';

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

/** A run failure carried through ingest's pull of items: ingest rolls back, the worker records it. */
export class RunFailureError extends Error {
  constructor(readonly failure: PluginFailure) {
    super(failure.message);
  }
}

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

export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface PluginRunOptions {
  timeoutMs: number;
  outputLimitBytes: number;
  /** The worker stops: the run goes back to the queue (WORKER_STOPPED). */
  signal?: AbortSignal;
  /** An admin cancelled the run (RUN_CANCELLED). */
  cancelSignal?: AbortSignal;
  fields: FieldWarnings;
  maxLineBytes?: number;
}

/** One running plugin: its validated events, pulled one at a time, then how it ended. */
export interface PluginRun {
  /**
   * The response's events. Completes normally only after the `end` event and a zero exit; any other ending
   * throws a RunFailureError with its own code. Leaving the loop early kills the plugin's process group.
   */
  events: AsyncGenerator<ResponseEvent>;
  /** Wall time from spawn to exit (ms), once exited. */
  durationMs(): number;
  outputBytes(): number;
  stderrTail(): string;
  /** Kills the plugin's process group (ingest failed, the run is over). */
  kill(): void;
  pid: number | undefined;
}

class OutputLimitError extends Error {}

export function startPlugin(
  cmd: PluginCommand,
  request: CollectorRequest,
  options: PluginRunOptions,
): PluginRun {
  const started = Date.now();
  let ended: number | undefined;
  let stdoutBytes = 0;
  let stderr = Buffer.alloc(0);
  let timedOut = false;
  let aborted = false;
  let cancelled = false;
  let limitHit = false;
  let spawnError: Error | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let child: ChildProcess | undefined;
  try {
    child = spawn(cmd.command, cmd.args, {
      cwd: cmd.cwd ?? REPO_ROOT,
      env: minimalEnv({ ...cmd.env, ASSET_LEDGER_LIFELINE_FD: String(LIFELINE_FD) }) as NodeJS.ProcessEnv,
      detached: true, // its own process group: timeout and cancel kill the plugin and anything it started
      // fd 3 is the lifeline: nothing is written on it; this process holding it open is the message.
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    spawnError = err as Error;
  }
  const closed = new Promise<void>((resolve) => {
    if (!child) return resolve();
    child.on('error', (err) => {
      spawnError ??= err;
      killGroup(child!.pid);
      if (!child!.pid) resolve(); // never started: no 'close' to wait for
    });
    child.on('close', (code, signal) => {
      exit = { code, signal };
      ended = Date.now();
      resolve();
    });
  });
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child?.pid);
  }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    killGroup(child?.pid);
  };
  const onCancel = () => {
    cancelled = true;
    killGroup(child?.pid);
  };
  options.signal?.addEventListener('abort', onAbort);
  options.cancelSignal?.addEventListener('abort', onCancel);
  if (options.signal?.aborted) onAbort();
  if (options.cancelSignal?.aborted) onCancel();
  const stderrTail = () => stderr.toString('utf8').slice(-8192);

  if (child) {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_LIMIT) stderr = stderr.subarray(stderr.length - STDERR_LIMIT);
    });
    // Claimed as read now, not at the first pull: on the child's exit Node resumes a stdout nobody listens
    // to and drops what it holds, and a fast plugin exits before the worker (connecting, beginning its
    // transaction) pulls. A 'readable' listener keeps it paused; the reader below takes the bytes.
    child.stdout!.on('readable', () => {});
    const lifeline = child.stdio[LIFELINE_FD] as NodeJS.ReadableStream & { destroy(): void };
    lifeline.on('error', () => {});
    lifeline.resume();
    child.on('exit', () => lifeline.destroy());
    // The plugin may exit without reading stdin; that is judged by its exit, not by EPIPE here.
    child.stdin!.on('error', () => {});
    child.stdin!.end(JSON.stringify(request));
  }

  // Bytes under the size limit, pulled from the paused stream only when asked for.
  async function* limited(): AsyncGenerator<Buffer> {
    for await (const chunk of child!.stdout! as AsyncIterable<Buffer>) {
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.outputLimitBytes) {
        limitHit = true;
        killGroup(child!.pid);
        throw new OutputLimitError();
      }
      yield chunk;
    }
  }

  const failure = (
    code: RunFailureCode,
    message: string,
    retryable = false,
    extra: Partial<PluginFailure> = {},
  ) =>
    new RunFailureError({
      ok: false,
      code,
      message,
      retryable,
      stderrTail: stderrTail(),
      exitCode: exit?.code ?? null,
      ...extra,
    });

  /** How the run ended when the process (and not its output) decides it. */
  const processFailure = (): RunFailureError | undefined => {
    if (spawnError) return failure('PLUGIN_SPAWN_FAILED', `cannot start the plugin: ${spawnError.message}`);
    if (aborted) return failure('WORKER_STOPPED', 'the worker stopped this run', true);
    if (cancelled) return failure('RUN_CANCELLED', 'the run was cancelled; nothing was ingested');
    if (limitHit)
      return failure('OUTPUT_TOO_LARGE', `plugin output exceeded ${options.outputLimitBytes} bytes`);
    if (timedOut)
      return failure(
        'PLUGIN_TIMEOUT',
        `plugin did not finish within ${Math.round(options.timeoutMs / 1000)} s and was killed`,
        true,
      );
    return undefined;
  };
  /** Kills the group and drops unread output ('close' waits for stdout, which nobody reads any more). */
  const stopChild = () => {
    killGroup(child?.pid);
    child?.stdout?.destroy();
  };
  const exitText = () =>
    exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.code ?? 'unknown'}`;
  const exitedBadly = () => !exit || exit.code !== 0;

  async function* events(): AsyncGenerator<ResponseEvent> {
    let done = false;
    let lines = 0;
    const errors: CollectorError[] = [];
    try {
      if (!child || spawnError) {
        await closed;
        throw processFailure() ?? failure('PLUGIN_SPAWN_FAILED', 'cannot start the plugin');
      }
      try {
        for await (const ev of readResponse(limited(), {
          fields: options.fields,
          maxLineBytes: options.maxLineBytes,
        })) {
          lines++;
          if (ev.type === 'error') errors.push(ev.error);
          yield ev;
        }
      } catch (err) {
        if (err instanceof RunFailureError) throw err;
        // The process explains a broken stream better than the stream does (killed, timed out, too big).
        // At the end of the output the plugin is exiting by itself: its exit code is worth waiting for.
        if (!(err instanceof PluginOutputError && err.atEof)) stopChild();
        await closed;
        const pf = processFailure();
        if (pf) throw pf;
        if (err instanceof OutputLimitError) throw failure('OUTPUT_TOO_LARGE', 'plugin output too large');
        if (err instanceof PluginOutputError) {
          if (err.atEof && exit && exit.code !== 0 && !errors.length) {
            throw failure(
              'PLUGIN_EXIT_NONZERO',
              `plugin ${exitText()} after ${lines} lines without its end line${stderrTail() ? `: ${lastLine(stderrTail())}` : ''}`,
            );
          }
          throw failure(err.code, err.message);
        }
        throw err;
      }
      await closed;
      const pf = processFailure();
      if (pf) throw pf;
      if (errors.length) {
        const first = errors[0]!;
        throw failure(
          'PLUGIN_ERRORS',
          `${first.code}: ${first.message}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`,
          errors.every((e) => e.retryable),
          { errors },
        );
      }
      if (exitedBadly()) throw failure('PLUGIN_EXIT_NONZERO', `plugin ${exitText()}`);
      done = true;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      options.cancelSignal?.removeEventListener('abort', onCancel);
      if (!done && !exit) {
        // The consumer stopped pulling (ingest failed) or the stream broke: nothing more is wanted.
        stopChild();
        await closed;
      }
    }
  }

  return {
    events: events(),
    durationMs: () => (ended ?? Date.now()) - started,
    outputBytes: () => stdoutBytes,
    stderrTail,
    kill: stopChild,
    pid: child?.pid,
  };
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1]!.slice(0, 500);
}
