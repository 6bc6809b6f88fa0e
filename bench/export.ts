// `npm run bench:export`: the RVTools-style workbook of 40,000 VMs (issue 14) beside the CSV export of the
// same rows, measured in the same run. Each export runs the real route handler in a child process of its
// own (bench/export-run.ts) that reads the whole response and reports its wall time and peak RSS, so one
// export's memory never counts against the other. Targets: xlsx ≤ 4× the CSV's time, ≤ 300 MB peak RSS.
// Needs DATABASE_URL (a server where it may create and drop a scratch database).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { printTable, scratchDatabase } from './bench-db';

const VMS = Number(process.env.BENCH_VMS ?? 40_000);
const HOSTS = Math.max(1, Math.round(VMS / 40));
const CLUSTERS = Math.max(1, Math.round(HOSTS / 16));
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Hosts, clusters and VMs with canonical views as ingest writes them: 2 disks and 2 NICs per VM. */
async function seed(client: pg.Client): Promise<void> {
  await client.query('begin');
  await client.query(
    `insert into assets (kind, name, canonical, last_seen_at)
     select 'cluster', 'cl-' || i, jsonb_build_object('normalized', jsonb_build_object(
       'identity', jsonb_build_object('caption', 'cl-' || i),
       'hardware', jsonb_build_object('cpu_count', 512, 'memory_bytes', 8796093022208),
       'placement', jsonb_build_object('datacenter', 'DC-東京'))), now()
     from generate_series(1, $1::int) i`,
    [CLUSTERS],
  );
  await client.query(
    `insert into assets (kind, name, hostname, serial_number, cluster_name, ip_addresses, canonical, last_seen_at)
     select 'host', n, n, 'CZJ' || i, 'cl-' || (i % $2 + 1), array['10.250.' || (i / 250) || '.' || (i % 250 + 1)],
       jsonb_build_object('normalized', jsonb_build_object(
         'identity', jsonb_build_object('caption', n, 'hostname', n, 'vendor', 'Dell Inc.', 'model', 'PowerEdge R750', 'serial_number', 'CZJ' || i),
         'hardware', jsonb_build_object('cpu_count', 64, 'cpu_mhz', 2600, 'cpu_packages', 2, 'memory_bytes', 549755813888, 'cpu_model', 'Intel(R) Xeon(R) Gold 6338'),
         'os', jsonb_build_object('name', 'VMware ESXi', 'version', '8.0.2', 'build', '22380479'),
         'storage', jsonb_build_object('datastores', jsonb_build_array(
            jsonb_build_object('name', 'ds-' || (i % 20), 'type', 'VMFS', 'capacity_bytes', 4398046511104, 'free_bytes', 1099511627776))),
         'placement', jsonb_build_object('datacenter', 'DC-東京', 'cluster', 'cl-' || (i % $2 + 1)))), now()
     from (select i, 'esx-' || lpad(i::text, 4, '0') || '.dc1.example' as n from generate_series(1, $1::int) i) h`,
    [HOSTS, CLUSTERS],
  );
  await client.query(
    `insert into assets (kind, name, hostname, ip_addresses, mac_addresses, power_state, cluster_name, host_name,
                         canonical, last_seen_at)
     select 'vm', n, lower(n) || '.corp.example', array['10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256)],
       array['00:50:56:' || lpad(to_hex((i >> 8) & 255), 2, '0') || ':' || lpad(to_hex(i & 255), 2, '0') || ':01'],
       'poweredOn', 'cl-' || ((i % $2) % $3 + 1), 'esx-' || lpad((i % $2 + 1)::text, 4, '0') || '.dc1.example',
       jsonb_build_object('normalized', jsonb_build_object(
         'identity', jsonb_build_object('caption', n, 'hostname', lower(n) || '.corp.example', 'machine_uuid', md5(i::text), 'bios_uuid', md5((-i)::text)),
         'network', jsonb_build_object('ip_addresses', jsonb_build_array('10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256))),
         'os', jsonb_build_object('name', 'Ubuntu Linux (64-bit)', 'fingerprint', 'ubuntu64Guest'),
         'hardware', jsonb_build_object('cpu_count', i % 16 + 1, 'memory_bytes', (i % 64 + 1)::bigint * 1073741824,
           'disks', jsonb_build_array(
             jsonb_build_object('name', 'Hard disk 1', 'size_bytes', 42949672960, 'type', 'thin'),
             jsonb_build_object('name', 'Hard disk 2', 'size_bytes', 107374182400, 'type', 'thick')),
           'nics', jsonb_build_array(
             jsonb_build_object('name', 'Network adapter 1', 'mac', '00:50:56:aa:00:01', 'network', 'VM Network', 'connected', true),
             jsonb_build_object('name', 'Network adapter 2', 'mac', '00:50:56:aa:00:02', 'network', '生产网络', 'connected', true))),
         'runtime', jsonb_build_object('power_state', 'poweredOn', 'tools_running', true, 'tools_status', 'toolsOk', 'tools_version', '12352'),
         'placement', jsonb_build_object('datacenter', 'DC-東京', 'cluster', 'cl-' || ((i % $2) % $3 + 1), 'folder', 'vm/prod/' || (i % 20), 'resource_pool', 'Resources'),
         'tags', jsonb_build_array('prod', '数据库'), 'template', false)), now()
     from (select i, case when i % 50 = 0 then '服务器-' || i else 'vm-' || lpad(i::text, 5, '0') end as n
           from generate_series(1, $1::int) i) v`,
    [VMS, HOSTS, CLUSTERS],
  );
  await client.query('commit');
  await client.query('vacuum analyze');
}

