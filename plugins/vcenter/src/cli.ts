// One-shot collection for people without the server:
//   npm run -s collect -- --endpoint https://vc.example --username u --password-env VC_PASS --mode collect_vms
//                         [--ca-file F | --thumbprint SHA256 | --insecure] [--format json|ndjson|csv|xlsx] [--no-tags]
// Prints the collector response JSON (or a flat CSV of the assets, or the RVTools-style workbook:
// `--format xlsx > estate.xlsx`, sheets as in docs/exports.md). The password is read from the named
// environment variable, never from the command line (which other users can see in the process list).
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { RUN_MODES, isCollectMode, type CollectorAsset, type RunMode } from '../../../src/collector/contract';
import { Placements, WorkbookSink } from './cli-workbook';
import type { AssetSink } from './collect';
import { EXIT_BAD_REQUEST, runRequest } from './run';

const USAGE = `usage: npm run -s collect -- --endpoint https://vc.example --username USER --password-env VAR
       --mode ${RUN_MODES.join('|')} [--ca-file FILE | --thumbprint SHA256 | --insecure]
       [--format json|ndjson|csv|xlsx] [--no-tags] [--timeout-ms N]`;

// A VM row's host comes from the host assets seen before it (`placements`): the whole placement on one row.
export const CSV_COLUMNS: [string, (a: CollectorAsset, placements: Placements) => unknown][] = [
  ['kind', (a) => a.external_kind],
  ['moref', (a) => a.external_id],
  ['name', (a) => a.normalized.identity?.caption],
  ['hostname', (a) => a.normalized.identity?.hostname],
  ['machine_uuid', (a) => a.normalized.identity?.machine_uuid],
  ['bios_uuid', (a) => a.normalized.identity?.bios_uuid],
  ['serial_number', (a) => a.normalized.identity?.serial_number],
  ['vendor', (a) => a.normalized.identity?.vendor],
  ['model', (a) => a.normalized.identity?.model],
  ['os_name', (a) => a.normalized.os?.name],
  ['os_version', (a) => a.normalized.os?.version],
  ['os_build', (a) => a.normalized.os?.build],
  ['management_ip', (a) => a.normalized.network?.management_ip],
  ['ip_addresses', (a) => a.normalized.network?.ip_addresses?.join(' ')],
  ['mac_addresses', (a) => a.normalized.network?.mac_addresses?.join(' ')],
  ['cpu_count', (a) => a.normalized.hardware?.cpu_count],
  ['cpu_model', (a) => a.normalized.hardware?.cpu_model],
  ['memory_bytes', (a) => a.normalized.hardware?.memory_bytes],
  ['disk_total_bytes', (a) => a.normalized.hardware?.disks?.reduce((s, d) => s + (d.size_bytes ?? 0), 0)],
  ['datastore_total_bytes', (a) => a.normalized.storage?.datastore_total_bytes],
  ['power_state', (a) => a.normalized.runtime?.power_state],
  ['connection_state', (a) => a.normalized.runtime?.connection_state],
  ['tools_running', (a) => a.normalized.runtime?.tools_running],
  ['datacenter', (a) => a.normalized.placement?.datacenter],
  ['cluster', (a, p) => (a.external_kind === 'vm' ? p.cluster(a) : a.normalized.placement?.cluster)],
  ['host', (a, p) => (a.external_kind === 'vm' ? p.host(a) : undefined)],
  ['folder', (a) => a.normalized.placement?.folder],
  ['resource_pool', (a) => a.normalized.placement?.resource_pool],
  ['tags', (a) => a.normalized.tags?.join('; ')],
  ['template', (a) => a.normalized.template],
];

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

