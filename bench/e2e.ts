// npm run bench:e2e — the whole pipeline on the simulator at 10k, 40k and 100k VMs: a real worker process
// (src/bin/worker.ts) claims each run, starts the real vCenter plugin, reads its contract-v2 stream and
// ingests it into PostgreSQL while the plugin collects. Per estate size × mode: wall (trigger → succeeded),
// the plugin's wall inside the run, the tail after the plugin exited, ingest overlap, peak RSS of worker +
// plugin (sampled together), output bytes — beside the plugin-only floor (the same plugin alone, output
// dropped) measured in the same run. Targets (issue 12): peak RSS of worker + plugin ≤ 400 MB at every size;
// collect_vms wall ≤ 1.25× the plugin's own wall at 40k; collect_hosts at 40k succeeds.
//
// BENCH_E2E_SIZES=10k,40k,100k picks sizes (each runs once: the machine is shared). The simulator shapes:
// 10k = -cluster 20 -host 25 -vm 500, 40k = -cluster 20 -host 25 -vm 2000, 100k = -cluster 50 -host 10 -vm 2000.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { RunMode } from '../src/collector/contract';
import { triggerRun } from '../src/server/runs/trigger';
import { createTestDatabase, type TestDatabase } from '../test/db';
import { createSource } from '../test/pipeline-helpers';
import { startVcsim, type Vcsim } from '../test/vcsim.js'; // .js: test/vcsim/ would shadow test/vcsim.ts

const ROOT = path.resolve(import.meta.dirname, '..');
const SHAPES: Record<string, { clusters: number; hostsPerCluster: number; vmsPerCluster: number }> = {
  '10k': { clusters: 20, hostsPerCluster: 25, vmsPerCluster: 500 },
  '40k': { clusters: 20, hostsPerCluster: 25, vmsPerCluster: 2000 },
  '100k': { clusters: 50, hostsPerCluster: 10, vmsPerCluster: 2000 },
};
const SIZES = (process.env.BENCH_E2E_SIZES ?? '10k,40k,100k').split(',').map((s) => s.trim());
// collect_vms twice: the first run creates every VM, the re-run is the steady state (nothing changed).
const RUNS: { mode: RunMode; label: string }[] = [
  { mode: 'collect_hosts', label: 'collect_hosts' },
  { mode: 'collect_vms', label: 'collect_vms (first run)' },
  { mode: 'collect_vms', label: 'collect_vms (re-run)' },
];
const RSS_LIMIT_MB = 400;
const WALL_RATIO_LIMIT = 1.25;
const SECRET = 'a'.repeat(64); // the key test/pipeline-helpers encrypts credentials with

const kb = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited
  }
};

/** `pid` and all its descendants (the worker, its plugin and anything the plugin started). */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const kids = readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU seconds (user + system) a process has used so far. */
const cpuS = (pid: number): number => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
};

/** CPU seconds of every PostgreSQL server process on this machine (0 for a remote server). */
function postgresCpuS(): number {
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') sum += cpuS(Number(d));
    } catch {
      // gone
    }
  }
  return sum;
}

/**
 * Samples the summed RSS of a process tree every 50 ms (the peak is the largest sum seen), and the CPU the
 * worker and its children (the plugin) used meanwhile.
 */
function sampleTree(pid: number) {
  let peakKb = 0;
  const workerCpu0 = cpuS(pid);
  const childCpu = new Map<number, number>();
  const timer = setInterval(() => {
    const pids = tree(pid);
    const sum = pids.reduce((s, p) => s + kb(p, 'VmRSS'), 0);
    peakKb = Math.max(peakKb, sum);
    for (const p of pids.slice(1)) childCpu.set(p, Math.max(childCpu.get(p) ?? 0, cpuS(p)));
  }, 50);
  let workerCpu = 0;
  return {
    stop: () => {
      clearInterval(timer);
      workerCpu = cpuS(pid) - workerCpu0;
    },
    peakMb: () => peakKb / 1024,
    cpu: () => ({ worker: workerCpu, plugin: [...childCpu.values()].reduce((a, b) => a + b, 0) }),
  };
}

