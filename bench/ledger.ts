// bench:ledger — the ledger's write paths on a 50,000-asset ledger, each beside its floor measured in the
// same run on the same database: a plain `UPDATE … FROM` that writes the same values into asset_ledger.
//   bulk edit of 10,000 assets (bulkSetLedgerValues by ids)      target ≤ 3× floor
//   import of 50,000 rows: dry run, then apply (runImport)        apply ≤ 5× floor, dry run ≤ apply
//   peak RSS of the importing process (a child of its own)        ≤ 300 MB
// Medians of 3 trials, each on assets in the same state. BENCH_ASSETS scales it down.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { bulkSetLedgerValues } from '@/server/ledger-fields/bulk-set-ledger-values';
import { systemActor } from '@/server/users/actor';
import { median } from './stats';
import { createTestDatabase } from '../test/db';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 50_000);
const BULK = Math.min(10_000, Math.floor(ASSETS / 2));
const TRIALS = 3;
const actor = systemActor('bench');

async function seed(db: Db) {
  // A populated ledger: every asset has an owner, a department and an asset number already.
  await db.execute(sql`
    insert into assets (kind, status, name, hostname, serial_number)
    select 'vm', 'active', 'vm-' || g, 'vm-' || g || '.example.test', 'SN' || g from generate_series(1, ${ASSETS}) g`);
  await db.execute(sql`
    insert into asset_ledger (asset_uuid, values, version)
    select uuid, jsonb_build_object('owner', 'owner ' || (n % 97), 'department', '部门 ' || (n % 13),
                                    'asset_number', 'FA-' || n), 1
    from (select uuid, row_number() over (order by name) n from assets) a`);
  await db.execute(sql`vacuum analyze assets`);
  await db.execute(sql`vacuum analyze asset_ledger`);
}

async function uuidSlice(db: Db, offset: number, limit: number): Promise<string[]> {
  const r = await db.execute<{ uuid: string }>(
    sql`select uuid from assets order by name limit ${limit} offset ${offset}`,
  );
  return r.rows.map((x) => x.uuid);
}

const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

/** The floor: the same values written by one plain UPDATE … FROM (no validation, history or audit). */
async function floorUpdate(db: Db, uuids: string[], patches: string[]) {
  await db.execute(sql`
    update asset_ledger l set values = jsonb_strip_nulls(l.values || v.patch), version = l.version + 1
    from unnest(${sql.param(uuids)}::uuid[], ${sql.param(patches)}::jsonb[]) v(asset_uuid, patch)
    where l.asset_uuid = v.asset_uuid`);
}

const patchOf = (trial: number, i: number) => ({
  owner: `负责人 ${trial}-${i % 500}`,
  department: `Dept ${trial}-${i % 40}`,
  lifecycle: 'retired',
  cost_center: `CC-${trial}-${i % 90}`,
  notes: `import ${trial}, row ${i}`,
});

function importCsv(uuids: string[], trial: number): string {
  const lines = ['uuid,owner,department,lifecycle,cost_center,notes'];
  uuids.forEach((u, i) => {
    const p = patchOf(trial, i);
    lines.push(`${u},${p.owner},${p.department},${p.lifecycle},${p.cost_center},"${p.notes}"`);
  });
  return lines.join('\r\n') + '\r\n';
}

type ChildResult = { dryMs: number; applyMs: number; changed: number; applied: number; maxRssMb: number };

function runImportChild(url: string, file: string): ChildResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/ledger-import-child.ts', url, file], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`import child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ChildResult;
}

async function main() {
  const t = await createTestDatabase();
  const db = t.db;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ledger-'));
  try {
    await seed(db);
    // The state every trial starts from, put back after each one (the floor's and the service's writes).
    await db.execute(sql`create table bench_before as select * from asset_ledger`);
    const restore = () =>
      db.execute(sql`
        update asset_ledger l set values = b.values, version = b.version from bench_before b
        where l.asset_uuid = b.asset_uuid and (l.values <> b.values or l.version <> b.version)`);
    const bulk: number[] = [];
    const bulkFloor: number[] = [];
    const set = { lifecycle: 'retired', owner: 'Bulk Owner', cost_center: 'CC-BULK' };
    const a = await uuidSlice(db, 0, BULK);
    const b = await uuidSlice(db, BULK, BULK);
    for (let i = 0; i < TRIALS; i++) {
      // Two slices in the same state: one edited by the service, the other by the floor.
      bulk.push(await time(() => bulkSetLedgerValues(db, actor, { ids: a, set })));
      bulkFloor.push(
        await time(() =>
          floorUpdate(
            db,
            b,
            b.map(() => JSON.stringify(set)),
          ),
        ),
      );
      await restore();
    }

    const all = await uuidSlice(db, 0, ASSETS);
    const dry: number[] = [];
    const apply: number[] = [];
    const applyFloor: number[] = [];
    let peakRssMb = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      // Each trial writes new values into every asset: the floor first (then put back), then the import.
      const patches = all.map((_, i) => JSON.stringify(patchOf(trial, i)));
      applyFloor.push(await time(() => floorUpdate(db, all, patches)));
      await restore();
      const file = path.join(dir, `import-${trial}.csv`);
      writeFileSync(file, importCsv(all, trial));
      const r = runImportChild(t.url, file);
      if (r.changed !== ASSETS || r.applied !== ASSETS) throw new Error(`import: ${JSON.stringify(r)}`);
      dry.push(r.dryMs);
      apply.push(r.applyMs);
      peakRssMb = Math.max(peakRssMb, r.maxRssMb);
      await restore();
    }

    const n = (x: number) => x.toLocaleString('en');
    const rows = [
      {
        what: `bulk edit ${n(BULK)} assets`,
        ms: median(bulk),
        floor: median(bulkFloor),
        of: 'UPDATE … FROM',
        target: 3,
      },
      {
        what: `import ${n(ASSETS)} rows: apply`,
        ms: median(apply),
        floor: median(applyFloor),
        of: 'UPDATE … FROM',
        target: 5,
      },
      {
        what: `import ${n(ASSETS)} rows: dry run`,
        ms: median(dry),
        floor: median(apply),
        of: 'the apply',
        target: 1,
      },
    ];
    console.log(`ledger of ${n(ASSETS)} assets, medians of ${TRIALS} trials`);
    console.log('| operation | time | floor | ratio | target | ok |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- |');
    let ok = true;
    for (const r of rows) {
      const ratio = r.ms / r.floor;
      const pass = ratio <= r.target;
      ok &&= pass;
      console.log(
        `| ${r.what} | ${r.ms.toFixed(0)} ms | ${r.floor.toFixed(0)} ms (${r.of}) | ${ratio.toFixed(2)}× | ≤ ${r.target}× | ${pass ? 'yes' : 'NO'} |`,
      );
    }
    const rssOk = peakRssMb <= 300;
    console.log(
      `| import peak RSS (its own process) | ${peakRssMb.toFixed(0)} MB | | | ≤ 300 MB | ${rssOk ? 'yes' : 'NO'} |`,
    );
    if (!ok || !rssOk) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await t.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