class CsvSink implements AssetSink {
  private readonly placements = new Placements();
  constructor(private readonly out: NodeJS.WritableStream) {
    out.write(CSV_COLUMNS.map(([h]) => h).join(',') + '\n');
  }
  asset(a: CollectorAsset): Promise<void> | undefined {
    this.placements.note(a);
    const ok = this.out.write(CSV_COLUMNS.map(([, f]) => csvCell(f(a, this.placements))).join(',') + '\n');
    return ok ? undefined : new Promise((r) => this.out.once('drain', () => r()));
  }
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        endpoint: { type: 'string' },
        username: { type: 'string' },
        'password-env': { type: 'string' },
        mode: { type: 'string', default: 'collect' },
        'ca-file': { type: 'string' },
        thumbprint: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        format: { type: 'string', default: 'json' },
        'no-tags': { type: 'boolean', default: false },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return EXIT_BAD_REQUEST;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const fail = (msg: string) => {
    process.stderr.write(`${msg}\n${USAGE}\n`);
    return EXIT_BAD_REQUEST;
  };
  if (!values.endpoint || !values.username || !values['password-env']) {
    return fail('--endpoint, --username and --password-env are required');
  }
  const password = process.env[values['password-env']];
  if (!password) return fail(`environment variable ${values['password-env']} is empty or not set`);
  if (!(RUN_MODES as readonly string[]).includes(values.mode!)) return fail(`unknown --mode ${values.mode}`);
  if (!['json', 'ndjson', 'csv', 'xlsx'].includes(values.format!))
    return fail('--format must be json, ndjson, csv or xlsx');
  const config: Record<string, unknown> = { endpoint: values.endpoint };
  if (values['ca-file']) config.ca_pem = readFileSync(values['ca-file'], 'utf8');
  if (values.thumbprint) config.thumbprint_sha256 = values.thumbprint;
  if (values.insecure) config.insecure = true;
  if (values['timeout-ms']) config.request_timeout_ms = Number(values['timeout-ms']);

  const request = {
    // json: the v1 document; ndjson: contract v2 lines, as the worker reads them
    schema_version:
      values.format === 'ndjson' ? ('collector-request-v2' as const) : ('collector-request-v1' as const),
    source: {
      source_id: 'cli',
      source_type: 'vcenter',
      config,
      credential: { username: values.username, password },
    },
    request: { run_id: `cli-${Date.now()}`, mode: values.mode as RunMode, now: new Date().toISOString() },
  };
  const csv = values.format === 'csv';
  const xlsx = values.format === 'xlsx';
  const workbook = xlsx ? new WorkbookSink(values.endpoint) : undefined;
  const startedAt = new Date();
  const { exitCode, result } = await runRequest(request, process.stdout, {
    skipTags: values['no-tags'],
    ...(csv ? { sink: new CsvSink(process.stdout) } : workbook ? { sink: workbook } : {}),
  });
  // A failed collection writes no workbook: a partial one could pass for the estate.
  if (workbook && exitCode === 0) {
    await writeWorkbook(workbook, {
      endpoint: values.endpoint,
      mode: request.request.mode,
      runId: request.request.run_id,
      startedAt,
      finishedAt: new Date(),
      status: 'succeeded',
      instanceUuid: result?.detect?.instance_uuid,
      version: result?.detect?.target_version,
    });
  }
  if ((csv || xlsx) && result) {
    for (const e of result.errors) process.stderr.write(`error ${e.code}: ${e.message}\n`);
    for (const w of result.warnings) process.stderr.write(`warning ${w.code}: ${w.message}\n`);
    // Every mode reports the vCenter's identity now; only a detect or healthcheck run has nothing else to say.
    if (result.detect && !isCollectMode(request.request.mode)) {
      process.stderr.write(`${JSON.stringify(result.detect)}\n`);
    }
  }
  return exitCode;
}

/** The workbook to stdout (through a pass-through: stdout itself must not be ended by the zip stream). */
async function writeWorkbook(sink: WorkbookSink, run: Parameters<WorkbookSink['write']>[1]): Promise<void> {
  const pt = new PassThrough();
  pt.pipe(process.stdout, { end: false });
  await sink.write(pt, run);
  if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
}

// A reader that stops reading (`collect … | head`): nobody will read the rest, so the CLI stops at once and
// quietly, as Unix tools do, instead of dying of an EPIPE stack trace. Like the plugin's lifeline it does not
// wait to log out: the session ends with vCenter's idle timeout.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 5000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`collect failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
