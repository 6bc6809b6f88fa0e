// COPY FROM STDIN in PostgreSQL's binary format: one round trip for any number of rows. Binary rather than
// text because ingest sends megabytes of JSON: each value is written once, straight into the outgoing
// buffer with a length in front, with no escaping pass in Node and no delimiter scan in PostgreSQL.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The wire type of a column. Enum columns take `text` (their label). */
export type CopyType =
  'int4' | 'int8' | 'bool' | 'text' | 'jsonb' | 'uuid' | 'timestamptz' | 'bytea' | 'text[]';

export type CopyValue = string | number | boolean | Buffer | Date | readonly string[] | null | undefined;

export type CopyColumn = readonly [name: string, type: CopyType];

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const CHUNK = 1 << 20;
const SHORT = 64;
// What a source must bring within a feed's idleMs, while the COPY waits for it, not to count as slow (about
// what a 1 MB buffer used to hold when this was judged by how soon one filled).
const CUT_BYTES = 1 << 20;
// A feed's buffers are smaller: PostgreSQL takes each as soon as it is full (an unchanged object's row is
// only ~100 bytes, and a 1 MB buffer held most of a 10,000-VM re-run until the stream's end), and they are
// still in the CPU's cache when sent (an unchanged 10,000-VM re-run took 40 ms longer with 1 MB ones).
const FEED_CHUNK = 1 << 18;
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TEXT_OID = 25;
const UUID_DASHES = [8, 13, 18, 23];
const UUID_BYTES = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const hexDigit = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;

