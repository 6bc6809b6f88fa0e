// `npm run bench:ingest`: ingest of a 10,000-VM collect_vms response (20,000 relations) and a 500-host
// collect_hosts response — first run, unchanged re-run, 1% of VMs changed — each beside its floor, measured
// in the same run on the same database: the first run beside its own rows COPYed into the same tables of a
// fresh database (target ≤ 1.5×), the unchanged re-run beside serializing and hashing every record (≤ 2×)
// and beside that plus the least database work a comparison by hash needs (the compare floor);
// and a COPY of the normalized records into a scratch table, the floor earlier versions used.
// Each step is repeated on fresh databases (BENCH_REPEAT, default 3) and the medians are printed: a single
// first run on a shared machine varies by ±15%. Needs DATABASE_URL (a server where it may create and drop
// scratch databases). BENCH_TIMINGS=<ms> prints each ingest's slower statements and its Node/PostgreSQL CPU.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { closeDb, type Db } from '@/db/client';
import { ingestRun, recordTexts } from '@/ingest/ingest';
import { copyRows } from '@/ingest/copy';
import type { CollectorResponse, RunMode } from '@/collector/contract';
import { hostsResponse, vmsResponse, type SyntheticEstate } from './ingest-synthetic';
import { median } from './stats';
import { createTestDatabase } from '../test/db';

const VMS = Number(process.env.BENCH_VMS ?? 10_000);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 500);
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 20);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
// plugin: raw payloads the size the vCenter plugin returns (default); compact: a few properties each.
const RAW = process.env.BENCH_RAW === 'compact' ? 'compact' : 'plugin';

interface Measure {
  ms: number;
  roundTrips: number;
  peakRssMb: number;
  /** CPU of Node and the PostgreSQL backend during the step (for the floors too, except the COPY floor) */
  cpuMs?: number;
}

async function measure(fn: () => Promise<number>): Promise<Measure> {
  global.gc?.();
  ingestCpuMs = 0;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const roundTrips = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, roundTrips, peakRssMb: peak / 1024 / 1024, cpuMs: ingestCpuMs };
}

/** CPU time of a PostgreSQL backend on this machine (0 where /proc cannot tell, e.g. a remote server). */
function backendCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms clock ticks
  } catch {
    return 0;
  }
}

/** Adds the CPU Node and backend `pid` use during `fn` to the step's CPU (floors are charged like ingests). */
async function chargeCpu<R>(pid: number | null, fn: () => Promise<R>): Promise<R> {
  const pg0 = pid === null ? 0 : backendCpuMs(pid);
  const cpu0 = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const c = process.cpuUsage(cpu0);
    ingestCpuMs += Math.round((c.user + c.system) / 1000) + (pid === null ? 0 : backendCpuMs(pid) - pg0);
  }
}

const backendPid = async (c: { query: (q: string) => Promise<{ rows: { pid: number }[] }> }) =>
  (await c.query('select pg_backend_pid() as pid')).rows[0]!.pid;

// Time the ingests spent staging their stream (the COPY into the working tables), and the CPU time of Node
// and of the PostgreSQL backend they used, summed over the ingests of a step.
let stagingMs = 0;
let ingestCpuMs = 0;

