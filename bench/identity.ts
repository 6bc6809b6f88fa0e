// `npm run bench:identity` (issue 16): duplicate-candidate computation after a 10,000-VM collect_vms run
// against a 50,000-asset ledger in three sources, beside its floor measured in the same run — the same joins
// (CANDIDATE_PAIRS_SQL) sent as raw SQL in the run's transaction, on the same touched assets (target ≤ 2×) —
// and the same run against a 14,000-asset ledger: the round trips (every query the run's connection sends,
// counted by wrapping it) must be equal. The ledger: sources A and B with 20,000 (2,000) VMs each, C with
// 10,000, of which 1,000 are also in B (same BIOS and instance UUIDs, MAC, host name and IP: one candidate
// each). The measured run is C's next run with every VM changed, so every one of its assets is touched and
// scored again. Needs
// DATABASE_URL (a server where it may create and drop scratch databases); BENCH_REPEAT floors (default 3).
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { CollectorResponse } from '@/collector/contract';
import type { Db } from '@/db/client';
import { ingestRun, type IngestResult } from '@/ingest/ingest';
import { CANDIDATE_PAIRS_SQL } from '@/server/identity/score-duplicate-candidates';
import { vmsResponse } from './ingest-synthetic';
import { printTable } from './bench-db';
import { median } from './stats';
import { createTestDatabase } from '../test/db';

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const TARGET = 2;
const RUN_VMS = 10_000;
const SHARED = 1_000;
// The identity steps of ingest (src/ingest/steps/index.ts); scoring is the candidate computation proper.
const IDENTITY_STEPS = ['record-identifiers', 'follow-cross-source-moves', 'score-duplicate-candidates'];

interface Result {
  ledger: number;
  runVms: number;
  candidates: number;
  stepMs: Record<string, number>;
  stepRoundTrips: number;
  ingestRoundTrips: number;
  floorMs: number;
  floorRows: number;
}

/** VMs `first`…`first + vms - 1`, compact raw payloads, no relations (no hosts in this ledger). */
function vms(first: number, count: number, changed = false): CollectorResponse {
  const all = new Set<number>();
  if (changed) for (let i = first; i < first + count; i++) all.add(i);
  const r = vmsResponse({
    clusters: 1,
    hosts: 1,
    vms: count,
    firstVm: first,
    compactRaw: true,
    changedVms: all,
  });
  r.relations = [];
  return r;
}

/** The client with every query it sends counted (COPY included: it is a query too). */
function counted(client: pg.PoolClient): { client: pg.PoolClient; count: () => number } {
  let n = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    n++;
    return query(...args);
  };
  return { client, count: () => n };
}

async function newRun(db: Db, sourceId: string): Promise<string> {
  const r = await db.execute<{ id: string }>(sql`
    insert into runs (source_id, mode, trigger, status, worker_id, started_at)
    values (${sourceId}, 'collect_vms', 'manual', 'running', 'bench', now()) returning id`);
  return r.rows[0]!.id;
}

/** One collect_vms run in its own transaction; `inside` runs after ingest, before the commit. */
async function run(
  db: Db,
  sourceId: string,
  response: CollectorResponse,
  inside?: (client: pg.PoolClient) => Promise<void>,
): Promise<{ result: IngestResult; roundTrips: number }> {
  const runId = await newRun(db, sourceId);
  const pooled = await db.$client.connect();
  try {
    const { client, count } = counted(pooled);
    await client.query('begin');
    const result = await ingestRun(client, {
      runId,
      sourceId,
      mode: 'collect_vms',
      collectedAt: new Date(),
      assets: response.assets,
      relations: response.relations,
      inventoryComplete: true,
    });
    const roundTrips = count() - 1; // without the begin
    await inside?.(pooled);
    await pooled.query(`update runs set status = 'succeeded', finished_at = now() where id = $1`, [runId]);
    await pooled.query('commit');
    return { result, roundTrips };
  } finally {
    pooled.release();
  }
}