/** Writes rows into buffers of `chunk` bytes, yielding each when full; strings are UTF-8 encoded in place. */
class BinaryRows {
  private buf: Buffer;
  constructor(private readonly chunk = CHUNK) {
    this.buf = Buffer.allocUnsafe(chunk);
  }
  private at = 0;
  private lastTs: { key: string | number; micros: bigint } | null = null;
  private readonly full: Buffer[] = [];

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    if (this.at) this.full.push(this.buf.subarray(0, this.at));
    this.buf = Buffer.allocUnsafe(Math.max(this.chunk, n));
    this.at = 0;
  }

  raw(b: Buffer): void {
    this.room(b.length);
    this.at += b.copy(this.buf, this.at);
  }

  int16(n: number): void {
    this.room(2);
    this.at = this.buf.writeInt16BE(n, this.at);
  }

  int32(n: number): void {
    this.room(4);
    this.at = this.buf.writeInt32BE(n, this.at);
  }

  /** A length-prefixed UTF-8 string (with an optional leading byte, for jsonb's version). */
  string(s: string, lead?: number): void {
    const extra = lead === undefined ? 0 : 1;
    // a UTF-16 code unit takes at most 3 bytes in UTF-8: reserve that, write, then fill in the real length
    this.room(4 + extra + s.length * 3);
    const start = this.at;
    let at = start + 4;
    if (lead !== undefined) this.buf[at++] = lead;
    at = s.length <= SHORT ? this.short(s, at) : at + this.buf.write(s, at, 'utf8');
    this.buf.writeInt32BE(at - start - 4, start);
    this.at = at;
  }

  // Keys, ids and hashes are short and ASCII: copied in a loop rather than by a call into the encoder,
  // which costs more than the copy for them (most of an unchanged re-run's row encoding).
  private short(s: string, at: number): number {
    const buf = this.buf;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) return at - i + buf.write(s, at - i, 'utf8');
      buf[at++] = c;
    }
    return at;
  }

  value(v: CopyValue, type: CopyType): void {
    if (v === null || v === undefined) {
      this.room(4);
      const buf = this.buf;
      buf[this.at] = buf[this.at + 1] = buf[this.at + 2] = buf[this.at + 3] = 0xff; // length -1: NULL
      this.at += 4;
      return;
    }
    switch (type) {
      case 'text':
        return this.string(String(v));
      case 'jsonb':
        return this.string(String(v), 1);
      case 'int4':
        this.int32(4);
        return this.int32(Number(v));
      case 'int8':
        this.room(12);
        this.at = this.buf.writeInt32BE(8, this.at);
        this.at = this.buf.writeBigInt64BE(BigInt(v as number), this.at);
        return;
      case 'bool':
        this.room(5);
        this.at = this.buf.writeInt32BE(1, this.at);
        this.buf[this.at++] = v ? 1 : 0;
        return;
      case 'uuid':
        this.room(20);
        this.at = this.buf.writeInt32BE(16, this.at);
        return this.uuid(String(v));
      case 'timestamptz': {
        const key = v instanceof Date ? v.getTime() : String(v);
        if (this.lastTs?.key !== key) {
          const ms = v instanceof Date ? v.getTime() : Date.parse(String(v));
          if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${String(v)}`);
          this.lastTs = { key, micros: BigInt(ms - PG_EPOCH_MS) * 1000n };
        }
        this.room(12);
        this.at = this.buf.writeInt32BE(8, this.at);
        this.at = this.buf.writeBigInt64BE(this.lastTs.micros, this.at);
        return;
      }
      case 'bytea': {
        const b = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
        this.int32(b.length);
        return this.raw(b);
      }
      case 'text[]': {
        // one-dimensional array of text: length, header, then each element length-prefixed
        const items = v as readonly string[];
        let size = items.length ? 20 : 12;
        for (const x of items) size += 4 + Buffer.byteLength(x);
        this.int32(size);
        this.int32(items.length ? 1 : 0); // dimensions
        this.int32(0); // no nulls
        this.int32(TEXT_OID);
        if (items.length) {
          this.int32(items.length);
          this.int32(1); // lower bound
        }
        for (const x of items) this.string(x);
        return;
      }
    }
  }

  /** Whether a buffer is full and waiting to be drained. */
  get hasFull(): boolean {
    return this.full.length > 0;
  }

  /** Bytes written and not yet drained. */
  get pending(): number {
    let n = this.at;
    for (const b of this.full) n += b.length;
    return n;
  }

  /** The buffers filled so far, and with `end` the one being filled. */
  *drain(end = false): Generator<Buffer> {
    while (this.full.length) yield this.full.shift()!;
    if (end && this.at) yield this.buf.subarray(0, this.at);
  }

  // 8-4-4-4-12 hex digits into 16 bytes, without the intermediate strings of a replace.
  private uuid(s: string): void {
    const bad = () => new Error(`not a uuid: ${s}`);
    if (s.length !== 36 || UUID_DASHES.some((i) => s.charCodeAt(i) !== 45)) throw bad();
    for (let k = 0; k < 16; k++) {
      const hi = hexDigit(s.charCodeAt(UUID_BYTES[k]!));
      const lo = hexDigit(s.charCodeAt(UUID_BYTES[k]! + 1));
      if (hi < 0 || lo < 0) throw bad();
      this.buf[this.at + k] = (hi << 4) | lo;
    }
    this.at += 16;
  }
}

/** Writes one row in COPY's binary format. */
function writeRow(table: string, columns: readonly CopyColumn[], w: BinaryRows, row: readonly CopyValue[]) {
  if (row.length !== columns.length)
    throw new Error(`COPY ${table}: ${row.length} values for ${columns.length} columns`);
  w.int16(columns.length);
  for (let i = 0; i < columns.length; i++) w.value(row[i], columns[i]![1]);
}

function header(): BinaryRows {
  const w = new BinaryRows();
  w.raw(SIGNATURE);
  w.int32(0); // flags
  w.int32(0); // header extension
  return w;
}

function* trailer(w: BinaryRows): Generator<Buffer> {
  w.int16(-1);
  yield* w.drain(true);
}

const copyQuery = (table: string, columns: readonly CopyColumn[]) =>
  copyFrom(`COPY ${table} (${columns.map(([name]) => name).join(', ')}) FROM STDIN (FORMAT binary)`);

/** Streams `rows` into `table(columns)`; rows are produced lazily, so memory stays at a few buffers. */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly CopyColumn[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<void> {
  function* chunks(): Generator<Buffer> {
    const w = header();
    for (const row of rows) {
      writeRow(table, columns, w, row);
      yield* w.drain();
    }
    yield* trailer(w);
  }
  await pipeline(Readable.from(chunks()), client.query(copyQuery(table, columns)));
}

export interface CopyFeedOptions {
  /** Encoded bytes the feed may hold before it stops pulling items (its back-pressure). */
  aheadBytes: number;
  /** The same between two segments, while the caller uses the connection (default aheadBytes). */
  aheadBytesBetween?: number;
  /**
   * Whether the caller has work for the connection. When it has, and the COPY has taken every row encoded
   * so far and waited `idleMs` for the source in vain, the COPY ends there (copySegment returns 'cut'), so
   * the caller can use the connection while the source is slow; the feed keeps encoding meanwhile, up to
   * aheadBytes. A source that keeps the COPY busy is never cut.
   */
  wantsCut?: () => boolean;
  idleMs?: number;
}

/**
 * Rows of an asynchronous source, encoded as they arrive by a loop of their own and taken by one COPY after
 * another (segments). The loop stops pulling while `aheadBytes` wait, so memory is bounded by that and not
 * by the source; between two segments it goes on pulling, so a slow source and the statements the caller
 * runs between segments overlap. An error of the source is thrown by the segment that reaches it (the COPY
 * is cancelled); stop() ends the loop after the item it waits for.
 */
export class CopyFeed<T> {
  private rows = new BinaryRows(FEED_CHUNK);
  /** the COPY waits for the next buffer without a time limit (the caller had no work for it then) */
  private waitsForBuffer = false;
  /** bytes handed to the queue so far (with the rows of the buffer in the making: encodedBytes()) */
  private pushedBytes = 0;
  /**
   * Whether the loop waits for the source's next item. The COPY looks when a timer fires, so between two
   * macrotasks: then a source that is always ready (a response in memory) never has the loop waiting for
   * it, however slowly the process runs; a collector that is slower than the COPY mostly has.
   */
  private sourceWaiting = false;
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private done = false;
  private stopped = false;
  private error: unknown = null;
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;
  private readonly pump: Promise<void>;

  constructor(
    private readonly table: string,
    private readonly columns: readonly CopyColumn[],
    items: AsyncIterable<T>,
    private readonly toRow: (item: T) => readonly CopyValue[] | null,
    private readonly options: CopyFeedOptions,
  ) {
    this.pump = this.fill(items);
  }

  private async fill(items: AsyncIterable<T>): Promise<void> {
    const it = items[Symbol.asyncIterator]();
    let open = true; // the source may hold more items: closed if the loop ends before it does
    try {
      for (;;) {
        let next: IteratorResult<T>;
        this.sourceWaiting = true;
        try {
          next = await it.next();
        } catch (err) {
          open = false;
          throw err;
        } finally {
          this.sourceWaiting = false;
        }
        if (next.done) {
          open = false;
          return;
        }
        if (this.stopped) return;
        const row = this.toRow(next.value);
        if (row) {
          writeRow(this.table, this.columns, this.rows, row);
          // The COPY waits for a full buffer, having had no reason to end yet: now that the caller has
          // work, it should end as soon as the source is slow (not only once this buffer is full).
          if (this.waitsForBuffer && this.options.wantsCut?.()) this.wake();
          // a generator per row costs more than the row: only when a buffer is full
          if (this.rows.hasFull) {
            for (const b of this.rows.drain()) this.push(b);
            // A source that is always ready (a response in memory, a pipe with many lines buffered) never
            // leaves the microtask queue: the COPY would get the buffers only once the source ran dry.
            await nextMacrotask();
          }
        }
        while (this.queued >= this.ahead() && !this.stopped)
          await new Promise<void>((resolve) => (this.wakeProducer = resolve));
        if (this.stopped) return;
      }
    } catch (err) {
      this.error = err;
    } finally {
      if (open) await it.return?.()?.catch(() => undefined);
      this.done = true;
      this.wake();
    }
  }

  private between = false;

  private ahead(): number {
    return this.between
      ? (this.options.aheadBytesBetween ?? this.options.aheadBytes)
      : this.options.aheadBytes;
  }

  private push(b: Buffer): void {
    this.queue.push(b);
    this.queued += b.length;
    this.pushedBytes += b.length;
    this.wake();
  }

  private wake(): void {
    const w = this.wakeConsumer;
    this.wakeConsumer = null;
    w?.();
  }

  /**
   * The rows in the making, for a segment's end; the loop goes on with a new buffer at once. The trailer is
   * sent in several writes, and the loop runs between them: had it kept writing into these rows, a row
   * could land after the end marker or be dropped with them (a cut 100,000-object run failed with "row
   * field count is 0").
   */
  private takeRows(): BinaryRows {
    const rows = this.rows;
    this.rows = new BinaryRows(FEED_CHUNK);
    return rows;
  }

  private take(): Buffer {
    const b = this.queue.shift()!;
    this.queued -= b.length;
    const w = this.wakeProducer;
    this.wakeProducer = null;
    w?.();
    return b;
  }

  /** The next segment as one COPY: 'end' when the source is exhausted, 'cut' when cutWhenIdle ended it. */
  async copySegment(client: pg.PoolClient): Promise<'end' | 'cut'> {
    let result = 'end' as 'end' | 'cut';
    this.between = false;
    const segment = async function* (this: CopyFeed<T>): AsyncGenerator<Buffer> {
      yield* header().drain(true);
      // while the caller has work: since when the COPY has been watching the source, and the bytes then
      let window: { since: number; bytes: number } | null = null;
      for (;;) {
        if (this.queue.length) {
          yield this.take();
          continue;
        }
        if (this.done) {
          if (this.error) throw this.error;
          yield* trailer(this.takeRows());
          return;
        }
        // Every full buffer is sent: the rows of the one in the making wait until it is full or the source
        // ends, unless the caller has work for the connection and the source is slower than the COPY: over
        // idleMs in which the COPY had taken every full buffer, the source brought less than CUT_BYTES
        // (judged by bytes, not by how soon a buffer fills, which depends on its size), and the loop is
        // waiting for it now (not merely slow itself, as on a loaded machine).
        const idleMs = this.options.idleMs ?? 25;
        if (!(this.options.wantsCut?.() ?? false)) {
          window = null;
          await this.waitForRows();
          continue;
        }
        const now = performance.now();
        window ??= { since: now, bytes: this.encodedBytes() };
        if (now - window.since < idleMs) {
          await this.waitForRows(idleMs - (now - window.since));
          continue;
        }
        if (this.encodedBytes() - window.bytes >= CUT_BYTES || !this.sourceWaiting) {
          window = null; // a fast stretch, or the source is not what is slow: watch the next one
          continue;
        }
        result = 'cut';
        yield* trailer(this.takeRows());
        return;
      }
    }.call(this);
    await pipeline(
      Readable.from(segment, { highWaterMark: 1 }),
      client.query(copyQuery(this.table, this.columns)),
    );
    if (result === 'cut') {
      this.between = true;
      const w = this.wakeProducer;
      this.wakeProducer = null;
      w?.();
    }
    return result;
  }

  private encodedBytes(): number {
    return this.pushedBytes + this.rows.pending;
  }

  /** Resolves when the loop has pushed a buffer or ended, or after `ms` (if given). */
  private waitForRows(ms?: number): Promise<void> {
    this.waitsForBuffer = ms === undefined;
    return new Promise<void>((resolve) => {
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(() => {
              this.wakeConsumer = null;
              resolve();
            }, ms);
      this.wakeConsumer = () => {
        clearTimeout(timer);
        this.waitsForBuffer = false;
        resolve();
      };
    });
  }

  /** Ends the loop (the caller failed): the source is not pulled again, whatever it still holds. */
  stop(): void {
    this.stopped = true;
    const w = this.wakeProducer;
    this.wakeProducer = null;
    w?.();
  }

  /** Settles when the loop has ended (it never rejects: the source's error is thrown by a segment). */
  get ended(): Promise<void> {
    return this.pump;
  }
}
