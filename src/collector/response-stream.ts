// Reads a plugin's stdout as it arrives and turns it into validated events (DESIGN §6). Contract v2 is
// NDJSON: bytes are split into lines at '\n' (a byte that never occurs inside a UTF-8 sequence, so every
// line decodes whole), each line is parsed and validated on its own. A v1 document is parsed as a stream
// (stream-json): each element of `assets` and `relations` is assembled and handed on alone, the small rest
// of the document (stats, errors, detect) at its end. Either way memory is bounded by one line or element,
// and the generator reads the next chunk only when its consumer asks: that is the back-pressure.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Assembler from 'stream-json/Assembler.js';
import Parser from 'stream-json/Parser.js';
import { z } from 'zod';
import {
  RESPONSE_SCHEMA_VERSION,
  RESPONSE_SCHEMA_VERSION_V2,
  assetEnvelopeSchema,
  collectorErrorSchema,
  collectorRelationSchema,
  collectorWarningSchema,
  detectResultSchema,
  endLineSchema,
  errorLineSchema,
  headerLineSchema,
  progressLineSchema,
  relationLineSchema,
  warningLineSchema,
  type CollectorAsset,
  type CollectorError,
  type CollectorRelation,
  type DetectResult,
} from './contract';
import { sanitizeNormalized, type FieldWarnings } from './field-invalid';

export type OutputFailureCode =
  'PLUGIN_OUTPUT_INVALID_JSON' | 'PLUGIN_SCHEMA_VERSION' | 'PLUGIN_OUTPUT_INVALID' | 'PLUGIN_END_MISSING';

/** The output broke the contract. `atEof`: found only at the end, where a bad exit code explains it better. */
export class PluginOutputError extends Error {
  constructor(
    readonly code: OutputFailureCode,
    message: string,
    readonly atEof = false,
  ) {
    super(message);
  }
}

export type ResponseEvent =
  | { type: 'asset'; asset: CollectorAsset }
  | { type: 'relation'; relation: CollectorRelation }
  | { type: 'warning'; warning: Record<string, unknown> | string }
  | { type: 'error'; error: CollectorError }
  | { type: 'progress'; phase: string; objects: number; total?: number }
  | {
      type: 'end';
      version: 'v1' | 'v2';
      stats: { assets: number; relations: number; inventory_complete: boolean } & Record<string, unknown>;
      detect?: DetectResult;
    };

export interface ReadOptions {
  /** Where dropped fields are reported (FIELD_INVALID). */
  fields: FieldWarnings;
  /** A longer line fails the run instead of growing memory. */
  maxLineBytes?: number;
}

const NL = 0x0a;
/** A v2 header line is short; a v1 document need not contain a newline at all. */
const SNIFF_BYTES = 64 * 1024;
const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

const issuesText = (e: z.ZodError) =>
  e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`)
    .join('; ');

// Built once: zod compiles a schema on first use, and building one per line costs more than parsing it.
const assetIdentitySchema = assetEnvelopeSchema.omit({ type: true });

/** The asset with its invalid fields dropped, or an error when it cannot be identified. */
function toAsset(value: unknown, where: string, fields: FieldWarnings): CollectorAsset {
  const env = assetIdentitySchema.safeParse(value);
  if (!env.success) {
    throw new PluginOutputError(
      'PLUGIN_OUTPUT_INVALID',
      `${where}: an object that cannot be identified (${issuesText(env.error)})`,
    );
  }
  const { normalized, invalid } = sanitizeNormalized(env.data.normalized);
  for (const f of invalid) fields.add(env.data.external_kind, env.data.external_id, f);
  return {
    external_kind: env.data.external_kind,
    external_id: env.data.external_id,
    normalized,
    raw_payload: env.data.raw_payload,
  };
}

function checked<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new PluginOutputError(
      'PLUGIN_OUTPUT_INVALID',
      `${where} does not match the contract (${issuesText(r.error)})`,
    );
  return r.data;
}

// ---------------------------------------------------------------- bytes → lines

/** A chunk source that can give back what was read ahead. */
class Source {
  private readonly ahead: Buffer[] = [];
  constructor(private readonly it: AsyncIterator<Buffer>) {}
  unshift(b: Buffer): void {
    if (b.length) this.ahead.unshift(b);
  }
  async next(): Promise<Buffer | undefined> {
    const b = this.ahead.shift();
    if (b) return b;
    const r = await this.it.next();
    return r.done ? undefined : r.value;
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (let b = await this.next(); b; b = await this.next()) yield b;
  }
}

/** Lines as text (without '\n'); `last` marks a final line that had no newline. */
async function* splitLines(src: Source, maxLine: number): AsyncGenerator<{ text: string; last: boolean }> {
  let parts: Buffer[] = [];
  let partLen = 0;
  for (let chunk = await src.next(); chunk; chunk = await src.next()) {
    let from = 0;
    for (let nl = chunk.indexOf(NL, from); nl !== -1; nl = chunk.indexOf(NL, from)) {
      const piece = chunk.subarray(from, nl);
      const line = partLen ? Buffer.concat([...parts, piece]) : piece;
      parts = [];
      partLen = 0;
      from = nl + 1;
      if (line.length > maxLine) throw tooLong(maxLine);
      yield { text: line.toString('utf8'), last: false };
    }
    if (from < chunk.length) {
      parts.push(chunk.subarray(from));
      partLen += chunk.length - from;
      if (partLen > maxLine) throw tooLong(maxLine);
    }
  }
  if (partLen) yield { text: Buffer.concat(parts).toString('utf8'), last: true };
}

const tooLong = (max: number) =>
  new PluginOutputError('PLUGIN_OUTPUT_INVALID', `a line of the plugin's output is longer than ${max} bytes`);

