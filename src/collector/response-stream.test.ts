// The response reader on its own: v2 lines split anywhere (inside multi-byte characters), each failure with
// its own code, and a v1 document parsed as a stream whose size does not reach the heap.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { FieldWarnings } from './field-invalid';
import { PluginOutputError, readResponse, type ResponseEvent } from './response-stream';

const HEADER = '{"type":"header","schema_version":"collector-response-v2"}';
const asset = (i: number, caption = `vm-${i}`) =>
  JSON.stringify({
    type: 'asset',
    external_kind: 'vm',
    external_id: `vm-${i}`,
    normalized: { identity: { caption } },
    raw_payload: {},
  });
const end = (assets: number, relations = 0) =>
  JSON.stringify({ type: 'end', stats: { assets, relations, inventory_complete: true } });

/** `text` as chunks of `size` bytes (cutting through characters). */
async function* chunked(text: string, size = 7): AsyncGenerator<Buffer> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function read(text: string): Promise<ResponseEvent[]> {
  const out: ResponseEvent[] = [];
  for await (const ev of readResponse(chunked(text), { fields: new FieldWarnings() })) out.push(ev);
  return out;
}
const failure = (text: string) =>
  read(text).then(
    () => undefined,
    (e: PluginOutputError) => e.code,
  );

describe('contract v2 lines', () => {
  it('reads every line type, multibyte text split across chunks intact', async () => {
    const text = [
      HEADER,
      '{"type":"progress","phase":"vms","objects":0}',
      asset(1, 'Zürich-€-😀-数据库'),
      '{"type":"relation","relation_type":"runs_on","from":{"external_kind":"vm","external_id":"vm-1"},"to":{"external_kind":"host","external_id":"host-1"}}',
      '{"type":"warning","code":"X","message":"m"}',
      end(1, 1),
    ].join('\n');
    const evs = await read(text + '\n');
    expect(evs.map((e) => e.type)).toEqual(['progress', 'asset', 'relation', 'warning', 'end']);
    expect(evs[1]).toMatchObject({ asset: { normalized: { identity: { caption: 'Zürich-€-😀-数据库' } } } });
    expect(evs[2]).toMatchObject({ relation: { type: 'runs_on' } });
    expect(await read(text)).toHaveLength(5); // no newline after the end line is fine
  });

  it.each([
    [
      'a line that is not JSON',
      `${HEADER}\n${asset(1)}\n{"type":"asset",\n${end(1)}\n`,
      'PLUGIN_OUTPUT_INVALID_JSON',
    ],
    ['no header', `${asset(1)}\n${end(1)}\n`, 'PLUGIN_SCHEMA_VERSION'],
    [
      'a header of another version',
      `{"type":"header","schema_version":"collector-response-v9"}\n${end(0)}\n`,
      'PLUGIN_SCHEMA_VERSION',
    ],
    ['no end line', `${HEADER}\n${asset(1)}\n`, 'PLUGIN_END_MISSING'],
    ['a line after the end', `${HEADER}\n${end(0)}\n${asset(1)}\n`, 'PLUGIN_OUTPUT_INVALID'],
    [
      'end counts that differ from the stream',
      `${HEADER}\n${asset(1)}\n${end(2)}\n`,
      'PLUGIN_OUTPUT_INVALID',
    ],
    ['an unknown line type', `${HEADER}\n{"type":"toaster"}\n${end(0)}\n`, 'PLUGIN_OUTPUT_INVALID'],
    [
      'an object without an id',
      `${HEADER}\n{"type":"asset","external_kind":"vm","external_id":"","raw_payload":{}}\n${end(1)}\n`,
      'PLUGIN_OUTPUT_INVALID',
    ],
    ['nothing at all', '', 'PLUGIN_OUTPUT_INVALID_JSON'],
  ])('%s → %s', async (_what, text, code) => {
    expect(await failure(text)).toBe(code);
  });

  it('an odd field is dropped and reported, the object kept', async () => {
    const fields = new FieldWarnings();
    const line = JSON.stringify({
      type: 'asset',
      external_kind: 'host',
      external_id: 'host-9',
      normalized: { identity: { caption: 'esx' }, hardware: { memory_bytes: -1, cpu_count: 8 } },
      raw_payload: {},
    });
    const evs: ResponseEvent[] = [];
    for await (const e of readResponse(chunked(`${HEADER}\n${line}\n${end(1)}\n`), { fields })) evs.push(e);
    expect(evs[0]).toMatchObject({ asset: { normalized: { hardware: { cpu_count: 8 } } } });
    expect((evs[0] as { asset: { normalized: { hardware: object } } }).asset.normalized.hardware).toEqual({
      cpu_count: 8,
    });
    expect(fields.toWarnings()).toEqual([
      expect.objectContaining({
        code: 'FIELD_INVALID',
        field: 'hardware.memory_bytes',
        count: 1,
        examples: [
          { external_kind: 'host', external_id: 'host-9', path: 'hardware.memory_bytes', value: '-1' },
        ],
      }),
    ]);
  });
});

describe('contract v1 documents', () => {
  it('are parsed as a stream: 50,000 assets (≈60 MB) without the document reaching the heap', async () => {
    const N = 50_000;
    const pad = 'p'.repeat(1000);
    async function* doc(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"schema_version":"collector-response-v1","assets":[');
      for (let i = 0; i < N; i += 500) {
        const part: string[] = [];
        for (let j = i; j < i + 500; j++)
          part.push(
            JSON.stringify({
              external_kind: 'vm',
              external_id: `vm-${j}`,
              normalized: {},
              raw_payload: { pad },
            }),
          );
        yield Buffer.from((i ? ',' : '') + part.join(','));
      }
      yield Buffer.from(
        '],"relations":[],"stats":{"assets":50000,"relations":0,"inventory_complete":true,"warnings":["w"]},"errors":[]}',
      );
    }
    // What stays reachable, measured after a full collection every 5,000 assets (not garbage not yet collected).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    let assets = 0;
    let last: ResponseEvent | undefined;
    for await (const ev of readResponse(doc(), { fields: new FieldWarnings() })) {
      if (ev.type === 'asset' && ++assets % 5000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      last = ev;
    }
    expect(assets).toBe(N);
    expect(last).toMatchObject({ type: 'end', version: 'v1', stats: { inventory_complete: true } });
    const growthMb = (peak - base) / 2 ** 20;
    console.log(`v1 stream: ${N} assets, live heap peak +${growthMb.toFixed(1)} MB`);
    expect(growthMb).toBeLessThan(16); // the document itself is ≈55 MB
  }, 120_000);

  it('a cut-off document fails as invalid JSON, another version as PLUGIN_SCHEMA_VERSION', async () => {
    expect(await failure('{"schema_version":"collector-response-v1","assets":[{"external_kind":"vm"')).toBe(
      'PLUGIN_OUTPUT_INVALID_JSON',
    );
    expect(await failure('{"schema_version":"collector-response-v0","assets":[]}')).toBe(
      'PLUGIN_SCHEMA_VERSION',
    );
    expect(await failure('{\n  "assets": [],\n  "relations": []\n}')).toBe('PLUGIN_SCHEMA_VERSION');
  });
});
