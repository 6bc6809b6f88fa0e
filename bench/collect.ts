// npm run bench:collect — the vCenter plugin against the simulator at 10k VMs (-cluster 20 -host 25 -vm 500),
// per collect mode: objects, HTTP requests, wall time, peak RSS — beside the floor (same requests, raw bytes,
// no parsing) measured in the same run. Targets (issue 3): collect_vms ≤ 50 requests, ≤ 2× floor wall time,
// ≤ 700 MB peak RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startVcsim } from '../test/vcsim.js'; // .js: test/vcsim/ (a directory) would shadow test/vcsim.ts
import type { RunMode } from '../src/collector/contract';
import { median } from './stats';

const ROOT = path.resolve(import.meta.dirname, '..');
const MODES: RunMode[] = ['collect_hosts', 'collect_vms', 'collect'];
const clusters = Number(process.env.BENCH_CLUSTERS ?? 20);
const hostsPer = Number(process.env.BENCH_HOSTS ?? 25);
const vmsPer = Number(process.env.BENCH_VMS ?? 500);
// Each mode runs floor and plugin alternately this many times; the table shows medians (shared 2-core machines
// are noisy, and the simulator competes with the plugin for CPU).
const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));

interface Measured {
  wallMs: number;
  peakRssMb: number;
  requests: number;
  bytes: number;
  stdoutBytes: number;
  objects?: number;
  code: number | null;
}

/** Runs a node+tsx script, feeding stdin; polls /proc for the peak RSS (VmHWM) until it exits. */
function measure(
  args: string[],
  input: string,
  env: Record<string, string>,
  parseOut: boolean,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited
      }
    }, 20);
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (parseOut) out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearInterval(poll);
      const stats = /COLLECT_STATS (.*)/.exec(stderr);
      if (!stats)
        return reject(new Error(`no stats from ${args[0]} (exit ${code}): ${stderr.slice(0, 2000)}`));
      const s = JSON.parse(stats[1]) as { requests: number; bytes: number };
      let objects: number | undefined;
      if (parseOut) {
        const r = JSON.parse(Buffer.concat(out).toString('utf8'));
        if (r.errors.length) return reject(new Error(`plugin errors: ${JSON.stringify(r.errors)}`));
        objects = r.assets.length;
      }
      resolve({
        wallMs,
        peakRssMb: peakKb / 1024,
        requests: s.requests,
        bytes: s.bytes,
        stdoutBytes: outBytes,
        objects,
        code,
      });
    });
    child.stdin.end(input);
  });
}

async function main() {
  console.log(
    `starting simulator: -cluster ${clusters} -host ${hostsPer} -vm ${vmsPer} (TMPDIR=/dev/shm) ...`,
  );
  const t0 = performance.now();
  const sim = await startVcsim({
    clusters,
    hostsPerCluster: hostsPer,
    vmsPerCluster: vmsPer,
    startTimeoutMs: 300_000,
  });
  console.log(
    `simulator ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${sim.totals.vms} VMs, ${sim.totals.hosts} hosts\n`,
  );
  const rows: string[][] = [];
  const verdicts: string[] = [];
  try {
    for (const mode of MODES) {
      const floors: Measured[] = [];
      const plugins: Measured[] = [];
      for (let i = 0; i < repeat; i++) {
        floors.push(
          await measure(
            ['bench/collect-floor.ts', sim.endpoint, sim.username, mode],
            '',
            { VC_PASS: sim.password },
            false,
          ),
        );
        const req = {
          schema_version: 'collector-request-v1',
          source: {
            source_id: 'bench',
            source_type: 'vcenter',
            config: { endpoint: sim.endpoint, insecure: true },
            credential: { username: sim.username, password: sim.password },
          },
          request: { run_id: 'bench', mode, now: new Date().toISOString() },
        };
        plugins.push(
          await measure(
            ['plugins/vcenter/src/main.ts'],
            JSON.stringify(req),
            { ASSET_LEDGER_COLLECT_STATS: '1' },
            true,
          ),
        );
      }
      const floor = {
        ...floors[0],
        wallMs: median(floors.map((m) => m.wallMs)),
        peakRssMb: median(floors.map((m) => m.peakRssMb)),
      };
      const p = {
        ...plugins[0],
        wallMs: median(plugins.map((m) => m.wallMs)),
        peakRssMb: median(plugins.map((m) => m.peakRssMb)),
      };
      const ratio = p.wallMs / floor.wallMs;
      rows.push([
        mode,
        String(p.objects),
        `${p.requests} (${floor.requests})`,
        `${(p.wallMs / 1000).toFixed(2)} s`,
        `${(floor.wallMs / 1000).toFixed(2)} s`,
        `${ratio.toFixed(2)}×`,
        `${p.peakRssMb.toFixed(0)} MB`,
        `${floor.peakRssMb.toFixed(0)} MB`,
        `${(floor.bytes / 1e6).toFixed(1)} MB`,
        `${(p.stdoutBytes / 1e6).toFixed(1)} MB`,
      ]);
      if (mode === 'collect_vms') {
        verdicts.push(
          `collect_vms: requests ${p.requests} ${p.requests <= 50 ? '≤' : '>'} 50, wall ${ratio.toFixed(2)}× floor ${ratio <= 2 ? '≤' : '>'} 2×, ` +
            `peak RSS ${p.peakRssMb.toFixed(0)} MB ${p.peakRssMb <= 700 ? '≤' : '>'} 700 MB`,
        );
      }
    }
  } finally {
    await sim.stop();
  }
  const header = [
    'mode',
    'objects',
    'HTTP requests (floor)',
    'wall',
    'floor wall',
    'ratio',
    'peak RSS',
    'floor RSS',
    'bytes read',
    'JSON out',
  ];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nmedians of ${repeat} alternating runs per mode (BENCH_REPEAT).`);
  console.log(
    'floor: the same SOAP requests from a node+tsx process, bytes read and dropped (no XML parsing).',
  );
  console.log(
    'plugin requests include the vAPI tag requests (session, tag list, logout); the floor has none.',
  );
  for (const v of verdicts) console.log(v);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
