// `npm run bench:ingest`: ingest of a 10,000-VM collect_vms response (20,000 relations) and a 500-host
// collect_hosts response — first run, unchanged re-run, 1% of VMs changed — beside the floor: a COPY of the
// same normalized records into a scratch table, measured in the same run on the same database.
// Needs DATABASE_URL (a server where it may create and drop a scratch database).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { createDb, closeDb, type Db } from '@/db/client';
import { migrateDatabase } from '@/db/migrate';
import { ingestRun } from '@/ingest/ingest';
import { copyRows } from '@/ingest/copy';
import type { CollectorResponse, RunMode } from '@/collector/contract';
import { hostsResponse, vmsResponse, type SyntheticEstate } from './ingest-synthetic';

const VMS = Number(process.env.BENCH_VMS ?? 10_000);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 500);
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 20);

interface Measure {
  ms: number;
  roundTrips: number;
  peakRssMb: number;
}

async function measure(fn: () => Promise<number>): Promise<Measure> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  const roundTrips = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, roundTrips, peakRssMb: peak / 1024 / 1024 };
}

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
    return r.stats.round_trips + 3;
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error('DATABASE_URL is not set (the benchmark creates and drops a scratch database there)');
  const name = `al_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 4, applicationName: 'asset-ledger-bench' });
  try {
    await migrateDatabase(db);
    const src = await db.execute<{ id: string }>(sql`
      insert into sources (name, config) values ('bench', '{"endpoint":"https://bench"}'::jsonb) returning id`);
    const sourceId = src.rows[0]!.id;
    const estate: SyntheticEstate = { clusters: CLUSTERS, hosts: HOSTS, vms: VMS };
    const hosts = hostsResponse(estate);
    const vms = vmsResponse(estate);
    const changed = new Set<number>();
    for (let i = 0; i < VMS; i += 100) changed.add(i);
    const vmsChanged = vmsResponse({ ...estate, changedVms: changed });

    // Floor: COPY the same normalized records into a scratch table.
    await db.execute(sql`create table floor_records (kind text, external_id text, normalized jsonb)`);
    const floor = await measure(async () => {
      const client = await db.$client.connect();
      try {
        await client.query('begin');
        await copyRows(
          client,
          'floor_records',
          ['kind', 'external_id', 'normalized'],
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
    const first = await measure(() => both(hosts, vms));
    const unchanged = await measure(() => both(hosts, vms));
    const onePct = await measure(() => both(hosts, vmsChanged));
    // Round trips must not depend on the estate's size: the same runs on a 1% estate.
    const tiny = await db.execute<{ id: string }>(sql`
      insert into sources (name, config) values ('bench-tiny', '{"endpoint":"https://tiny"}'::jsonb) returning id`);
    const te: SyntheticEstate = { clusters: 2, hosts: Math.max(2, HOSTS / 100), vms: VMS / 100 };
    const tinyRt =
      (await ingestOnce(db, tiny.rows[0]!.id, 'collect_hosts', hostsResponse(te))) +
      (await ingestOnce(db, tiny.rows[0]!.id, 'collect_vms', vmsResponse(te)));

    const counts = await db.execute<Record<string, number>>(sql`select
      (select count(*)::int from assets) as assets, (select count(*)::int from source_records) as records,
      (select count(*)::int from relations where status = 'active') as relations,
      (select count(*)::int from asset_snapshots) as snapshots`);

    const row = (label: string, m: Measure, target?: number) => {
      const ratio = m.ms / floor.ms;
      const verdict =
        target === undefined ? '' : ratio <= target ? `ok (≤ ${target}×)` : `OVER (target ≤ ${target}×)`;
      return `| ${label.padEnd(34)} | ${m.ms.toFixed(0).padStart(7)} | ${ratio.toFixed(2).padStart(6)}× | ${String(m.roundTrips).padStart(5)} | ${m.peakRssMb.toFixed(0).padStart(6)} | ${verdict} |`;
    };
    console.log(
      `\ningest benchmark: ${VMS} VMs (${vms.relations.length} relations) + ${HOSTS} hosts / ${CLUSTERS} clusters (${hosts.relations.length} relations)\n`,
    );
    console.log(
      '| step                               | wall ms | × floor | round trips | peak RSS MB | target |',
    );
    console.log(
      '| ---------------------------------- | ------: | ------: | ----------: | ----------: | ------ |',
    );
    console.log(row('floor: COPY normalized records', floor));
    console.log(row('first run (hosts + VMs)', first, 6));
    console.log(row('unchanged re-run', unchanged, 2));
    console.log(row('1% of VMs changed', onePct));
    console.log(
      `\nround trips at 1% of the estate (${te.vms} VMs, ${te.hosts} hosts): ${tinyRt} vs ${first.roundTrips} at full size`,
    );
    console.log('database after the runs:', counts.rows[0]);
  } finally {
    await closeDb(db);
    if (process.env.BENCH_KEEP) console.log('kept database', name);
    else await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
