// Property-based fuzzing of the collector response parser and of ingest (fast-check). Used by the
// reliability suite (many runs) and by test/reliability/fuzz.test.ts (a few, in `npm test`).
//  - parser: valid v2 streams and v1 documents, cut, spliced with junk, split into arbitrary chunks, and
//    plain garbage → readResponse either yields events ending in one `end`, or throws PluginOutputError.
//    Nothing else: no TypeError, no hang. An untouched valid response reads back every asset.
//  - ingest: responses with odd field values (CJK, emoji, markup, huge and negative numbers, wrong types),
//    duplicate and dangling relation endpoints, read by the parser and ingested in one transaction → ingest
//    succeeds and the ledger holds exactly the run's distinct objects; if it ever throws, the rollback
//    leaves the ledger exactly as it was (never a partial ingest).
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { FieldWarnings } from '@/collector/field-invalid';
import { PluginOutputError, readResponse, type ResponseEvent } from '@/collector/response-stream';
import { ingestStream } from '@/ingest/ingest';
import type { IngestItem } from '@/ingest/ingest';
import { createRunningRun, createSource } from '../../pipeline-helpers';

const KINDS = ['host', 'vm', 'cluster'] as const;

const oddText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '<a&b>"\'',
    '服务器-01',
    '😀 emoji',
    'To be filled by O.E.M.',
    '',
    ' ',
    'x'.repeat(3000),
    '\u0000',
  ),
);
const oddNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 53, -(2 ** 53), 1e308, 0.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const oddValue = fc.oneof(
  oddText,
  oddNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(oddText, { maxLength: 3 }),
);

const normalized = fc.record(
  {
    identity: fc.record(
      {
        caption: oddText,
        hostname: oddText,
        machine_uuid: fc.oneof(fc.uuid(), oddText),
        serial_number: oddText,
      },
      { requiredKeys: [] },
    ),
    network: fc.record(
      {
        ip_addresses: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), oddText), { maxLength: 3 }),
        mac_addresses: fc.array(fc.oneof(fc.mixedCase(fc.constant('00:50:56:ab:cd:ef')), oddText), {
          maxLength: 2,
        }),
        management_ip: fc.oneof(fc.ipV4(), oddText),
      },
      { requiredKeys: [] },
    ),
    hardware: fc.record(
      { cpu_count: oddNumber, memory_bytes: oddNumber, cpu_model: oddValue },
      { requiredKeys: [] },
    ),
    runtime: fc.record(
      {
        power_state: fc.oneof(fc.constantFrom('poweredOn', 'poweredOff', 'suspended'), oddText),
        tools_running: oddValue,
      },
      { requiredKeys: [] },
    ),
    placement: fc.record(
      { cluster: oddText, datacenter: oddText, tags: fc.array(oddText, { maxLength: 3 }) },
      { requiredKeys: [] },
    ),
    extra: oddValue,
  },
  { requiredKeys: [] },
);

const ref = fc.record({
  external_kind: fc.constantFrom(...KINDS),
  external_id: fc.constantFrom('a', 'b', 'c', 'd', 'vm-1', 'host-1', '服务器'),
});

export const responseArb = fc.record({
  assets: fc.array(
    fc.record({ ref, normalized, raw_payload: fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 2 })) }),
    { maxLength: 12 },
  ),
  relations: fc.array(
    fc.record({ type: fc.constantFrom('runs_on', 'hosts_vm', 'member_of'), from: ref, to: ref }),
    { maxLength: 8 },
  ),
  complete: fc.boolean(),
});
type GeneratedResponse = typeof responseArb extends fc.Arbitrary<infer T> ? T : never;

export function v2Text(r: GeneratedResponse): string {
  const lines: unknown[] = [{ type: 'header', schema_version: 'collector-response-v2' }];
  for (const a of r.assets)
    lines.push({ type: 'asset', ...a.ref, normalized: a.normalized, raw_payload: a.raw_payload });
  for (const rel of r.relations)
    lines.push({ type: 'relation', relation_type: rel.type, from: rel.from, to: rel.to });
  lines.push({
    type: 'end',
    stats: { assets: r.assets.length, relations: r.relations.length, inventory_complete: r.complete },
  });
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

export function v1Text(r: GeneratedResponse): string {
  return JSON.stringify({
    schema_version: 'collector-response-v1',
    assets: r.assets.map((a) => ({ ...a.ref, normalized: a.normalized, raw_payload: a.raw_payload })),
    relations: r.relations.map((rel) => ({ type: rel.type, from: rel.from, to: rel.to })),
    stats: {
      assets: r.assets.length,
      relations: r.relations.length,
      inventory_complete: r.complete,
      warnings: [],
    },
    errors: [],
  });
}

/** Bytes in the chunk sizes given (cycled), as a pipe would deliver them. */
async function* chunked(buf: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  for (let i = 0, k = 0; i < buf.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    yield buf.subarray(i, i + n);
    i += n;
  }
}

async function readAll(buf: Buffer, sizes: number[]): Promise<ResponseEvent[]> {
  const out: ResponseEvent[] = [];
  for await (const ev of readResponse(chunked(buf, sizes), {
    fields: new FieldWarnings(),
    maxLineBytes: 1 << 20,
  }))
    out.push(ev);
  return out;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('none' as const) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    junk: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('\n', '}', '{"type":"end"}\n', '\u0000', '\ud800', '\n\n'),
    ),
  }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
);