interface Measure {
  ms: number;
  cpuMs: number;
  rssMb: number;
  bytes: number;
}

/**
 * Cells each export writes for the seeded estate: the two formats carry different amounts, so the table
 * shows the cost per cell beside the ratio (the workbook's three VM sheets are ~4× the CSV's cells).
 */
async function cellCounts(): Promise<{ csv: number; xlsx: number }> {
  const { CSV_COLUMNS } = await import('@/server/exports/assets-csv');
  const { VINFO, VDISK, VNETWORK, VHOST, VCLUSTER, VDATASTORE } =
    await import('@/server/exports/workbook-sheets');
  const rows = (n: number, cols: number) => (n + 1) * cols; // with the header row
  return {
    csv: rows(VMS + HOSTS + CLUSTERS, CSV_COLUMNS.length),
    xlsx:
      rows(VMS, VINFO.columns.length) +
      rows(VMS * 2, VDISK.columns.length) +
      rows(VMS * 2, VNETWORK.columns.length) +
      rows(HOSTS, VHOST.columns.length) +
      rows(CLUSTERS, VCLUSTER.columns.length) +
      rows(20, VDATASTORE.columns.length),
  };
}

function measure(format: 'csv' | 'xlsx', url: string): Measure {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/export-run.ts', format], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`export-run ${format} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measure;
}

async function main(): Promise<void> {
  const db = await scratchDatabase('al_bench_export');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let ok = true;
  try {
    const { createDb, closeDb } = await import('@/db/client');
    const { migrateDatabase } = await import('@/db/migrate');
    const mdb = createDb(db.url, { max: 2 });
    await migrateDatabase(mdb);
    await closeDb(mdb);
    const t0 = performance.now();
    await seed(client);
    console.log(
      `Seeded ${VMS.toLocaleString('en')} VMs (2 disks, 2 NICs each), ${HOSTS} hosts, ${CLUSTERS} clusters in ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    // Warm the database's cache once, then the median of three runs each, alternating.
    measure('csv', db.url);
    const csv: Measure[] = [];
    const xlsx: Measure[] = [];
    for (let i = 0; i < 3; i++) {
      csv.push(measure('csv', db.url));
      xlsx.push(measure('xlsx', db.url));
    }
    const med = (xs: Measure[]) => [...xs].sort((a, b) => a.ms - b.ms)[1]!;
    const c = med(csv);
    const x = med(xlsx);
    const peak = Math.max(...xlsx.map((m) => m.rssMb));
    const ratio = x.ms / c.ms;
    const cells = await cellCounts();
    const perCell = (m: Measure, n: number) => ((m.ms * 1000) / n).toFixed(2);
    ok = ratio <= 4 && peak <= 300;
    printTable(
      [
        'export',
        'rows',
        'cells',
        'wall ms (median of 3)',
        'CPU ms',
        'µs per cell',
        'peak RSS MB (max of 3)',
        'size MB',
        'vs CSV',
        'target',
      ],
      [
        [
          'CSV (floor)',
          String(VMS + HOSTS + CLUSTERS),
          cells.csv.toLocaleString('en'),
          c.ms.toFixed(0),
          c.cpuMs.toFixed(0),
          perCell(c, cells.csv),
          Math.max(...csv.map((m) => m.rssMb)).toFixed(0),
          (c.bytes / 1e6).toFixed(1),
          '1.00×',
          '—',
        ],
        [
          'xlsx workbook',
          `${VMS} vInfo + ${VMS * 2} vDisk + ${VMS * 2} vNetwork + …`,
          cells.xlsx.toLocaleString('en'),
          x.ms.toFixed(0),
          x.cpuMs.toFixed(0),
          perCell(x, cells.xlsx),
          peak.toFixed(0),
          (x.bytes / 1e6).toFixed(1),
          `${ratio.toFixed(2)}×`,
          `≤ 4× time, ≤ 300 MB: ${ok ? 'ok' : 'MISSED'}`,
        ],
      ],
    );
  } finally {
    await client.end().catch(() => {});
    await db.drop();
  }
  if (!ok) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
