// A CSV byte stream read from a server-side cursor: memory stays flat whatever the row count. The cursor
// lives in one read-only transaction on one pooled connection, released on end, error or cancel. UTF-8 with
// a byte-order mark, so spreadsheet tools read CJK text correctly; CRLF line ends.
import type { PoolClient } from 'pg';
import type { Db } from '@/db/client';
import { createLogger, errorFields } from '@/lib/logger';

const log = createLogger('export');
const BATCH = 1000;

export interface CursorCsv<Row> {
  /** The cursor's name (one per export kind, for the server's logs). */
  cursor: string;
  query: { sql: string; params: unknown[] };
  /** The header line, cells already escaped, without its line end. */
  header: string;
  /** The CSV lines of one batch of rows, each ending in CRLF. */
  lines: (rows: Row[]) => string | Promise<string>;
}

export function cursorCsvStream<Row>(db: Db, spec: CursorCsv<Row>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let client: PoolClient | null = null;
  const release = async (err?: unknown) => {
    const c: PoolClient | null = client;
    client = null;
    if (!c) return;
    try {
      await c.query(err ? 'rollback' : 'commit');
      c.release();
    } catch (e) {
      c.release(e as Error);
    }
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        client = await db.$client.connect();
        await client.query('begin isolation level repeatable read read only');
        await client.query(
          `declare ${spec.cursor} no scroll cursor for ${spec.query.sql}`,
          spec.query.params,
        );
      } catch (err) {
        log.error('export.failed', errorFields(err));
        await release(err);
        throw err;
      }
      controller.enqueue(enc.encode('\uFEFF' + spec.header + '\r\n'));
    },
    async pull(controller) {
      try {
        const r = await client!.query(`fetch ${BATCH} from ${spec.cursor}`);
        if (r.rows.length) controller.enqueue(enc.encode(await spec.lines(r.rows as Row[])));
        if (r.rows.length < BATCH) {
          await release();
          controller.close();
        }
      } catch (err) {
        log.error('export.failed', errorFields(err));
        await release(err);
        controller.error(err);
      }
    },
    async cancel() {
      await release(new Error('cancelled'));
    },
  });
}