async function ingestOnce(
  db: Db,
  sourceId: string,
  mode: RunMode,
  response: CollectorResponse,
): Promise<number> {
  const run = await db.execute<{ id: string }>(sql`
    insert into runs (source_id, mode, trigger, status, worker_id, started_at)
    values (${sourceId}, ${mode}, 'manual', 'running', 'bench', now()) returning id`);
  const runId = run.rows[0]!.id;
  const client = await db.$client.connect();
  try {
    await client.query('begin');
    // BENCH_EXPLAIN=<ms>: plans of slower statements go to the server log (auto_explain, superuser only).
    if (process.env.BENCH_EXPLAIN)
      await client.query(
        `load 'auto_explain'; set local auto_explain.log_min_duration = ${Number(process.env.BENCH_EXPLAIN)};
         set local auto_explain.log_analyze = on; set local auto_explain.log_nested_statements = on`,
      );
    const backendPid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const pg0 = backendCpuMs(backendPid);
    const cpu0 = process.cpuUsage();
    const ti = performance.now();
    const r = await ingestRun(client, {
      runId,
      sourceId,
      mode,
      collectedAt: new Date(),
      assets: response.assets,
      relations: response.relations,
      inventoryComplete: true,
    });
    await client.query(
      `update runs set status = 'succeeded', finished_at = now(), stats = $2 where id = $1`,
      [runId, JSON.stringify(r.stats)],
    );
    const tc = performance.now();
    const c = process.cpuUsage(cpu0);
    const nodeCpu = Math.round((c.user + c.system) / 1000);
    const pgCpu = backendCpuMs(backendPid) - pg0;
    ingestCpuMs += nodeCpu + pgCpu;
    if (process.env.BENCH_TIMINGS) console.error(`${mode}: node cpu ${nodeCpu} ms, postgres cpu ${pgCpu} ms`);
    await client.query('commit');
    if (process.env.BENCH_TIMINGS) console.error('commit ms', Math.round(performance.now() - tc));
    if (process.env.BENCH_TIMINGS) {
      const sum = r.timings.reduce((a, t) => a + t.ms, 0);
      console.error(
        mode,
        'ingest wall',
        Math.round(tc - ti),
        'sql sum',
        sum,
        JSON.stringify(r.timings.filter((t) => t.ms >= (Number(process.env.BENCH_TIMINGS) || 50))),
      );
    }
    for (const t of r.timings) if (t.step === 'stage-stream') stagingMs += t.ms;
    return r.stats.round_trips + 3;
  } finally {
    client.release();
  }
}

// The tables a first run writes, in foreign-key order: its identifying values and scans too (issue 16's
// evidence is rows of the ledger like any other; leaving them out charged their writes to ingest's logic).
const LEDGER_TABLES = [
  'assets',
  'asset_source_links',
  'source_records',
  'asset_snapshots',
  'asset_events',
  'relations',
  'asset_identifiers',
  'duplicate_candidates',
  'source_scans',
];

/**
 * The floor of the ledger's own schema: the rows the first run wrote, copied out and COPYed back into the
 * same tables (same indexes, constraints and compression) of a second fresh database. No ingest logic, no
 * lookups, no serialization in Node: what writing those rows costs PostgreSQL, whoever computes them.
 */
