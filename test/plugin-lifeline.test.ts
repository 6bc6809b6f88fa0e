// Issue 11 item 9: a plugin must not outlive its worker. A real worker process runs a real plugin (the
// vCenter plugin talking to a vCenter that never answers, and a plugin with a grandchild); the worker is
// SIGKILLed; the plugin (and what it started) must be gone within 2 s. Before the lifeline, the vCenter
// plugin went on for its 120 s request timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triggerRun } from '@/server/runs/trigger';
import { createTestDatabase, type TestDatabase } from './db';
import { createSource } from './pipeline-helpers';

let t: TestDatabase;
let silent: net.Server;
const sockets = new Set<net.Socket>();
let connected: () => void = () => {};
beforeAll(async () => {
  t = await createTestDatabase();
  // A "vCenter" that accepts connections and never says a word (not even the TLS handshake).
  silent = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    connected();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent?.close(r));
  await t?.drop();
});

/** Running (not zombie) processes whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(Number(d));
    if (st && st.ppid === pid && st.state !== 'Z') out.push(Number(d));
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

/** Alive = exists and is not a zombie (a reparented child may wait a while to be reaped). */
const alive = (pid: number) => {
  const st = procStat(pid);
  return st !== null && st.state !== 'Z';
};

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startWorkerProcess(command?: object): ChildProcess {
  const args = ['--import', 'tsx', 'test/lifeline-worker.ts', t.url];
  if (command) args.push(JSON.stringify(command));
  const w = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return w;
}

/** SIGKILLs the worker and returns how long until every pid in `pids` is gone. */
async function killAndTime(worker: ChildProcess, pids: number[]): Promise<number> {
  const exited = new Promise((r) => worker.once('exit', r));
  const t0 = Date.now();
  worker.kill('SIGKILL');
  await exited;
  await waitFor('the plugin processes to go', () => pids.every((p) => !alive(p)), 10_000).catch(() => {});
  const ms = Date.now() - t0;
  for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL'); // leave nothing behind either way
  return ms;
}

describe('the plugin exits when its worker dies (lifeline)', () => {
  it('the vCenter plugin, mid-request against a vCenter that never answers, is gone within 2 s', async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const src = await createSource(t.db, {
      config: { endpoint: `https://127.0.0.1:${port}`, insecure: true },
    });
    const sawConnection = new Promise<void>((r) => (connected = r));
    await triggerRun(t.db, { sourceId: src.id, mode: 'collect_hosts', trigger: 'manual' });
    const worker = startWorkerProcess();
    try {
      await sawConnection; // the plugin is running and talking to "vCenter"
      // The worker's children are the plugin and tsx's esbuild service.
      const plugins = childrenOf(worker.pid!).filter((p) =>
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('plugins/vcenter/src/main.ts'),
      );
      expect(plugins).toHaveLength(1);
      const ms = await killAndTime(worker, plugins);
      expect(ms).toBeLessThan(2000);
    } finally {
      worker.kill('SIGKILL');
    }
  }, 60_000);

  it('a plugin with a grandchild: both are gone within 2 s', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'al-lifeline-'));
    const pidfile = path.join(dir, 'pids');
    const src = await createSource(t.db);
    await triggerRun(t.db, { sourceId: src.id, mode: 'collect_vms', trigger: 'manual' });
    const worker = startWorkerProcess({
      command: process.execPath,
      args: ['--import', 'tsx', 'test/lifeline-plugin.ts'],
      env: { LIFELINE_TEST_PIDFILE: pidfile },
    });
    try {
      const pids = await waitFor('the plugin to start its grandchild', () =>
        existsSync(pidfile) ? readFileSync(pidfile, 'utf8').trim().split(' ').map(Number) : undefined,
      );
      expect(pids.every(alive)).toBe(true);
      const ms = await killAndTime(worker, pids);
      expect(ms).toBeLessThan(2000);
    } finally {
      worker.kill('SIGKILL');
    }
  }, 60_000);
});