/** The parser property: a contract failure or a well-formed event list, whatever the bytes. */
export const parserProperty = fc.asyncProperty(
  responseArb,
  fc.boolean(),
  mutation,
  fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 5 }),
  async (r, v2, m, sizes) => {
    let text = v2 ? v2Text(r) : v1Text(r);
    let buf: Buffer;
    if (m.kind === 'garbage') buf = Buffer.from(m.bytes);
    else {
      if (m.kind === 'cut') text = text.slice(0, Math.floor(m.at * text.length));
      if (m.kind === 'splice') {
        const at = Math.floor(m.at * text.length);
        text = text.slice(0, at) + m.junk + text.slice(at);
      }
      buf = Buffer.from(text, 'utf8');
    }
    let events: ResponseEvent[];
    try {
      events = await readAll(buf, sizes);
    } catch (err) {
      if (err instanceof PluginOutputError) return; // a contract failure with its code: fine
      throw err; // anything else is a crash
    }
    const ends = events.filter((e) => e.type === 'end');
    if (ends.length !== 1 || events.at(-1)!.type !== 'end') throw new Error(`${ends.length} end events`);
    if (m.kind === 'none') {
      const assets = events.filter((e) => e.type === 'asset').length;
      if (assets !== r.assets.length) throw new Error(`read ${assets} of ${r.assets.length} assets`);
    }
  },
);

async function ledgerCounts(db: Db, sourceId: string) {
  const r = await db.execute<{ links: number; records: number; relations: number; events: number }>(sql`
    select (select count(*)::int from asset_source_links where source_id = ${sourceId}) as links,
           (select count(*)::int from source_records where source_id = ${sourceId}) as records,
           (select count(*)::int from relations where source_id = ${sourceId}) as relations,
           (select count(*)::int from asset_events where source_id = ${sourceId}) as events`);
  return r.rows[0]!;
}

/** Reads a response as the worker does and ingests it in one transaction; the run ends succeeded or failed. */
export async function parseAndIngest(
  db: Db,
  sourceId: string,
  text: string,
): Promise<{ items: IngestItem[]; failure?: unknown; runId: string }> {
  const events = await readAll(Buffer.from(text, 'utf8'), [65536]);
  const end = events.find((e) => e.type === 'end') as Extract<ResponseEvent, { type: 'end' }>;
  const items: IngestItem[] = events.flatMap((e): IngestItem[] =>
    e.type === 'asset'
      ? [{ type: 'asset', asset: e.asset }]
      : e.type === 'relation'
        ? [{ type: 'relation', relation: e.relation }]
        : [],
  );
  const runId = await createRunningRun(db, sourceId, 'collect');
  const client = await db.$client.connect();
  let failure: unknown;
  try {
    await client.query('begin');
    await ingestStream(client, {
      runId,
      sourceId,
      mode: 'collect',
      collectedAt: new Date(),
      items: (async function* () {
        yield* items;
      })(),
      end: async () => ({ inventoryComplete: end.stats.inventory_complete }),
    });
    await client.query(`update runs set status = 'succeeded', finished_at = now() where id = $1`, [runId]);
    await client.query('commit');
  } catch (err) {
    failure = err;
    await client.query('rollback').catch(() => {});
    await client.query(`update runs set status = 'failed', finished_at = now() where id = $1`, [runId]);
  } finally {
    client.release();
  }
  return { items, failure, runId };
}

/** The ingest property over `db` (each run its own source, two runs so the second meets the first's rows). */
export function ingestProperty(db: Db) {
  return fc.asyncProperty(responseArb, responseArb, async (first, second) => {
    const src = await createSource(db, { credential: null });
    for (const r of [first, second]) {
      const before = await ledgerCounts(db, src.id);
      const { items, failure } = await parseAndIngest(db, src.id, v2Text(r));
      const after = await ledgerCounts(db, src.id);
      if (failure) {
        const partial = JSON.stringify(after) !== JSON.stringify(before);
        throw new Error(
          `ingest threw (${(failure as Error).message})${partial ? ' AND LEFT PARTIAL ROWS' : ''}`,
        );
      }
      const distinct = new Set(
        items.flatMap((i) => (i.type === 'asset' ? [`${i.asset.external_kind}:${i.asset.external_id}`] : [])),
      );
      const links = await db.execute<{ n: number }>(sql`
        select count(*)::int n from asset_source_links where source_id = ${src.id}
          and external_kind::text || ':' || external_id in (select jsonb_array_elements_text(${JSON.stringify([...distinct])}::jsonb))`);
      if (links.rows[0]!.n !== distinct.size)
        throw new Error(
          `run saw ${distinct.size} distinct objects, the ledger links ${links.rows[0]!.n} of them`,
        );
    }
  });
}
