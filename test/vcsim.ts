// The project's harness around its own vCenter simulator (test/vcsim/main.go, built by test/vcsim/build.sh
// into .vcsim-bin/). Tests and benchmarks start one per suite on a free port and stop it at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe } from 'vitest';
import { SoapClient, el, moEl } from '../plugins/vcenter/src/soap/client';

export const VCSIM_BIN = path.resolve(import.meta.dirname, '..', '.vcsim-bin', 'ledger-vcsim');

export interface VcsimOptions {
  datacenters?: number;
  clusters?: number;
  hostsPerCluster?: number;
  vmsPerCluster?: number;
  standaloneHosts?: number;
  guest?: boolean;
  username?: string;
  password?: string;
  /** Serve plain HTTP instead of HTTPS. */
  plainHttp?: boolean;
  /** How long to wait for READY (a 10k-VM inventory takes ~20 s to build). */
  startTimeoutMs?: number;
  /** `about.instanceUuid` this vCenter reports (default: a random one per start). */
  instanceUuid?: string;
  /** 1–255: a second instance gets VM/host UUIDs, MACs, IPs and guest host names of its own (default 0). */
  seed?: number;
  /** Given to the first VMs in name order: the same VM in two instances, or one that moved between them. */
  vms?: VcsimVmSpec[];
  /** Every host reports the serial "To be filled by O.E.M." and one shared placeholder hardware UUID. */
  junkHostIdentity?: boolean;
  /**
   * Page RetrievePropertiesEx answers as vCenter does: at most min(maxObjects, page) objects each, the rest
   * by ContinueRetrievePropertiesEx (default: the simulator's one answer with everything).
   */
  page?: number;
}

export interface VcsimVmSpec {
  name?: string;
  /** BIOS UUID (config.uuid) */
  uuid?: string;
  /** config.instanceUuid */
  instanceUuid?: string;
}

