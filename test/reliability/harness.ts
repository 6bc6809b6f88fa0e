// Shared pieces of `npm run reliability` (test/reliability/run.ts): scratch databases, the real processes
// (worker, scheduler, web) with their JSON logs, waiting on run states, and the ledger digest that says
// whether a faulted run left the ledger exactly as a clean run would.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createDb, closeDb, type Db } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The key of test/pipeline-helpers.ts TEST_KEY: credentials made there decrypt in the processes. */
export const SECRET_KEY_HEX = 'a'.repeat(64);

export interface Row {
  fault: string;
  expected: string;
  observed: string;
  /** Rows lost or left partial; must be 0. */
  dataLost: number;
  pass: boolean;
}

export interface Scratch {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/** A migrated database of its own on the server at `serverUrl`, dropped by `drop()`. */
export async function scratchDatabase(serverUrl: string, label: string): Promise<Scratch> {
  const name = `al_rel_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const db = createDb(url, { max: 4, applicationName: 'reliability-harness' });
  await migrateDatabase(db);
  return {
    url,
    name,
    db,
    async drop() {
      await closeDb(db).catch(() => {});
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface LogLine {
  event_type?: string;
  level?: string;
  [k: string]: unknown;
}

/** A real process of the app (`node --import tsx <script>`), its JSON log lines kept for assertions. */
export class Proc {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  private stderr = '';

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
    args: string[] = [],
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        ...env,
      } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    readline.createInterface({ input: this.child.stdout! }).on('line', (l) => {
      try {
        this.lines.push(JSON.parse(l) as LogLine);
      } catch {
        this.lines.push({ text: l });
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-8000)));
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  events(type: string): LogLine[] {
    return this.lines.filter((l) => l.event_type === type);
  }

  tail(): string {
    return this.stderr.slice(-2000);
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill(signal);
    const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(t);
  }
}

/** The environment of a worker or scheduler process for the suite: fast heartbeats, quick staleness. */
export function appEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ASSET_LEDGER_SECRET_KEY: SECRET_KEY_HEX,
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    RUN_HEARTBEAT_SECONDS: '1',
    RUN_STALE_SECONDS: '5',
    RUN_RETRY_BASE_SECONDS: '0',
    RUN_MAX_ATTEMPTS: '2',
    RUN_TIMEOUT_SECONDS: '120',
    SCHEDULER_TICK_SECONDS: '1',
    ...extra,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastErr = err; // e.g. the database restarting: keep asking
    }
    if (Date.now() > end)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (${(lastErr as Error).message})` : ''}`,
      );
    await sleep(everyMs);
  }
}

export interface RunState {
  id: string;
  status: string;
  mode: string;
  attempt: number;
  error_code: string | null;
  error_message: string | null;
  errors: { code: string }[];
  attempts: { attempt: number; workerId?: string; errorCode?: string }[];
}

export async function runState(db: Db, id: string): Promise<RunState> {
  const r = await db.execute<RunState & Record<string, unknown>>(
    sql`select id, status::text, mode::text, attempt, error_code, error_message, errors, attempts from runs where id = ${id}`,
  );
  return r.rows[0]!;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Waits until every run is final (succeeded / failed / cancelled). */
export async function waitFinal(db: Db, ids: string[], timeoutMs = 120_000): Promise<RunState[]> {
  return waitFor(
    `runs ${ids.length === 1 ? ids[0] : `(${ids.length})`} to finish`,
    async () => {
      const states = await Promise.all(ids.map((id) => runState(db, id)));
      return states.every((s) => FINAL.has(s.status)) ? states : undefined;
    },
    timeoutMs,
    200,
  );
}

/** Running (non-zombie) processes whose parent is `pid`, whose command line contains `match`. */
export function childrenOf(pid: number, match: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(Number(d));
    if (!st || st.ppid !== pid || st.state === 'Z') continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(match)) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function procStat(pid: number): { state: string; ppid: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** Exists and is not a zombie (a reparented process may wait a while to be reaped). */
export function processAlive(pid: number): boolean {
  const st = procStat(pid);
  return st !== null && st.state !== 'Z';
}

/**
 * A digest of the ledger's content, free of what legitimately differs between two databases (generated
 * ids, timestamps, run ids): links with their presence, each link's records (count and latest hash), the
 * assets' denormalized columns, relations by endpoint, history events by type, snapshots per asset.
 */
export async function ledgerDigest(db: Db): Promise<{ digest: string; rows: number }> {
  const r = await db.execute<{ part: string; digest: string | null; n: number }>(sql`
    with l as (select id, asset_uuid, external_kind::text || ':' || external_id as ext, presence::text as presence
               from asset_source_links)
    select 'links' as part, md5(string_agg(ext || '=' || presence, ',' order by ext)) as digest, count(*)::int as n
      from l
    union all
    select 'records', md5(string_agg(x, ',' order by x)), sum(k)::int from (
      select l.ext || '#' || count(*) || '#' || (array_agg(r.hash order by r.id desc))[1] as x, count(*) as k
      from source_records r join l on l.id = r.link_id group by l.ext) rec
    union all
    select 'assets', md5(string_agg(x, ',' order by x)), count(*)::int from (
      select l.ext || '|' || concat_ws('|', a.kind, a.status, a.name, a.hostname, a.serial_number,
               array_to_string(a.ip_addresses, ' '), array_to_string(a.mac_addresses, ' '), a.power_state,
               a.cluster_name, a.host_name) as x
      from assets a join l on l.asset_uuid = a.uuid) a
    union all
    select 'relations', md5(string_agg(x, ',' order by x)), count(*)::int from (
      select rel.type::text || ':' || f.ext || '>' || t.ext || '=' || rel.status::text as x
      from relations rel join l f on f.asset_uuid = rel.from_asset_uuid join l t on t.asset_uuid = rel.to_asset_uuid) r
    union all
    select 'events', md5(string_agg(x, ',' order by x)), count(*)::int from (
      select l.ext || ':' || e.type::text as x from asset_events e join l on l.asset_uuid = e.asset_uuid) e
    union all
    select 'snapshots', md5(string_agg(x, ',' order by x)), count(*)::int from (
      select l.ext || ':' || count(*) as x from asset_snapshots s join l on l.asset_uuid = s.asset_uuid
      group by l.ext) s`);
  const parts = r.rows.map((p) => `${p.part}=${p.digest ?? '-'}`).join(';');
  const rows = r.rows.reduce((a, p) => a + (p.n ?? 0), 0);
  return { digest: parts, rows };
}

/** Rows a run wrote into the ledger tables (records, events and snapshots carry the run id). */
export async function rowsOfRun(db: Db, runId: string): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select (select count(*) from source_records where run_id = ${runId})
         + (select count(*) from asset_events where run_id = ${runId})
         + (select count(*) from asset_snapshots where run_id = ${runId}) as n`);
  return Number(r.rows[0]!.n);
}

export async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  const r = await db.execute<{ n: number }>(query);
  return Number(r.rows[0]!.n);
}

/** Backends of `database` that hold a transaction which has written something (an xid) or waits on a lock. */
export async function writingBackends(
  db: Db,
  database: string,
): Promise<{ pid: number; waiting: boolean; xid: boolean }[]> {
  const r = await db.execute<{ pid: number; waiting: boolean; xid: boolean }>(sql`
    select pid, wait_event_type = 'Lock' as waiting, backend_xid is not null as xid
    from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()
      and application_name = 'asset-ledger' and xact_start is not null`);
  return r.rows;
}
