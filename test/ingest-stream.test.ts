// Ingest as a stream (ingestStream): Node's memory stays at a page however large the estate, a stream
// that fails half way leaves the ledger exactly as it was, and a collector slower than the database has its
// new objects created while it still sends them, with the same result as a run fed all at once.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from './db';
import { createRunningRun, createSource, ingestResponse, rows } from './pipeline-helpers';
import { ingestRun, ingestStream, recordTexts, type IngestItem, type IngestResult } from '@/ingest/ingest';
import { hostsResponse } from '../bench/ingest-synthetic';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const HOSTS = { clusters: 1, hosts: 10, vms: 0 };

/** VM `i` with a raw payload of about 1 KB, and its runs_on relation right after it, as a plugin streams them. */
function* vmItems(from: number, to: number): Generator<IngestItem> {
  for (let i = from; i < to; i++) {
    yield {
      type: 'asset',
      asset: {
        external_kind: 'vm',
        external_id: `vm-${i}`,
        normalized: {
          identity: { caption: `vm-${i}`, hostname: `srv-${i}.corp.example` },
          network: { ip_addresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`] },
          runtime: { power_state: 'poweredOn' },
        },
        raw_payload: {
          _moref: `vm-${i}`,
          name: `vm-${i}`,
          'config.annotation': `${i} `.repeat(Math.ceil(950 / `${i} `.length)),
        },
      },
    };
    yield {
      type: 'relation',
      relation: {
        type: 'runs_on',
        from: { external_kind: 'vm', external_id: `vm-${i}` },
        to: { external_kind: 'host', external_id: `host-${i % HOSTS.hosts}` },
      },
    };
  }
}

/** A digest of every table of the database: equal digests, equal contents. */
async function ledgerDigest(): Promise<Record<string, string>> {
  const tables = await rows<{ name: string }>(
    t.db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [d] = await rows<{ md5: string }>(
      t.db,
      sql.raw(
        `select md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as md5 from "${name}" x`,
      ),
    );
    out[name] = d!.md5;
  }
  return out;
}

async function inTransaction<R>(fn: (client: pg.PoolClient) => Promise<R>, db = t): Promise<R> {
  const client = await db.db.$client.connect();
  try {
    await client.query('begin');
    const r = await fn(client);
    await client.query('commit');
    return r;
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Resolves once a run in this database has read its known records (stage-stream pulls the first items
 * while that query runs, so a test that changes the ledger "meanwhile" must wait for it).
 */
async function knownRecordsRead(): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const [r] = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and state = 'idle in transaction'
            and query like '%left(r.hash, 32)%'`,
    );
    if (r!.n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no run read its known records within 10 s');
}

describe('ingestStream', () => {
  it('an iterator that throws after 5,000 items leaves every table of the ledger as it was', async () => {
    const src = await createSource(t.db);
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(HOSTS));
    // Something to leave alone: 100 VMs already ingested, which the failed run would change and mark missing.
    const first = await createRunningRun(t.db, src.id, 'collect_vms');
    await inTransaction((client) =>
      ingestStream(client, {
        runId: first,
        sourceId: src.id,
        mode: 'collect_vms',
        collectedAt: new Date(),
        items: (async function* () {
          yield* vmItems(1_000_000, 1_000_100);
        })(),
        end: () => Promise.resolve({ inventoryComplete: true }),
      }),
    );
    await t.db.execute(sql`update runs set status = 'succeeded' where id = ${first}`);
    const runId = await createRunningRun(t.db, src.id, 'collect_vms');
    const before = await ledgerDigest();

    let ended = false;
    async function* failing(): AsyncGenerator<IngestItem> {
      let n = 0;
      for (const item of vmItems(0, 10_000)) {
        if (n++ === 5_000) throw new Error('plugin died');
        yield item;
      }
    }
    await expect(
      inTransaction((client) =>
        ingestStream(client, {
          runId,
          sourceId: src.id,
          mode: 'collect_vms',
          collectedAt: new Date(),
          items: failing(),
          end: () => {
            ended = true;
            return Promise.resolve({ inventoryComplete: true });
          },
        }),
      ),
    ).rejects.toThrow('plugin died');
    expect(ended).toBe(false);
    expect(await ledgerDigest()).toEqual(before);

    // The pool's connections are still good for the next run, which lands.
    await t.db.execute(sql`update runs set status = 'failed' where id = ${runId}`);
    const next = await createRunningRun(t.db, src.id, 'collect_vms');
    const r = await inTransaction((client) =>
      ingestStream(client, {
        runId: next,
        sourceId: src.id,
        mode: 'collect_vms',
        collectedAt: new Date(),
        items: (async function* () {
          yield* vmItems(0, 50);
        })(),
        end: () => Promise.resolve({ inventoryComplete: true }),
      }),
    );
    expect(r.stats).toMatchObject({ new: 50, missing: 100, relations: 50 });
  });
  it('ingests 100,000 VMs with 1 KB payloads in a heap bounded by a page, not by the estate', async () => {
    const src = await createSource(t.db);
    await ingestResponse(t.db, src.id, 'collect_hosts', hostsResponse(HOSTS));
    const runId = await createRunningRun(t.db, src.id, 'collect_vms');
    const N = 100_000;
    // What the heap holds, not what garbage V8 has yet to collect: a full collection before each sample (a
    // sample of the uncollected heap once read 86 MB on a loaded machine, 20–25 MB otherwise).
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    let peak = before;
    let bytes = 0;
    async function* items(): AsyncGenerator<IngestItem> {
      let n = 0;
      for (const item of vmItems(0, N)) {
        if (item.type === 'asset' && ++n % 5000 === 0) peak = Math.max(peak, heap());
        if (item.type === 'asset') bytes += JSON.stringify(item.asset).length;
        yield item;
      }
    }
    let ended = false;
    const result = await inTransaction((client) =>
      ingestStream(client, {
        runId,
        sourceId: src.id,
        mode: 'collect_vms',
        collectedAt: new Date(),
        items: items(),
        end: () => {
          ended = true;
          peak = Math.max(peak, heap());
          return Promise.resolve({ inventoryComplete: true });
        },
      }),
    );
    peak = Math.max(peak, heap());
    const growthMb = (peak - before) / 2 ** 20;
    const estateMb = bytes / 2 ** 20;
    console.log(
      `ingestStream: ${N} VMs, ${estateMb.toFixed(0)} MB of JSON; heap before ${(before / 2 ** 20).toFixed(0)} MB, peak growth ${growthMb.toFixed(1)} MB`,
    );
    expect(ended).toBe(true);
    expect(result.stats).toMatchObject({ assets: N, new: N, relations: N, relations_unresolved: 0 });
    // The estate's JSON alone is ~110 MB (and several times that as objects); a page is a few MB.
    expect(estateMb).toBeGreaterThan(100);
    expect(growthMb).toBeLessThan(32);
    const [n] = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from asset_source_links where source_id = ${src.id} and external_kind = 'vm'`,
    );
    expect(n!.n).toBe(N);
  }, 300_000);

  it('stores each record with the hash records have always had', async () => {
    const src = await createSource(t.db);
    const asset = {
      external_kind: 'vm' as const,
      external_id: 'vm-odd',
      normalized: { identity: { caption: 'Ünïcødé 名前 🚀 <a&b> "q" \\ back\\slash\ttab' }, tags: [] },
      raw_payload: { name: '仮想マシン 🧪', notes: 'line\nbreak \u0001 </xml>', n: 2 ** 70, f: -0.5 },
    };
    const r = await ingestResponse(t.db, src.id, 'collect_vms', {
      schema_version: 'collector-response-v1',
      assets: [asset, { ...asset, external_id: 'vm-no-raw', raw_payload: undefined }],
      relations: [],
      stats: { inventory_complete: true, warnings: [] },
    } as never);
    expect(r.stats.new).toBe(2);
    const stored = await rows<{ external_id: string; hash: string }>(
      t.db,
      sql`select l.external_id, s.hash from source_records s join asset_source_links l on l.id = s.link_id
          where l.source_id = ${src.id} order by 1`,
    );
    expect(stored).toEqual([
      { external_id: 'vm-no-raw', hash: recordTexts({ ...asset, raw_payload: undefined }).hash },
      { external_id: 'vm-odd', hash: recordTexts(asset).hash },
    ]);
  });

  it('stages an unchanged object without its texts, a changed one with them, and writes only the changed record', async () => {
    const src = await createSource(t.db);
    const hosts = hostsResponse(HOSTS);
    await ingestResponse(t.db, src.id, 'collect_hosts', hosts);
    const host0 = hosts.assets.find((a) => a.external_id === 'host-0')!;
    const changed = { ...host0, normalized: { ...host0.normalized, tags: ['changed'] } };
    const runId = await createRunningRun(t.db, src.id, 'collect_hosts');
    const client = await t.db.$client.connect();
    try {
      await client.query('begin');
      const r = await ingestRun(client, {
        runId,
        sourceId: src.id,
        mode: 'collect_hosts',
        collectedAt: new Date(),
        assets: hosts.assets.map((a) => (a === host0 ? changed : a)),
        relations: hosts.relations,
        inventoryComplete: true,
      });
      const staged = await client.query<{ external_id: string; texts: boolean }>(
        `select external_id, normalized is not null as texts from _in_asset order by idx`,
      );
      expect(staged.rows.filter((x) => x.texts).map((x) => x.external_id)).toEqual(['host-0']);
      expect(staged.rows).toHaveLength(hosts.assets.length);
      expect(r.stats).toMatchObject({
        changed: 1,
        unchanged: hosts.assets.length - 1,
        records_written: 1,
        relations: hosts.relations.length,
        relations_inactive: 0,
      });
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('does not take an unchanged object for its record read before another run wrote a newer one', async () => {
    // Run A reads the known records, then run B (another mode of the same source) writes a new record of
    // host-0 and commits while A still streams; A then sends host-0 as the record it read. A must not
    // keep B's record as host-0's latest by that stale reading: it finds B's write and fails, as an
    // object it staged as unchanged has no texts to write (a retry reads the records again).
    const src = await createSource(t.db);
    const hosts = hostsResponse(HOSTS);
    await ingestResponse(t.db, src.id, 'collect_hosts', hosts);
    const host0 = hosts.assets.find((a) => a.external_id === 'host-0')!;
    const changedByB = { ...host0, normalized: { ...host0.normalized, tags: ['written by B'] } };
    const latest = () =>
      rows<{ hash: string }>(
        t.db,
        sql`select s.hash from source_records s join asset_source_links l on l.id = s.link_id
            where l.source_id = ${src.id} and l.external_id = 'host-0' order by s.id desc limit 1`,
      );
    const runA = await createRunningRun(t.db, src.id, 'collect_hosts');
    async function* itemsOfA(): AsyncGenerator<IngestItem> {
      await knownRecordsRead();
      await ingestResponse(t.db, src.id, 'collect', {
        ...hosts,
        assets: hosts.assets.map((a) => (a === host0 ? changedByB : a)),
      });
      for (const asset of hosts.assets) yield { type: 'asset', asset };
      for (const relation of hosts.relations) yield { type: 'relation', relation };
    }
    const a = inTransaction((client) =>
      ingestStream(client, {
        runId: runA,
        sourceId: src.id,
        mode: 'collect_hosts',
        collectedAt: new Date(),
        items: itemsOfA(),
        end: () => Promise.resolve({ inventoryComplete: true }),
      }),
    );
    await expect(a).rejects.toThrow(/normalized/);
    expect(await latest()).toEqual([{ hash: recordTexts(changedByB).hash }]);
    await t.db.execute(sql`update runs set status = 'failed', finished_at = now() where id = ${runA}`);

    // Without a write in between, the same run finds host-0 unchanged and writes nothing.
    const again = await ingestResponse(t.db, src.id, 'collect_hosts', {
      ...hosts,
      assets: hosts.assets.map((x) => (x === host0 ? changedByB : x)),
    });
    expect(again.stats).toMatchObject({ changed: 0, records_written: 0 });
  });

  it('a re-run of known objects only keeps the last occurrence of a repeated one', async () => {
    const src = await createSource(t.db);
    const hosts = hostsResponse(HOSTS);
    await ingestResponse(t.db, src.id, 'collect_hosts', hosts);
    const host3 = hosts.assets.find((a) => a.external_id === 'host-3')!;
    const renamed = { ...host3, normalized: { ...host3.normalized, tags: ['last occurrence'] } };
    const r = await ingestResponse(t.db, src.id, 'collect_hosts', {
      ...hosts,
      assets: [...hosts.assets, renamed],
    });
    expect(r.stats).toMatchObject({ assets: hosts.assets.length, duplicates: 1, new: 0, changed: 1 });
    expect(r.warnings.map((w) => w.code)).toContain('DUPLICATE_ASSETS');
    const [latest] = await rows<{ hash: string }>(
      t.db,
      sql`select s.hash from source_records s join asset_source_links l on l.id = s.link_id
          where l.source_id = ${src.id} and l.external_id = 'host-3' order by s.id desc limit 1`,
    );
    expect(latest!.hash).toBe(recordTexts(renamed).hash);
  });

  it("keeps a link's identity key current: changed with its object's, kept when the object leaves it out", async () => {
    const src = await createSource(t.db);
    const hosts = hostsResponse(HOSTS);
    await ingestResponse(t.db, src.id, 'collect_hosts', hosts);
    const keyOf = async (id: string) =>
      (
        await rows<{ k: string | null }>(
          t.db,
          sql`select identity_key as k from asset_source_links where source_id = ${src.id} and external_id = ${id}`,
        )
      )[0]!.k;
    const host1 = hosts.assets.find((a) => a.external_id === 'host-1')!;
    const host4 = hosts.assets.find((a) => a.external_id === 'host-4')!;
    const identity = (a: typeof host1) => a.normalized.identity as Record<string, unknown>;
    const key4 = await keyOf('host-4');
    expect(key4).toBe(String(identity(host4).machine_uuid).toLowerCase());
    const newUuid = '4c4c4544-0000-4000-8000-00000000abcd';
    const r = await ingestResponse(t.db, src.id, 'collect_hosts', {
      ...hosts,
      assets: hosts.assets.map((a) =>
        a === host1
          ? {
              ...a,
              normalized: {
                ...a.normalized,
                identity: { ...identity(a), machine_uuid: newUuid.toUpperCase() },
              },
            }
          : a === host4
            ? { ...a, normalized: { ...a.normalized, identity: { caption: String(identity(a).caption) } } }
            : a,
      ),
    });
    expect(r.stats).toMatchObject({ changed: 2, new: 0 });
    expect(await keyOf('host-1')).toBe(newUuid);
    expect(await keyOf('host-4')).toBe(key4);
  });

  it('fails, and writes nothing, when a known object lost its link to another run while it streamed', async () => {
    const src = await createSource(t.db);
    const hosts = hostsResponse(HOSTS);
    await ingestResponse(t.db, src.id, 'collect_hosts', hosts);
    const before = await ledgerDigest();
    const runId = await createRunningRun(t.db, src.id, 'collect_hosts');
    async function* items(): AsyncGenerator<IngestItem> {
      // once the known records are read: another run re-attaches host-2's link to a new moref
      await knownRecordsRead();
      await t.db.execute(sql`update asset_source_links set external_id = 'host-2-moved'
                             where source_id = ${src.id} and external_id = 'host-2'`);
      for (const asset of hosts.assets) yield { type: 'asset', asset };
      for (const relation of hosts.relations) yield { type: 'relation', relation };
    }
    const run = inTransaction((client) =>
      ingestStream(client, {
        runId,
        sourceId: src.id,
        mode: 'collect_hosts',
        collectedAt: new Date(),
        items: items(),
        end: () => Promise.resolve({ inventoryComplete: true }),
      }),
    );
    await expect(run).rejects.toThrow(/1 objects of this run have no link/);
    await t.db.execute(sql`update asset_source_links set external_id = 'host-2'
                           where source_id = ${src.id} and external_id = 'host-2-moved'`);
    expect(await ledgerDigest()).toEqual({ ...before, runs: (await ledgerDigest()).runs });
    await t.db.execute(sql`update runs set status = 'failed', finished_at = now() where id = ${runId}`);
  });

  describe('a collector slower than the database', () => {
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    const mac = (i: number) => `00:50:56:aa:${hex(i >> 8)}:${hex(i & 255)}`;

    /** VM `i` (moref `id`) with an instance UUID, and its runs_on relation right after it. */
    function* vm(i: number, id = `vm-${i}`, caption = `vm-${i}`): Generator<IngestItem> {
      yield {
        type: 'asset',
        asset: {
          external_kind: 'vm',
          external_id: id,
          normalized: {
            identity: { caption, machine_uuid: `4210${String(i).padStart(28, '0')}` },
            network: { ip_addresses: [`10.9.${(i >> 8) & 255}.${i & 255}`], mac_addresses: [mac(i)] },
            runtime: { power_state: 'poweredOn' },
          },
          raw_payload: { name: caption, pad: 'x'.repeat(400) },
        },
      };
      yield {
        type: 'relation',
        relation: {
          type: 'runs_on',
          from: { external_kind: 'vm', external_id: id },
          to: { external_kind: 'host', external_id: `host-${i % HOSTS.hosts}` },
        },
      };
    }

    // The second run: the 100 known VMs but vm-5, which comes back under a new moref (a re-attach); 5,900
    // new ones; and vm-150 once more at the end with another name (its last occurrence wins).
    function* secondRun(): Generator<IngestItem> {
      for (let i = 0; i < 100; i++) yield* i === 5 ? vm(5, 'vm-5-new') : vm(i);
      for (let i = 100; i < 6_000; i++) yield* vm(i);
      yield* vm(150, 'vm-150', 'vm-150 renamed');
    }

    /**
     * Pauses 100 ms every 100 VMs, as a collector waiting for its next page does: about 6 s for the run, so
     * that the stream still arrives after the first early creation even where that takes seconds (a loaded
     * CI machine; with 60 ms every 200 VMs the rest had arrived by then, and there was no second cut).
     */
    async function* paced(items: Iterable<IngestItem>, fail?: number): AsyncGenerator<IngestItem> {
      let n = 0;
      for (const item of items) {
        if (n === fail) throw new Error('plugin died');
        if (++n % 200 === 0) await new Promise((r) => setTimeout(r, 100));
        yield item;
      }
    }

    /** One collect_vms run in its own transaction; the run row is marked as the worker would. */
    async function run(
      db: TestDatabase,
      sourceId: string,
      items: AsyncIterable<IngestItem>,
      runId?: string,
    ): Promise<IngestResult> {
      const id = runId ?? (await createRunningRun(db.db, sourceId, 'collect_vms'));
      const r = await inTransaction(
        (client) =>
          ingestStream(client, {
            runId: id,
            sourceId,
            mode: 'collect_vms',
            collectedAt: new Date(),
            items,
            end: () => Promise.resolve({ inventoryComplete: true }),
          }),
        db,
      );
      await db.db.execute(sql`update runs set status = 'succeeded' where id = ${id}`);
      return r;
    }

    const sync = async function* (items: Iterable<IngestItem>) {
      yield* items;
    };

    /** What a source's runs left, per link, without the ids a database mints. */
    async function landed(db: TestDatabase, sourceId: string) {
      return rows(
        db.db,
        sql`select l.external_id, l.presence, a.kind, a.status, a.name, a.host_name, a.cluster_name, a.ip_addresses,
                   a.canonical -> 'normalized' as normalized,
                   (select string_agg(s.hash, ',' order by s.id) from source_records s where s.link_id = l.id) as records,
                   (select string_agg(e.type::text, ',' order by e.id) from asset_events e where e.asset_uuid = a.uuid) as events,
                   (select count(*)::int from asset_snapshots p where p.asset_uuid = a.uuid) as snapshots,
                   (select string_agg(r.type::text || '>' || tl.external_id, ',' order by tl.external_id) from relations r
                    join asset_source_links tl on tl.asset_uuid = r.to_asset_uuid
                    where r.from_asset_uuid = a.uuid and r.status = 'active') as relations,
                   (select string_agg(x.rule || '=' || x.value, ',' order by x.rule, x.value) from asset_identifiers x
                    where x.asset_uuid = a.uuid) as identifiers
            from asset_source_links l join assets a on a.uuid = l.asset_uuid
            where l.source_id = ${sourceId} and l.external_kind = 'vm' order by l.external_id`,
      );
    }

    async function setUp(db: TestDatabase) {
      // Another vCenter's VM with vm-4200's MAC: a duplicate candidate once vm-4200 is created (early).
      const other = await createSource(db.db);
      await ingestResponse(db.db, other.id, 'collect_vms', {
        schema_version: 'collector-response-v1',
        assets: [
          {
            external_kind: 'vm',
            external_id: 'b-1',
            normalized: { identity: { caption: 'b-1' }, network: { mac_addresses: [mac(4200)] } },
          },
        ],
        relations: [],
        stats: { inventory_complete: true, warnings: [] },
      } as never);
      const src = await createSource(db.db);
      await ingestResponse(db.db, src.id, 'collect_hosts', hostsResponse(HOSTS));
      await run(
        db,
        src.id,
        sync(
          (function* () {
            for (let i = 0; i < 100; i++) yield* vm(i);
          })(),
        ),
      );
      return src.id;
    }

    /** A VM of yet another source that went missing: one of a run's new objects could be it, moved. */
    async function leaveMissingVm(db: TestDatabase) {
      const src = await createSource(db.db);
      await run(db, src.id, sync(vm(9_999_999, 'gone-1')));
      await ingestResponse(db.db, src.id, 'collect_vms', {
        schema_version: 'collector-response-v1',
        assets: [],
        relations: [],
        stats: { inventory_complete: true, warnings: [] },
      } as never);
    }

    it.each([
      ['scoring candidates as it goes', false],
      ['leaving candidates to the end when a move from another source could follow', true],
    ])(
      'creates the new objects between COPY segments, %s, and lands what a run fed all at once lands',
      async (_, moves) => {
        const [mine, other] = [await createTestDatabase(), await createTestDatabase()];
        try {
          if (moves) for (const db of [mine, other]) await leaveMissingVm(db);
          const slowSource = await setUp(mine);
          const fastSource = await setUp(other);
          const slow: IngestResult = await run(mine, slowSource, paced(secondRun()));
          const fast: IngestResult = await run(other, fastSource, sync(secondRun()));
          // candidates are scored as the batches are created, unless a move could follow
          const scoredEarly = slow.timings.some((x) => x.step.startsWith('create-early: with pairs as'));
          expect(scoredEarly).toBe(!moves);

          const early = slow.timings.filter((x) => x.step === 'create-early');
          expect(early.length).toBeGreaterThan(1);
          // with their edges and evidence
          for (const table of ['relations', '_id_touched'])
            expect(slow.timings.some((x) => x.step.startsWith(`create-early: insert into ${table}`))).toBe(
              true,
            );
          expect(fast.timings.some((x) => x.step === 'create-early')).toBe(false);
          for (const r of [slow, fast])
            expect(r.stats).toMatchObject({
              assets: 6_000,
              new: 5_900,
              reattached: 1,
              duplicates: 1,
              missing: 0,
            });
          expect(slow.stats).toEqual({ ...fast.stats, round_trips: slow.stats.round_trips });

          const a = await landed(mine, slowSource);
          expect(a).toHaveLength(6_000);
          expect(a.find((x) => x.external_id === 'vm-150')).toMatchObject({
            name: 'vm-150 renamed',
            events: 'created',
            snapshots: 1,
          });
          expect(a.find((x) => x.external_id === 'vm-5-new')).toMatchObject({ events: 'created' });
          expect(a.find((x) => x.external_id === 'vm-4000')).toMatchObject({
            host_name: expect.any(String),
            relations: 'runs_on>host-0',
            events: 'created',
          });
          expect(a).toEqual(await landed(other, fastSource));
          // the candidates of this run's VMs (the database holds other tests' sources too); a and b are
          // ordered by the UUIDs each database minted: compare the pairs as sets
          const pairs = async (db: TestDatabase, sourceId: string) =>
            (
              await rows(
                db.db,
                sql`select la.external_id as a, lb.external_id as b, c.score, c.evidence from duplicate_candidates c
                  join asset_source_links la on la.asset_uuid = c.asset_a
                  join asset_source_links lb on lb.asset_uuid = c.asset_b
                  where c.kind = 'vm' and ${sourceId} in (la.source_id, lb.source_id)`,
              )
            ).map((c) => ({ pair: [c.a, c.b].sort(), score: c.score, evidence: c.evidence }));
          const found = await pairs(mine, slowSource);
          expect(found).toMatchObject([{ pair: ['b-1', 'vm-4200'], score: 90 }]);
          expect(found).toEqual(await pairs(other, fastSource));
        } finally {
          await Promise.all([mine.drop(), other.drop()]);
        }
      },
      120_000,
    );

    it('a stream that fails after objects were created early leaves every table as it was', async () => {
      const src = await setUp(t);
      const runId = await createRunningRun(t.db, src, 'collect_vms');
      const before = await ledgerDigest();
      // The run's transaction has written into assets before the failure: it holds their table lock.
      let wroteAssets = false;
      const watched = async function* () {
        let n = 0;
        for await (const item of paced(secondRun(), 9_000)) {
          if (++n === 8_999) {
            const [l] = await rows<{ held: boolean }>(
              t.db,
              sql`select exists (select 1 from pg_locks l join pg_class c on c.oid = l.relation
                  where c.relname = 'assets' and l.mode = 'RowExclusiveLock' and l.pid <> pg_backend_pid()) as held`,
            );
            wroteAssets = l!.held;
          }
          yield item;
        }
      };
      await expect(run(t, src, watched(), runId)).rejects.toThrow('plugin died');
      expect(wroteAssets).toBe(true);
      expect(await ledgerDigest()).toEqual(before);
    }, 120_000);
  });
});