export interface Vcsim {
  /** https://127.0.0.1:PORT/sdk (no credentials in it) */
  sdkUrl: string;
  /** https://127.0.0.1:PORT — what a source config's `endpoint` holds */
  endpoint: string;
  username: string;
  password: string;
  totals: { vms: number; hosts: number; clusters: number; datacenters: number };
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function vcsimAvailable(): boolean {
  return existsSync(VCSIM_BIN);
}

/**
 * `describe` for suites that need the simulator. With the binary missing: fails loudly when
 * REQUIRE_VCSIM=1 (CI), else skips with a loud warning (a machine without Go).
 */
export function describeWithVcsim(name: string, fn: () => void): void {
  if (vcsimAvailable()) {
    describe(name, fn);
    return;
  }
  if (process.env.REQUIRE_VCSIM === '1') {
    describe(name, () => {
      throw new Error(
        `REQUIRE_VCSIM=1 but the simulator is not built (${VCSIM_BIN}); run: bash test/vcsim/build.sh`,
      );
    });
    return;
  }
  console.warn(
    `\n!!! SKIPPING "${name}": vCenter simulator not built (${VCSIM_BIN}). Run \`bash test/vcsim/build.sh\` ` +
      '(needs Debian golang-go + golang-github-vmware-govmomi-dev). Set REQUIRE_VCSIM=1 to make this a failure.\n',
  );
  describe.skip(name, fn);
}

export async function startVcsim(opts: VcsimOptions = {}): Promise<Vcsim> {
  if (!vcsimAvailable())
    throw new Error(`simulator binary missing: ${VCSIM_BIN} (run bash test/vcsim/build.sh)`);
  const dc = opts.datacenters ?? 1;
  const clusters = opts.clusters ?? 1;
  const hostsPer = opts.hostsPerCluster ?? 3;
  const vmsPer = opts.vmsPerCluster ?? 2;
  const standalone = opts.standaloneHosts ?? 0;
  const username = opts.username ?? 'ledger@vsphere.local';
  const password = opts.password ?? 'ledger-pass';
  const args = [
    '-l',
    '127.0.0.1:0',
    '-dc',
    String(dc),
    '-cluster',
    String(clusters),
    '-host',
    String(hostsPer),
    '-vm',
    String(vmsPer),
    '-standalone-host',
    String(standalone),
    `-guest=${opts.guest ?? true}`,
    '-username',
    username,
    '-password',
    password,
  ];
  if (opts.plainHttp) args.push('-http');
  // Each start is a vCenter of its own, as real ones are (the simulator's default is one fixed UUID).
  args.push('-instance-uuid', opts.instanceUuid ?? randomUUID());
  if (opts.seed) args.push('-seed', String(opts.seed));
  if (opts.junkHostIdentity) args.push('-junk-host-identity');
  if (opts.page) args.push('-page', String(opts.page));
  let specDir: string | undefined;
  if (opts.vms?.length) {
    specDir = mkdtempSync(path.join(tmpdir(), 'vcsim-spec-'));
    const file = path.join(specDir, 'vms.json');
    writeFileSync(file, JSON.stringify(opts.vms));
    args.push('-vm-spec', file);
  }
  const child = spawn(VCSIM_BIN, args, {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      TMPDIR: '/dev/shm',
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      if (specDir) rmSync(specDir, { recursive: true, force: true });
      resolve();
    }),
  );
  const ready = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`simulator did not become ready in time; stderr: ${stderr}`));
    }, opts.startTimeoutMs ?? 120_000);
    rl.on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code}) before READY; stderr: ${stderr}`));
    });
    child.once('error', reject);
  });
  // READY https://user:pass@127.0.0.1:PORT/sdk vms=N hosts=M
  const m = /^READY (\S+) vms=(\d+) hosts=(\d+)/.exec(ready);
  if (!m) throw new Error(`unexpected READY line: ${ready}`);
  const u = new URL(m[1]);
  u.username = '';
  u.password = '';
  const sdkUrl = u.toString();
  const endpoint = `${u.protocol}//${u.host}`;
  const totals = { vms: Number(m[2]), hosts: Number(m[3]), clusters: dc * clusters, datacenters: dc };
  child.stdout!.resume();
  return {
    sdkUrl,
    endpoint,
    username,
    password,
    totals,
    pid: child.pid!,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface VcsimFault {
  kind: 'delay' | 'hang' | 'status' | 'reset' | '';
  /** Only SOAP calls whose body names this method (e.g. RetrievePropertiesEx); default any. */
  method?: string;
  /** How many calls get it; default all until disarmed. */
  count?: number;
  ms?: number;
  status?: number;
}

/** Arms a fault for the next SOAP calls (test/vcsim/main.go `faults`); returns the hits of the previous one. */
export async function armVcsimFault(sim: Pick<Vcsim, 'endpoint'>, fault: VcsimFault): Promise<number> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fault)) if (v !== undefined) q.set(k, String(v));
  const { default: https } = await import('node:https');
  const text = await new Promise<string>((resolve, reject) => {
    https
      .get(`${sim.endpoint}/_ledger/fault?${q}`, { rejectUnauthorized: false }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve(b));
      })
      .on('error', reject);
  });
  return Number(/hits=(\d+)/.exec(text)?.[1] ?? 0);
}

/** A logged-in SOAP client on the simulator (TLS not verified: the simulator's certificate is throwaway). */
export async function vcsimClient(
  sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>,
): Promise<SoapClient> {
  const c = new SoapClient({ endpoint: sim.endpoint, insecure: true });
  await c.loginWith(sim.username, sim.password);
  return c;
}

async function withClient<T>(
  sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>,
  fn: (c: SoapClient) => Promise<T>,
) {
  const c = await vcsimClient(sim);
  try {
    return await fn(c);
  } finally {
    await c.logout();
    c.close();
  }
}