async function ledgerRowsFloor(from: Db): Promise<Measure> {
  const out = new Map<string, Buffer[]>();
  const client = await from.$client.connect();
  try {
    for (const table of ['sources', ...LEDGER_TABLES]) {
      const chunks: Buffer[] = [];
      const stream = client.query(copyTo(`COPY ${table} TO STDOUT (FORMAT binary)`));
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      out.set(table, chunks);
    }
  } finally {
    client.release();
  }
  const target = await createTestDatabase();
  try {
    const c = await target.db.$client.connect();
    const copyIn = (table: string) =>
      pipeline(Readable.from(out.get(table)!), c.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT binary)`)));
    try {
      await copyIn('sources');
      const pid = await backendPid(c);
      return await measure(() =>
        chargeCpu(pid, async () => {
          await c.query('begin');
          for (const table of LEDGER_TABLES) {
            const t0 = performance.now();
            await copyIn(table);
            if (process.env.BENCH_TIMINGS)
              console.error(`rows floor: copy ${table} ${Math.round(performance.now() - t0)} ms`);
          }
          await c.query('commit');
          return 2 + LEDGER_TABLES.length;
        }),
      );
    } finally {
      c.release();
    }
  } finally {
    await target.drop();
  }
}

/**
 * The database half of any unchanged run: what a comparison by hash must send and look up at least — every
 * object's key and record hash and every relation COPYed into temporary tables, then one statement that
 * joins them against the latest records and the active relations. Hashes are computed before the clock
 * starts (the hash floor measures them).
 */
async function compareFloor(db: Db, sourceId: string, responses: CollectorResponse[]): Promise<Measure> {
  const keys = responses.flatMap((r) =>
    r.assets.map((a) => [a.external_kind, a.external_id, recordTexts(a).hash] as const),
  );
  const rels = responses.flatMap((r) =>
    r.relations.map(
      (x) =>
        [x.type, x.from.external_kind, x.from.external_id, x.to.external_kind, x.to.external_id] as const,
    ),
  );
  const client = await db.$client.connect();
  try {
    const pid = await backendPid(client);
    return await measure(() =>
      chargeCpu(pid, async () => {
        await client.query('begin');
        await client.query(
          `create temp table _f_key (kind asset_kind, external_id text, hash text) on commit drop;
         create temp table _f_rel (type relation_type, from_kind asset_kind, from_id text, to_kind asset_kind, to_id text) on commit drop`,
        );
        const text = (n: string) => [n, 'text'] as const;
        await copyRows(client, '_f_key', [text('kind'), text('external_id'), text('hash')], keys);
        await copyRows(
          client,
          '_f_rel',
          [text('type'), text('from_kind'), text('from_id'), text('to_kind'), text('to_id')],
          rels,
        );
        await client.query(
          `select (select count(*) from _f_key k
                 join asset_source_links l on l.source_id = $1 and l.external_kind = k.kind and l.external_id = k.external_id
                 join lateral (select s.hash from source_records s where s.link_id = l.id order by s.id desc limit 1) r on true
                 where r.hash <> k.hash) as changed,
                (select count(*) from _f_rel x
                 join asset_source_links lf on lf.source_id = $1 and lf.external_kind = x.from_kind and lf.external_id = x.from_id
                 join asset_source_links lt on lt.source_id = $1 and lt.external_kind = x.to_kind and lt.external_id = x.to_id
                 left join relations e on e.source_id = $1 and e.type = x.type and e.from_asset_uuid = lf.asset_uuid
                                      and e.to_asset_uuid = lt.asset_uuid and e.status = 'active'
                 where e.id is null) as new_relations`,
          [sourceId],
        );
        await client.query('commit');
        return 6;
      }),
    );
  } finally {
    client.release();
  }
}

interface Trial {
  floor: Measure;
  first: Measure;
  firstStaging: Measure;
  rowsFloor: Measure;
  unchanged: Measure;
  hashing: Measure;
  compare: Measure;
  /** hash floor + compare floor of the same trial */
  unchangedFloor: Measure;
  onePct: Measure;
  tinyRoundTrips: number;
  counts: Record<string, number>;
}

/** One trial on a fresh database: the floor, then the three runs of both modes. */
async function trial(estate: SyntheticEstate): Promise<Trial> {
  const scratch = await createTestDatabase(); // created on the DATABASE_URL server, migrated
  const db = scratch.db;
  try {
    const src = await db.execute<{ id: string }>(sql`
      insert into sources (name, config) values ('bench', '{"endpoint":"https://bench"}'::jsonb) returning id`);
    const sourceId = src.rows[0]!.id;
    const hosts = hostsResponse(estate);
    const vms = vmsResponse(estate);
    const changed = new Set<number>();
    for (let i = 0; i < estate.vms; i += 100) changed.add(i);

    // Floor: COPY the same normalized records into a scratch table, the way ingest copies (binary format).
    await db.execute(sql`create table floor_records (kind text, external_id text, normalized jsonb)`);
    const floor = await measure(async () => {
      const client = await db.$client.connect();
      try {
        await client.query('begin');
        await copyRows(
          client,
          'floor_records',
          [
            ['kind', 'text'],
            ['external_id', 'text'],
            ['normalized', 'jsonb'],
          ],
          [...hosts.assets, ...vms.assets].map((a) => [
            a.external_kind,
            a.external_id,
            JSON.stringify(a.normalized),
          ]),
        );
        await client.query('commit');
      } finally {
        client.release();
      }
      return 3;
    });

    const both = async (h: CollectorResponse, v: CollectorResponse) =>
      (await ingestOnce(db, sourceId, 'collect_hosts', h)) +
      (await ingestOnce(db, sourceId, 'collect_vms', v));
    stagingMs = 0;
    const first = await measure(() => both(hosts, vms));
    const firstStaging: Measure = { ms: stagingMs, roundTrips: 0, peakRssMb: first.peakRssMb };
    const rowsFloor = await ledgerRowsFloor(db);
    const unchanged = await measure(() => both(hosts, vms));
    // What any ingest that compares records by hash must do at least: serialize and hash each record.
    const hashing = await measure(() =>
      chargeCpu(null, async () => {
        for (const a of hosts.assets) recordTexts(a);
        for (const a of vms.assets) recordTexts(a);
        return 0;
      }),
    );
    const compare = await compareFloor(db, sourceId, [hosts, vms]);
    const unchangedFloor: Measure = {
      ms: hashing.ms + compare.ms,
      cpuMs: (hashing.cpuMs ?? 0) + (compare.cpuMs ?? 0),
      roundTrips: compare.roundTrips,
      peakRssMb: Math.max(hashing.peakRssMb, compare.peakRssMb),
    };
    // Built only now: a worker holds one response at a time, and a heap three responses large would charge
    // the runs above for garbage collection a worker does not do.
    vms.assets.length = 0;
    vms.relations.length = 0;
    const vmsChanged = vmsResponse({ ...estate, changedVms: changed });
    const onePct = await measure(() => both(hosts, vmsChanged));
    // Round trips must not depend on the estate's size: the same runs on a 1% estate.
    const tiny = await db.execute<{ id: string }>(sql`
      insert into sources (name, config) values ('bench-tiny', '{"endpoint":"https://tiny"}'::jsonb) returning id`);
    const te: SyntheticEstate = {
      clusters: 2,
      hosts: Math.max(2, estate.hosts / 100),
      vms: estate.vms / 100,
    };
    const tinyRoundTrips =
      (await ingestOnce(db, tiny.rows[0]!.id, 'collect_hosts', hostsResponse(te))) +
      (await ingestOnce(db, tiny.rows[0]!.id, 'collect_vms', vmsResponse(te)));
    const counts = await db.execute<Record<string, number>>(sql`select
      (select count(*)::int from assets) as assets, (select count(*)::int from source_records) as records,
      (select count(*)::int from relations where status = 'active') as relations,
      (select count(*)::int from asset_snapshots) as snapshots`);
    return {
      floor,
      first,
      firstStaging,
      rowsFloor,
      unchanged,
      hashing,
      compare,
      unchangedFloor,
      onePct,
      tinyRoundTrips,
      counts: counts.rows[0]!,
    };
  } finally {
    if (process.env.BENCH_KEEP) {
      await closeDb(db);
      console.log('kept database', scratch.name);
    } else await scratch.drop();
  }
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL)
    throw new Error('DATABASE_URL is not set (the benchmark creates and drops a scratch database there)');
  const estate: SyntheticEstate = {
    clusters: CLUSTERS,
    hosts: HOSTS,
    vms: VMS,
    compactRaw: RAW === 'compact',
  };
  const trials: Trial[] = [];
  for (let i = 0; i < REPEAT; i++) trials.push(await trial(estate));

  type Step = Exclude<keyof Trial, 'tinyRoundTrips' | 'counts'>;
  // Each ratio is per trial, to a floor measured in the same trial under the same conditions; then the median.
  const ratio = (step: Step, floor: Step) => median(trials.map((t) => t[step].ms / t[floor].ms));
  // `proposed`: a target this benchmark's notes propose in place of the (docs/runs.md says why)
  const row = (
    label: string,
    step: Step,
    floor?: { step: Step; name: string; target?: number; proposed?: boolean },
  ) => {
    const ms = median(trials.map((t) => t[step].ms));
    const rt = median(trials.map((t) => t[step].roundTrips));
    const cpu = median(trials.map((t) => t[step].cpuMs ?? 0));
    const rss = Math.max(...trials.map((t) => t[step].peakRssMb));
    const r = floor ? ratio(step, floor.step) : undefined;
    const vs = floor && r !== undefined ? `${r.toFixed(2)}× ${floor.name}` : '';
    const verdict =
      floor?.target === undefined || r === undefined
        ? ''
        : r <= floor.target
          ? `ok (${floor.proposed ? 'proposed ' : ''}≤ ${floor.target}×)`
          : `OVER (${floor.proposed ? 'proposed' : 'target'} ≤ ${floor.target}×)`;
    return `| ${label.padEnd(34)} | ${ms.toFixed(0).padStart(7)} | ${vs.padEnd(21)} | ${String(rt).padStart(11)} | ${(cpu ? cpu.toFixed(0) : '').padStart(15)} | ${rss.toFixed(0).padStart(11)} | ${verdict} |`;
  };
  const vmsRelations = 2 * VMS;
  console.log(
    `\ningest benchmark: ${VMS} VMs (${vmsRelations} relations) + ${HOSTS} hosts / ${CLUSTERS} clusters (${HOSTS} relations), raw payloads: ${RAW === 'compact' ? 'compact (≈250 B)' : 'plugin-sized (≈4.5 KB per VM)'}; median of ${REPEAT} trials, each on a fresh database\n`,
  );
  console.log(
    '| step                               | wall ms | vs its floor          | round trips | CPU ms node+pg  | peak RSS MB | target |',
  );
  console.log(
    '| ---------------------------------- | ------: | --------------------- | ----------: | --------------: | ----------: | ------ |',
  );
  const rows = { step: 'rowsFloor' as const, name: 'rows floor', target: 1.5 };
  const hash = { step: 'hashing' as const, name: 'hash floor', target: 2 };
  console.log(row('floor: COPY normalized records', 'floor'));
  console.log(row('first run (hosts + VMs)', 'first', rows));
  console.log(row('  of which staging the stream', 'firstStaging', { ...rows, target: undefined }));
  console.log(row('  rows floor: its rows COPYed again', 'rowsFloor', { step: 'floor', name: 'COPY floor' }));
  console.log(row('unchanged re-run', 'unchanged', hash));
  console.log(row('  hash floor: serialize + hash', 'hashing', { step: 'floor', name: 'COPY floor' }));
  console.log(row('  compare floor: keys+hashes+rels', 'compare', { step: 'hashing', name: 'hash floor' }));
  console.log(
    row('  unchanged vs hash + compare', 'unchanged', {
      step: 'unchangedFloor',
      name: 'hash+compare',
      target: 1.5,
      proposed: true,
    }),
  );
  console.log(row('1% of VMs changed', 'onePct', { ...hash, target: undefined }));
  console.log(
    `\nper trial: first run ÷ rows floor ${trials.map((t) => (t.first.ms / t.rowsFloor.ms).toFixed(2)).join(', ')} (target ≤ 1.5×); unchanged ÷ hash floor ${trials.map((t) => (t.unchanged.ms / t.hashing.ms).toFixed(2)).join(', ')} (target ≤ 2×), ÷ (hash + compare floor) ${trials.map((t) => (t.unchanged.ms / t.unchangedFloor.ms).toFixed(2)).join(', ')}`,
  );
  // CPU is what the machine's load does not inflate: wall ratios on a shared 2-core machine swing ±30%.
  const cpuRatio = (a: Step, b: Step) =>
    trials.map((t) => ((t[a].cpuMs ?? 0) / Math.max(1, t[b].cpuMs ?? 0)).toFixed(2)).join(', ');
  console.log(
    `per trial, CPU (Node + PostgreSQL): first run ÷ rows floor ${cpuRatio('first', 'rowsFloor')}; unchanged ÷ hash floor ${cpuRatio('unchanged', 'hashing')}, ÷ (hash + compare floor) ${cpuRatio('unchanged', 'unchangedFloor')}`,
  );
  console.log(
    `round trips at 1% of the estate (${VMS / 100} VMs): ${trials[0]!.tinyRoundTrips} vs ${trials[0]!.first.roundTrips} at full size`,
  );
  console.log('database after the runs:', trials[0]!.counts);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