// ---------------------------------------------------------------- v2

async function* readV2(src: Source, opts: ReadOptions): AsyncGenerator<ResponseEvent> {
  let n = 0;
  let ended = false;
  let assets = 0;
  let relations = 0;
  for await (const { text, last } of splitLines(src, opts.maxLineBytes ?? DEFAULT_MAX_LINE)) {
    n++;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new PluginOutputError('PLUGIN_OUTPUT_INVALID_JSON', `line ${n} of the output is not JSON`, last);
    }
    const type = (value as { type?: unknown } | null)?.type;
    const where = `line ${n} (${typeof type === 'string' ? type : 'no type'})`;
    if (n === 1) {
      const h = headerLineSchema.safeParse(value);
      if (!h.success) {
        const v = (value as { schema_version?: unknown }).schema_version;
        throw new PluginOutputError(
          'PLUGIN_SCHEMA_VERSION',
          `the first line must be the header of ${RESPONSE_SCHEMA_VERSION_V2} (got type ${JSON.stringify(type ?? null)}, schema_version ${JSON.stringify(v ?? null)})`,
        );
      }
      continue;
    }
    if (ended) throw new PluginOutputError('PLUGIN_OUTPUT_INVALID', `${where} comes after the end line`);
    switch (type) {
      case 'asset':
        assets++;
        yield { type: 'asset', asset: toAsset(value, where, opts.fields) };
        break;
      case 'relation': {
        const { type: _t, relation_type, ...rest } = checked(relationLineSchema, value, where);
        relations++;
        yield { type: 'relation', relation: { type: relation_type, ...rest } };
        break;
      }
      case 'warning': {
        const { type: _t, ...warning } = checked(warningLineSchema, value, where);
        yield { type: 'warning', warning };
        break;
      }
      case 'error': {
        const { type: _t, ...error } = checked(errorLineSchema, value, where);
        yield { type: 'error', error };
        break;
      }
      case 'progress': {
        const p = checked(progressLineSchema, value, where);
        yield { type: 'progress', phase: p.phase, objects: p.objects, total: p.total };
        break;
      }
      case 'end': {
        const e = checked(endLineSchema, value, where);
        if (e.stats.assets !== assets || e.stats.relations !== relations) {
          throw new PluginOutputError(
            'PLUGIN_OUTPUT_INVALID',
            `the end line counts ${e.stats.assets} assets and ${e.stats.relations} relations, the stream had ${assets} and ${relations}`,
          );
        }
        ended = true;
        yield { type: 'end', version: 'v2', stats: e.stats, detect: e.detect };
        break;
      }
      default:
        throw new PluginOutputError('PLUGIN_OUTPUT_INVALID', `${where}: unknown line type`);
    }
  }
  if (n === 0)
    throw new PluginOutputError('PLUGIN_OUTPUT_INVALID_JSON', 'plugin wrote nothing on stdout', true);
  if (!ended)
    throw new PluginOutputError(
      'PLUGIN_END_MISSING',
      `the output stopped after ${n} lines without its end line`,
      true,
    );
}

// ---------------------------------------------------------------- v1 (one document, parsed as a stream)

type Token = { name: string; value?: string };

const v1RestSchema = z.object({
  detect: detectResultSchema.optional(),
  stats: z.object({
    assets: z.number().int().nonnegative(),
    relations: z.number().int().nonnegative(),
    inventory_complete: z.boolean(),
    warnings: z.array(collectorWarningSchema),
  }),
  errors: z.array(collectorErrorSchema),
});

const STREAMED_KEYS = new Set(['assets', 'relations']);