function startWorker(url: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/bin/worker.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: url,
      ASSET_LEDGER_SECRET_KEY: SECRET,
      LOG_LEVEL: 'warn',
      RUN_TIMEOUT_SECONDS: '3600',
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** The plugin alone (v2 request, output counted and dropped): wall and peak RSS. */
function pluginFloor(
  sim: Vcsim,
  mode: RunMode,
): Promise<{ wallMs: number; rssMb: number; bytes: number; cpuS: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const sim0 = cpuS(sim.pid);
    let pluginCpu = 0;
    const child = spawn(process.execPath, ['--import', 'tsx', 'plugins/vcenter/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME } as unknown as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let hwm = 0;
    const poll = setInterval(() => {
      hwm = Math.max(hwm, kb(child.pid!, 'VmHWM'));
      pluginCpu = Math.max(pluginCpu, cpuS(child.pid!));
    }, 50);
    let bytes = 0;
    let tail = '';
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length;
      tail = (tail + d.toString('utf8')).slice(-4096);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0 || !tail.includes('"inventory_complete":true'))
        return reject(new Error(`plugin floor ${mode} failed (exit ${code}): ${tail.slice(-500)}`));
      resolve({
        wallMs: performance.now() - t0,
        rssMb: hwm / 1024,
        bytes,
        cpuS: pluginCpu + cpuS(sim.pid) - sim0,
      });
    });
    child.stdin.end(
      JSON.stringify({
        schema_version: 'collector-request-v2',
        source: {
          source_id: 'bench',
          source_type: 'vcenter',
          config: { endpoint: sim.endpoint, insecure: true },
          credential: { username: sim.username, password: sim.password },
        },
        request: { run_id: 'bench', mode, now: new Date().toISOString() },
      }),
    );
  });
}

type RunRow = {
  status: string;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  started_at: string;
  finished_at: string;
  stats: (Record<string, number> & { ingest_steps?: Record<string, number> }) | null;
};

