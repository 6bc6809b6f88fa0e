// The one-shot CLI's exports against the simulator (issue 14): `--format xlsx` writes the documented
// workbook (opened with exceljs' reader) with one vInfo row per VM naming its host and cluster, one vDisk row
// per disk, numbers typed; `--format csv` gives every VM row its host and cluster.
import { spawn } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WORKBOOK_SHEETS, columnHeader } from '../../../src/server/exports/workbook-sheets';
import { describeWithVcsim, listVmPlacement, renameVm, startVcsim, type Vcsim } from '../../../test/vcsim';
import { CLI } from './helpers';

function runCli(
  sim: Vcsim,
  format: string,
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        '--endpoint',
        sim.endpoint,
        '--username',
        sim.username,
        '--password-env',
        'VC_PASS',
        '--insecure',
        '--format',
        format,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          VC_PASS: sim.password,
        } as unknown as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

const FORMULA_NAME = '=cmd|calc';
const ANNOTATION = '负责人: 张伟 & <ops>\nCHG-42';

describeWithVcsim('CLI exports against the simulator', () => {
  let sim: Vcsim;
  let placement: Map<string, { name: string; host?: string }>;
  let hostNames: Map<string, string>;
  let wb: ExcelJS.Workbook;
  let csv: string;

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 2, hostsPerCluster: 2, vmsPerCluster: 3, standaloneHosts: 1 });
    // One VM with a name a spreadsheet would run as a formula, and notes with XML-special characters.
    const first = [...(await listVmPlacement(sim)).keys()][0]!;
    await renameVm(sim, first, FORMULA_NAME, ANNOTATION);
    placement = await listVmPlacement(sim);
    const x = await runCli(sim, 'xlsx');
    expect(x.code, x.stderr).toBe(0);
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.stdout as never);
    const c = await runCli(sim, 'csv');
    expect(c.code, c.stderr).toBe(0);
    csv = c.stdout.toString('utf8');
    // Host morefs → names, from the workbook's own vHost sheet (its moref column).
    const vhost = wb.getWorksheet('vHost')!;
    const key = (k: string) =>
      WORKBOOK_SHEETS.find((s) => s.name === 'vHost')!.columns.findIndex((c) => c.key === k) + 1;
    hostNames = new Map();
    for (let r = 2; r <= vhost.rowCount; r++) {
      const row = vhost.getRow(r);
      hostNames.set(String(row.getCell(key('moref')).value), String(row.getCell(key('name')).value));
    }
  }, 180_000);
  afterAll(async () => {
    await sim?.stop();
  });

  const cells = (sheet: string) => {
    const def = WORKBOOK_SHEETS.find((s) => s.name === sheet)!;
    const ws = wb.getWorksheet(sheet)!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(
      def.columns.map((c) => columnHeader(c as never, 'en')),
    );
    const rows: Record<string, ExcelJS.Cell>[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      if (row.hasValues)
        rows.push(Object.fromEntries(def.columns.map((c, i) => [c.key, row.getCell(i + 1)])));
    }
    return rows;
  };

  it('has every documented sheet and column', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(WORKBOOK_SHEETS.map((s) => s.name));
    for (const s of WORKBOOK_SHEETS) cells(s.name);
  });

  it('one vInfo row per VM with its host and cluster; numbers typed', () => {
    const rows = cells('vInfo');
    expect(rows).toHaveLength(sim.totals.vms);
    expect(rows.map((r) => String(r.moref!.value)).sort()).toEqual([...placement.keys()].sort());
    let clustered = 0;
    for (const r of rows) {
      const vm = placement.get(String(r.moref!.value))!;
      expect(r.name!.value).toBe(vm.name);
      expect(r.hostName!.value, vm.name).toBe(hostNames.get(vm.host!));
      if (r.clusterName!.value) clustered++;
      expect(r.cpuCount!.type).toBe(ExcelJS.ValueType.Number);
      expect(r.memoryBytes!.type).toBe(ExcelJS.ValueType.Number);
      // Used space from summary.storage.committed (the simulator gives each VM's disk files a size).
      expect(r.usedBytes!.type, vm.name).toBe(ExcelJS.ValueType.Number);
    }
    // 2 clusters × 3 VMs are clustered; the standalone host's 3 are not.
    expect(clustered).toBe(6);
    const hosts = cells('vHost');
    const byName = new Map(hosts.map((h) => [String(h.name!.value), h]));
    for (const r of rows.filter((x) => x.clusterName!.value)) {
      expect(byName.get(String(r.hostName!.value))!.clusterName!.value).toBe(r.clusterName!.value);
    }
  });

  it('a formula-like name is stored as text; the annotation arrives intact', () => {
    const row = cells('vInfo').find((r) => r.name!.value === FORMULA_NAME)!;
    expect(row, 'the renamed VM').toBeTruthy();
    expect(row.name!.type).toBe(ExcelJS.ValueType.String);
    expect(row.name!.formula).toBeUndefined();
    expect(row.annotation!.value).toBe(ANNOTATION);
  });

  it('one vDisk row per VM disk, one vNetwork row per NIC', () => {
    const info = cells('vInfo');
    const disks = cells('vDisk');
    const nics = cells('vNetwork');
    expect(disks.length).toBe(info.reduce((s, r) => s + Number(r.diskCount!.value ?? 0), 0));
    expect(nics.length).toBe(info.reduce((s, r) => s + Number(r.nicCount!.value ?? 0), 0));
    expect(disks.length).toBeGreaterThanOrEqual(info.length);
    expect(disks[0]!.diskCapacity!.type).toBe(ExcelJS.ValueType.Number);
    expect(disks.every((d) => d.hostName!.value)).toBe(true);
    expect(cells('vSource')[0]!.endpoint!.value).toBe(sim.endpoint);
    expect(cells('vCluster')).toHaveLength(2);
  });

  it('--format csv: every VM row names its host and cluster', () => {
    const [header, ...lines] = csv.trim().split('\n');
    const cols = header!.split(',');
    const at = (k: string) => cols.indexOf(k);
    const vms = lines.map((l) => l.split(',')).filter((r) => r[at('kind')] === 'vm');
    expect(vms).toHaveLength(sim.totals.vms);
    for (const r of vms) {
      const vm = placement.get(r[at('moref')]!)!;
      expect(r[at('host')], vm.name).toBe(hostNames.get(vm.host!));
    }
    expect(vms.filter((r) => r[at('cluster')]).length).toBe(6);
  });

  it('a reader that stops early (`| head`) ends the CLI quietly with exit 0, not an EPIPE stack trace', async () => {
    const cmd = [process.execPath, '--import', 'tsx', CLI, '--endpoint', sim.endpoint, '--username']
      .concat([sim.username, '--password-env', 'VC_PASS', '--insecure'])
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        // pipefail: the exit status is the CLI's, not head's
        const child = spawn('bash', ['-c', `set -o pipefail; ${cmd} | head -c 100`], {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, VC_PASS: sim.password } as never,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout: out, stderr: err }));
      },
    );
    expect(r.stdout).toHaveLength(100); // the collection had more to say than head took
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