async function* readV1(src: Source, opts: ReadOptions): AsyncGenerator<ResponseEvent> {
  const parser = new Parser({ packValues: true, streamValues: false });
  const feeding = pipeline(Readable.from(src), parser).catch((err: unknown) => {
    parser.destroy(err as Error);
  });
  const rest: Record<string, unknown> = {};
  let depth = 0; // 1 inside the root object, 2 inside a streamed array
  let key: string | null = null;
  let asm: Assembler | null = null; // assembling one value
  let streaming: 'assets' | 'relations' | null = null;
  let index = 0;
  let sawVersion = false;
  const finish = (value: unknown): ResponseEvent | undefined => {
    if (streaming === 'assets') {
      return { type: 'asset', asset: toAsset(value, `assets[${index++}]`, opts.fields) };
    }
    if (streaming === 'relations') {
      const relation = checked(collectorRelationSchema, value, `relations[${index++}]`);
      return { type: 'relation', relation };
    }
    if (key === 'schema_version') {
      sawVersion = true;
      if (value !== RESPONSE_SCHEMA_VERSION) {
        throw new PluginOutputError(
          'PLUGIN_SCHEMA_VERSION',
          `plugin answered schema_version ${JSON.stringify(value ?? null)}, expected ${RESPONSE_SCHEMA_VERSION} or ${RESPONSE_SCHEMA_VERSION_V2}`,
        );
      }
    } else if (key !== null) rest[key] = value;
    return undefined;
  };
  const scalar = (t: Token): unknown =>
    t.name === 'stringValue'
      ? t.value
      : t.name === 'numberValue'
        ? parseFloat(t.value!)
        : t.name === 'trueValue'
          ? true
          : t.name === 'falseValue'
            ? false
            : null;
  let ended = false;
  try {
    for await (const t of parser as AsyncIterable<Token>) {
      if (asm) {
        asm.consume(t);
        if (asm.done) {
          const value = asm.current as unknown;
          asm = null;
          const ev = finish(value);
          if (ev) yield ev;
        }
        continue;
      }
      if (depth === 0) {
        if (t.name !== 'startObject')
          throw new PluginOutputError('PLUGIN_OUTPUT_INVALID', 'plugin output is not a JSON object');
        depth = 1;
        continue;
      }
      if (depth === 1) {
        if (t.name === 'keyValue') {
          key = t.value!;
          continue;
        }
        if (t.name === 'endObject') {
          ended = true;
          continue;
        }
        if (key && STREAMED_KEYS.has(key) && t.name === 'startArray') {
          streaming = key as 'assets' | 'relations';
          index = 0;
          depth = 2;
          continue;
        }
      }
      if (depth === 2 && t.name === 'endArray') {
        streaming = null;
        depth = 1;
        continue;
      }
      if (t.name === 'startObject' || t.name === 'startArray') {
        asm = new Assembler();
        asm.consume(t);
        continue;
      }
      const ev = finish(scalar(t));
      if (ev) yield ev;
    }
  } catch (err) {
    if (err instanceof PluginOutputError) throw err;
    throw new PluginOutputError(
      'PLUGIN_OUTPUT_INVALID_JSON',
      depth === 0 ? 'plugin output is not valid JSON' : 'plugin output is not valid JSON (cut off or broken)',
      true,
    );
  } finally {
    parser.destroy();
    await feeding;
  }
  if (!ended && depth === 0)
    throw new PluginOutputError('PLUGIN_OUTPUT_INVALID_JSON', 'plugin wrote nothing on stdout', true);
  if (!ended)
    throw new PluginOutputError(
      'PLUGIN_OUTPUT_INVALID_JSON',
      'plugin output is cut off (not valid JSON)',
      true,
    );
  if (!sawVersion)
    throw new PluginOutputError(
      'PLUGIN_SCHEMA_VERSION',
      `plugin answered no schema_version, expected ${RESPONSE_SCHEMA_VERSION} or ${RESPONSE_SCHEMA_VERSION_V2}`,
    );
  const r = checked(v1RestSchema, rest, 'the response document');
  for (const w of r.stats.warnings) yield { type: 'warning', warning: w as Record<string, unknown> | string };
  for (const e of r.errors) yield { type: 'error', error: e };
  const { warnings: _w, ...stats } = r.stats;
  yield { type: 'end', version: 'v1', stats, detect: r.detect };
}

// ---------------------------------------------------------------- either

/**
 * The events of one response, v2 or v1 (told apart by the first line: a v2 stream starts with its header).
 * Throws PluginOutputError when the output breaks the contract.
 */
export async function* readResponse(
  chunks: AsyncIterable<Buffer>,
  opts: ReadOptions,
): AsyncGenerator<ResponseEvent> {
  const src = new Source(chunks[Symbol.asyncIterator]());
  // Sniff: read up to the first newline (or SNIFF_BYTES) and look for `"type":"header"`.
  const head: Buffer[] = [];
  let len = 0;
  let firstLine: string | undefined;
  for (let b = await src.next(); b; b = len < SNIFF_BYTES ? await src.next() : undefined) {
    head.push(b);
    const nl = b.indexOf(NL);
    if (nl !== -1) {
      firstLine = Buffer.concat([...head.slice(0, -1), b.subarray(0, nl)]).toString('utf8');
      len += b.length;
      break;
    }
    len += b.length;
  }
  for (const b of head.reverse()) src.unshift(b);
  let v2 = false;
  if (firstLine !== undefined) {
    try {
      const v = JSON.parse(firstLine) as unknown;
      v2 = typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
    } catch {
      // a line that is not JSON by itself: a (pretty-printed) v1 document, or garbage that v1 reports
      v2 = /^\s*\{\s*"type"\s*:/.test(firstLine);
    }
  }
  yield* v2 ? readV2(src, opts) : readV1(src, opts);
}