/** A ledger of A and B with `perSource` VMs each and C with 10,000 (1,000 of them B's too), then C's run. */
async function measure(perSource: number): Promise<Result> {
  const t = await createTestDatabase();
  try {
    const source = async (name: string) =>
      (
        await t.db.execute<{ id: string }>(sql`
          insert into sources (name, config) values (${name}, ${JSON.stringify({ endpoint: `https://${name}` })}::jsonb)
          returning id`)
      ).rows[0]!.id;
    const [a, b, c] = [await source('vc-a'), await source('vc-b'), await source('vc-c')];
    // C's range starts inside B's: those VMs are in both.
    const cFirst = 2 * perSource - SHARED;
    await run(t.db, a, vms(0, perSource));
    await run(t.db, b, vms(perSource, perSource));
    await run(t.db, c, vms(cFirst, RUN_VMS));
    const ledger = Number(
      (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from assets`)).rows[0]!.n,
    );
    let floorMs = 0;
    let floorRows = 0;
    const { result, roundTrips } = await run(t.db, c, vms(cFirst, RUN_VMS, true), async (client) => {
      // The floor, on the touched assets the run left in _id_touched (emptied at commit).
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        const t0 = performance.now();
        floorRows = (await client.query(CANDIDATE_PAIRS_SQL)).rowCount ?? 0;
        times.push(performance.now() - t0);
      }
      floorMs = median(times);
    });
    const stepMs: Record<string, number> = {};
    let stepRoundTrips = 0;
    for (const x of result.timings) {
      if (IDENTITY_STEPS.includes(x.step)) stepMs[x.step] = x.ms;
      if (IDENTITY_STEPS.some((s) => x.step.startsWith(`${s}: `))) stepRoundTrips++;
    }
    return {
      ledger,
      runVms: RUN_VMS,
      candidates: result.stats.duplicate_candidates,
      stepMs,
      stepRoundTrips,
      ingestRoundTrips: roundTrips,
      floorMs,
      floorRows,
    };
  } finally {
    await t.drop();
  }
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL)
    throw new Error('DATABASE_URL is not set (the benchmark creates and drops scratch databases there)');
  const results = [await measure(20_000), await measure(2_000)];
  const ms = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(0));
  console.log(
    `\nidentity benchmark: candidates after a collect_vms run of source C (every VM changed) against a ledger in three sources; floor: CANDIDATE_PAIRS_SQL sent as raw SQL in the run's transaction (median of ${REPEAT})\n`,
  );
  printTable(
    [
      'ledger assets',
      'run VMs',
      'candidates',
      'record-identifiers ms',
      'follow-moves ms',
      'scoring ms',
      'floor: raw joins ms',
      'scoring / floor',
      'identity round trips',
      'ingest round trips',
    ],
    results.map((r) => {
      const score = r.stepMs['score-duplicate-candidates'] ?? 0;
      const ratio = score / r.floorMs;
      return [
        r.ledger.toLocaleString('en'),
        r.runVms.toLocaleString('en'),
        `${r.candidates} (floor ${r.floorRows})`,
        ms(r.stepMs['record-identifiers']),
        ms(r.stepMs['follow-cross-source-moves']),
        ms(score),
        ms(r.floorMs),
        `${ratio.toFixed(2)}× ${ratio <= TARGET ? `ok (≤ ${TARGET}×)` : `OVER (target ≤ ${TARGET}×)`}`,
        String(r.stepRoundTrips),
        String(r.ingestRoundTrips),
      ];
    }),
  );
  const [big, small] = results as [Result, Result];
  console.log(
    `\nround trips: ${big.ingestRoundTrips} at ${big.ledger.toLocaleString('en')} assets, ${small.ingestRoundTrips} at ${small.ledger.toLocaleString('en')} (${big.ingestRoundTrips === small.ingestRoundTrips ? 'equal' : 'NOT EQUAL'})`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