/** vMotions a VM to another host (RelocateVM_Task with spec.host) and waits for the task. */
export async function relocateVm(
  sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>,
  vmMoref: string,
  hostMoref: string,
) {
  await withClient(sim, async (c) => {
    const task = await c.invokeTask('RelocateVM_Task', [
      moEl('_this', { type: 'VirtualMachine', value: vmMoref }),
      el('spec', [moEl('host', { type: 'HostSystem', value: hostMoref })]),
    ]);
    await c.waitForTask(task);
  });
}

/** Deletes a VM (Destroy_Task; powers it off first when needed) and waits for the task. */
export async function destroyVm(sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>, vmMoref: string) {
  await withClient(sim, async (c) => {
    const vm = { type: 'VirtualMachine', value: vmMoref };
    try {
      await c.waitForTask(await c.invokeTask('PowerOffVM_Task', [moEl('_this', vm)]));
    } catch {
      // Already off: Destroy_Task below decides.
    }
    await c.waitForTask(await c.invokeTask('Destroy_Task', [moEl('_this', vm)]));
  });
}

/** The vCenter's `about.instanceUuid` (no login needed). */
export async function vcsimInstanceUuid(sim: Pick<Vcsim, 'endpoint'>): Promise<string> {
  const c = new SoapClient({ endpoint: sim.endpoint, insecure: true });
  try {
    return (await c.retrieveServiceContent()).about.instanceUuid;
  } finally {
    c.close();
  }
}

/** Morefs of the simulator's VMs with their host, straight from the PropertyCollector (for assertions). */
export async function listVmPlacement(sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>) {
  return withClient(sim, async (c) => {
    const out = new Map<string, { name: string; host?: string }>();
    await c.retrieveAll('VirtualMachine', ['name', 'runtime.host'], (o) => {
      out.set(o.obj.value, {
        name: o.props.get('name')?.text ?? '',
        host: o.props.get('runtime.host')?.text,
      });
    });
    return out;
  });
}

/** The simulator's VMs by moref with their name and UUIDs (to pick one to move or duplicate). */
export async function listVmIdentities(sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>) {
  return withClient(sim, async (c) => {
    const out = new Map<string, { name: string; uuid: string; instanceUuid: string }>();
    await c.retrieveAll('VirtualMachine', ['name', 'config.uuid', 'config.instanceUuid'], (o) => {
      out.set(o.obj.value, {
        name: o.props.get('name')?.text ?? '',
        uuid: o.props.get('config.uuid')?.text ?? '',
        instanceUuid: o.props.get('config.instanceUuid')?.text ?? '',
      });
    });
    return out;
  });
}

/** Renames a VM and sets its annotation (ReconfigVM_Task with spec.name, spec.annotation); waits for it. */
export async function renameVm(
  sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>,
  vmMoref: string,
  name: string,
  annotation: string,
) {
  await withClient(sim, async (c) => {
    const task = await c.invokeTask('ReconfigVM_Task', [
      moEl('_this', { type: 'VirtualMachine', value: vmMoref }),
      el('spec', [el('name', name), el('annotation', annotation)]),
    ]);
    await c.waitForTask(task);
  });
}

/** Renames a managed entity (Rename_Task: the simulator honours it on clusters, datacenters, folders, VMs). */
export async function renameEntity(
  sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>,
  type: string,
  moref: string,
  name: string,
) {
  await withClient(sim, async (c) => {
    const task = await c.invokeTask('Rename_Task', [
      moEl('_this', { type, value: moref }),
      el('newName', name),
    ]);
    await c.waitForTask(task);
  });
}

/** Changes a VM's memory (ReconfigVM_Task with spec.memoryMB) and waits for the task. */
export async function setVmMemory(
  sim: Pick<Vcsim, 'endpoint' | 'username' | 'password'>,
  vmMoref: string,
  memoryMB: number,
) {
  await withClient(sim, async (c) => {
    const task = await c.invokeTask('ReconfigVM_Task', [
      moEl('_this', { type: 'VirtualMachine', value: vmMoref }),
      el('spec', [el('memoryMB', memoryMB)]),
    ]);
    await c.waitForTask(task);
  });
}