async function waitFinal(t: TestDatabase, id: string): Promise<RunRow> {
  for (;;) {
    const r = (await t.db.execute<RunRow>(sql`select * from runs where id = ${id}`)).rows[0]!;
    if (!['queued', 'running'].includes(r.status)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const rows: string[][] = [];
  const verdicts: string[] = [];
  for (const size of SIZES) {
    const shape = SHAPES[size];
    if (!shape) throw new Error(`unknown size ${size} (one of ${Object.keys(SHAPES).join(', ')})`);
    const flags = `-cluster ${shape.clusters} -host ${shape.hostsPerCluster} -vm ${shape.vmsPerCluster}`;
    console.log(`\n[${size}] starting simulator ${flags} …`);
    const t0 = performance.now();
    const sim = await startVcsim({ ...shape, startTimeoutMs: 1_800_000 });
    console.log(
      `[${size}] simulator ready in ${s(performance.now() - t0)}: ${sim.totals.vms} VMs, ${sim.totals.hosts} hosts`,
    );
    const t = await createTestDatabase();
    const worker = startWorker(t.url);
    try {
      const src = await createSource(t.db, {
        config: { endpoint: sim.endpoint, insecure: true },
        credential: { username: sim.username, password: sim.password },
      });
      const floors = new Map<RunMode, Awaited<ReturnType<typeof pluginFloor>>>();
      for (const { mode, label } of RUNS) {
        if (!floors.has(mode)) floors.set(mode, await pluginFloor(sim, mode));
        const floor = floors.get(mode)!;
        const sampler = sampleTree(worker.pid!);
        const [simCpu0, pgCpu0] = [cpuS(sim.pid), postgresCpuS()];
        const { run } = await triggerRun(t.db, { sourceId: src.id, mode, trigger: 'manual' });
        const r = await waitFinal(t, run.id);
        sampler.stop();
        const [simCpu, pgCpu] = [cpuS(sim.pid) - simCpu0, postgresCpuS() - pgCpu0];
        const wall = Date.parse(r.finished_at) - Date.parse(r.created_at);
        const running = Date.parse(r.finished_at) - Date.parse(r.started_at);
        const pluginMs = Number(r.stats?.plugin_ms ?? NaN);
        const ingestMs = Number(r.stats?.ingest_ms ?? NaN);
        // The tail: what the run still did after the plugin exited (the rest of ingest, commit).
        const tailMs = Math.max(0, running - pluginMs);
        // Ingest's span (begin → commit) covers the plugin's; the share of it spent while the plugin ran.
        const overlap = ingestMs > 0 ? Math.max(0, 1 - tailMs / ingestMs) : NaN;
        const objects = r.stats?.assets ?? '—';
        const rss = sampler.peakMb();
        const cpu = sampler.cpu();
        rows.push([
          `${sim.totals.vms.toLocaleString('en')} VMs / ${sim.totals.hosts} hosts`,
          label,
          r.status === 'succeeded' ? `succeeded (${objects})` : `${r.status} ${r.error_code}`,
          s(wall),
          s(pluginMs),
          s(tailMs),
          Number.isFinite(overlap) ? `${(overlap * 100).toFixed(0)} %` : '—',
          `${(wall / pluginMs).toFixed(2)}×`,
          `${rss.toFixed(0)} MB`,
          `${cpu.worker.toFixed(1)} / ${cpu.plugin.toFixed(1)} / ${simCpu.toFixed(1)} / ${pgCpu.toFixed(1)} s`,
          `${(Number(r.stats?.output_bytes ?? 0) / 1e6).toFixed(0)} MB`,
          s(floor.wallMs),
          `${floor.rssMb.toFixed(0)} MB`,
          `${floor.cpuS.toFixed(1)} s`,
          `${(wall / floor.wallMs).toFixed(2)}×`,
        ]);
        if (r.status !== 'succeeded') verdicts.push(`${size} ${label}: ${r.status} — ${r.error_message}`);
        verdicts.push(
          `${size} ${label}: peak RSS worker + plugin ${rss.toFixed(0)} MB ${rss <= RSS_LIMIT_MB ? '≤' : '>'} ${RSS_LIMIT_MB} MB`,
        );
        if (mode === 'collect_vms' && size === '40k') {
          const ratio = wall / pluginMs;
          verdicts.push(
            `40k ${label}: wall ${ratio.toFixed(2)}× the plugin's own wall ${ratio <= WALL_RATIO_LIMIT ? '≤' : '>'} ${WALL_RATIO_LIMIT}× (${(wall / floor.wallMs).toFixed(2)}× the plugin-only floor)`,
          );
        }
        console.log(`[${size}] ${label}: ${rows[rows.length - 1]!.slice(2).join(' | ')}`);
        // Where ingest's time went: stage-stream runs while the plugin collects, the others after it.
        const steps = Object.entries((r.stats?.ingest_steps ?? {}) as Record<string, number>)
          .filter(([, ms]) => ms >= 100)
          .map(([step, ms]) => `${step} ${s(ms)}`);
        console.log(`[${size}] ${label}: ingest steps ≥ 0.1 s: ${steps.join(', ') || '—'}`);
      }
    } finally {
      worker.kill('SIGTERM');
      await new Promise((res) => worker.once('exit', res));
      await sim.stop();
      await t.drop();
    }
  }
  const header = [
    'estate',
    'mode',
    'result (assets)',
    'wall (trigger → succeeded)',
    'plugin wall',
    'tail after plugin',
    'ingest overlap',
    'wall / plugin',
    'peak RSS worker + plugin',
    'CPU worker / plugin / simulator / PostgreSQL',
    'output',
    'floor: plugin alone',
    'floor RSS',
    'floor CPU plugin + simulator',
    'wall / floor',
  ];
  console.log(`\n| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    '\nOne run per size and mode (the machine is shared). Floor: the same plugin alone with a v2 request, its output' +
      ' counted and dropped. Ingest overlap: the share of ingest (begin → commit) spent while the plugin was' +
      ' still collecting. Peak RSS: worker and plugin sampled together every 50 ms. CPU: seconds each used during' +
      ' the run (PostgreSQL: all its server processes); all four share the same 2 cores, so wall ≥ their sum / 2.',
  );
  for (const v of verdicts) console.log(v);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
