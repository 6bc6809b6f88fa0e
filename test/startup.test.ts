// `npm start` through its real entry point: embedded PostgreSQL boots, /api/v1/health answers, the first
// admin password is printed once, SIGTERM/SIGINT leave no postgres behind, and the data survives a restart.
// Bad configuration fails with one line and a non-zero exit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNextBuild } from './ui/harness';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'asset-ledger-startup-'));
fs.chmodSync(dataDir, 0o755);
const children: ChildProcess[] = [];

// A build of the current sources, shared with the browser suites under their lock (start.ts itself only
// builds when there is none, and must not rebuild under other servers running from .next).
beforeAll(() => ensureNextBuild(), 600_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const pid = postmasterPid();
  if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postmasterPid(): number | null {
  try {
    return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The real entry point, as `npm start` runs it, without the test run's DATABASE_URL. */
function start(env: Record<string, string>): Started {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LOG_LEVEL: 'info' };
  delete childEnv.DATABASE_URL;
  delete childEnv.ASSET_LEDGER_SECRET_KEY;
  delete (childEnv as Record<string, string | undefined>).NODE_ENV;
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/start.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(s: Started, text: string | RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const out = s.output();
    if (typeof text === 'string' ? out.includes(text) : text.test(out)) return;
    if (s.child.exitCode !== null) throw new Error(`start exited (${s.child.exitCode}):\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${text}:\n${s.output()}`);
}

describe('npm start (embedded mode)', () => {
  // The first start initialises the cluster.
  it('boots, serves /api/v1/health, prints the admin password once, and SIGTERM stops its postgres', async () => {
    const port = await freePort();
    const s = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(s, 'is running at', 120_000);
    const password = /with password: (\S+)/.exec(s.output())?.[1];
    expect(password, s.output()).toBeTruthy();

    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBeTruthy();
    const body = await health.json();
    expect(body).toMatchObject({ status: 'ok', database: { reachable: true } });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);

    const unknown = await fetch(`http://127.0.0.1:${port}/api/v1/no-such-endpoint`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('NOT_FOUND');

    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    expect((await login.json()).user).toMatchObject({ role: 'admin', mustChangePassword: true });

    const keyFile = path.join(dataDir, 'secret.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const pgPid = postmasterPid();
    expect(pgPid && alive(pgPid)).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(alive(pgPid!)).toBe(false);
    expect(s.output()).toContain('shutdown_complete');
  }, 150_000);

  it('a second start finds the data intact (no new password) and SIGINT stops it cleanly', async () => {
    const key = fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8');
    const port = await freePort();
    const s = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(s, 'is running at', 120_000);
    expect(s.output()).not.toContain('with password');
    expect(fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8')).toBe(key);
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(health.status).toBe(200);
    const pgPid = postmasterPid();
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(alive(pgPid!)).toBe(false);
  }, 150_000);
});

describe('npm start after a hard kill', () => {
  it('stops the postgres a SIGKILLed start left behind, then boots on the same data', async () => {
    const first = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(await freePort()) });
    await waitFor(first, 'is running at', 120_000);
    const orphan = postmasterPid()!;
    first.child.kill('SIGKILL'); // no handler runs: postgres is orphaned
    await first.exited;
    expect(alive(orphan)).toBe(true);

    const port = await freePort();
    const second = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(second, 'is running at', 120_000);
    expect(second.output()).toContain('embedded_postgres.leftover_stopping');
    expect(alive(orphan)).toBe(false);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
    const pgPid = postmasterPid()!;
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(alive(pgPid)).toBe(false);
  }, 250_000);
});

describe('npm start when its postgres dies', () => {
  it('starts it again, the API recovers, and SIGTERM still stops everything', async () => {
    const port = await freePort();
    const s = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(s, 'is running at', 120_000);
    const killed = postmasterPid()!;
    process.kill(killed, 'SIGKILL'); // as the OOM killer would
    await waitFor(s, 'embedded_postgres.exited', 10_000);
    await waitFor(s, 'embedded_postgres.restarted', 30_000);
    const restarted = postmasterPid()!;
    expect(restarted).not.toBe(killed);
    expect(alive(restarted)).toBe(true);
    // the pool drops its broken connections and connects again
    let health: Response | undefined;
    for (let i = 0; i < 20 && health?.status !== 200; i++) {
      if (i) await new Promise((r) => setTimeout(r, 500));
      health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    }
    expect(health!.status).toBe(200);
    expect((await health!.json()).database).toMatchObject({ reachable: true });
    // the outage is a line or two from each loop, not a failed statement per poll
    const out = s.output();
    expect(out).not.toContain('Failed query');
    expect(out).not.toContain('worker.poll_failed');
    expect(out.match(/worker\.database_unavailable/g)?.length ?? 0).toBeLessThanOrEqual(2);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(alive(restarted)).toBe(false);
    expect(s.output()).toContain('shutdown_complete');
  }, 200_000);

  it('gives up after a fourth exit within 10 minutes: embedded_postgres.failed, no postgres left running, exit 1', async () => {
    const port = await freePort();
    const s = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(s, 'is running at', 120_000);
    const pids: number[] = [];
    for (let n = 0; n <= 3; n++) {
      const pid = postmasterPid()!;
      pids.push(pid);
      process.kill(pid, 'SIGKILL');
      if (n < 3) await waitFor(s, new RegExp(`(embedded_postgres\\.restarted[\\s\\S]*){${n + 1}}`), 60_000);
    }
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('embedded_postgres.failed');
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 250_000);
});

/** `npm run reset-password` as an operator runs it beside (or without) `npm start`. */
function resetPassword(args: string[]): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ASSET_LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.ASSET_LEDGER_SECRET_KEY;
  delete (env as Record<string, string | undefined>).NODE_ENV;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/reset-password.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const newPassword = (out: string) => /\(shown only this once\): (\S+)/.exec(out)?.[1];

async function signIn(port: number, password: string) {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  return { status: r.status, body: (await r.json()) as { user?: { mustChangePassword: boolean } } };
}

describe('npm run reset-password (the first admin lost the password npm start printed once)', () => {
  it('beside a running npm start, and with none running; the old password stops working', async () => {
    const port = await freePort();
    let s = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(s, 'is running at', 120_000);
    const first = await resetPassword([]);
    expect(first.code, first.out).toBe(0);
    const a = newPassword(first.out)!;
    expect(a).toMatch(/^\S{12,}$/);
    expect(await signIn(port, a)).toMatchObject({
      status: 200,
      body: { user: { mustChangePassword: true } },
    });
    const pgPid = postmasterPid()!;
    expect(alive(pgPid), 'the running database was left running').toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);

    // Nothing running: the embedded database is started for the moment and stopped again.
    const second = await resetPassword(['admin']);
    expect(second.code, second.out).toBe(0);
    const b = newPassword(second.out)!;
    expect(b).not.toBe(a);
    const left = postmasterPid();
    expect(left !== null && alive(left), 'postgres left running').toBe(false);

    s = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(s, 'is running at', 120_000);
    expect((await signIn(port, a)).status).toBe(401);
    expect((await signIn(port, b)).status).toBe(200);
    const unknown = await resetPassword(['nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.out.trim()).toBe('asset-ledger: No user named "nobody". Admins: admin');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  }, 250_000);
});

describe('npm start (bad configuration)', () => {
  it('a bad value: one line naming the variable, no stack trace, non-zero exit', async () => {
    const s = start({ ASSET_LEDGER_DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await s.exited).not.toBe(0);
    const lines = s.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT must be/);
    expect(s.output()).not.toMatch(/\n\s+at /);
  });

  it('an unreachable DATABASE_URL fails within 10 s with one line', async () => {
    const closed = await freePort(); // nothing listens there
    const t0 = Date.now();
    const s = start({ DATABASE_URL: `postgres://u:p@127.0.0.1:${closed}/x`, ASSET_LEDGER_DATA_DIR: dataDir });
    expect(await s.exited).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(s.output().trim()).toMatch(
      /^asset-ledger: Cannot reach PostgreSQL at DATABASE_URL \(127\.0\.0\.1:\d+\/x\)/,
    );
    expect(s.output()).not.toContain(':p@');
  });

  it('NODE_ENV=production refuses to start without ASSET_LEDGER_SECRET_KEY', async () => {
    const s = start({ NODE_ENV: 'production', ASSET_LEDGER_DATA_DIR: path.join(dataDir, 'prod') });
    expect(await s.exited).not.toBe(0);
    expect(s.output()).toMatch(/ASSET_LEDGER_SECRET_KEY must be set when NODE_ENV=production/);
    expect(fs.existsSync(path.join(dataDir, 'prod', 'pg'))).toBe(false);
  });
});
