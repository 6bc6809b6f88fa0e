// Reads an uploaded CSV as a header and then its data rows in batches: UTF-8 (with or without BOM) or
// GB18030/GBK (what Excel writes for a Chinese locale), detected or chosen; `,` `;` or tab, detected from
// the header line or chosen; quoted fields with newlines (csv-parse). The bytes are decoded and parsed as
// the rows are consumed, so an import holds one batch of rows, never the whole file as text or as rows.
// Anything that is not such a file — binary bytes, text in neither encoding, ragged rows — is a 400 that
// says what is wrong, decided on the first bytes where it can be.
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '@/lib/errors';

export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;
export const ENCODINGS = ['auto', 'utf-8', 'gb18030'] as const;
export const DELIMITERS = { auto: null, comma: ',', semicolon: ';', tab: '\t' } as const;
export type EncodingChoice = (typeof ENCODINGS)[number];
export type DelimiterChoice = keyof typeof DELIMITERS;

const CHUNK = 64 * 1024;

export interface ImportFile {
  encoding: 'utf-8' | 'gb18030';
  delimiter: ',' | ';' | '\t';
  header: string[];
  /** The data rows (after the header, each as long as it) in batches of up to `size`; read once. */
  batches(size: number): AsyncGenerator<string[][]>;
}

const bad = (message: string, details?: Record<string, unknown>) =>
  new AppError('IMPORT_FILE_INVALID', message, { status: 400, details });

/** Binary content (NUL bytes or many control characters) in the first 64 KiB: not a text file. */
function assertText(buf: Buffer) {
  const head = buf.subarray(0, CHUNK);
  let control = 0;
  for (const b of head) {
    if (b === 0) throw bad('The file is not a CSV text file (it contains binary data)');
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control > head.length / 100) throw bad('The file is not a CSV text file (it contains binary data)');
}

function detectEncoding(buf: Buffer, choice: EncodingChoice): ImportFile['encoding'] {
  if (choice !== 'auto') return choice;
  const hasBom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  // Not UTF-8: GB18030 (a superset of GBK and GB2312) is what a Chinese-locale Excel writes.
  return hasBom || isUtf8(buf) ? 'utf-8' : 'gb18030';
}

/** The text in 64 KiB pieces. GB18030 maps almost every byte sequence, but random bytes decode to
 *  unassigned or private-use points: too many of those so far and it is not GB18030 text. */
function* decodeChunks(buf: Buffer, encoding: ImportFile['encoding']): Generator<string> {
  if (encoding === 'utf-8') {
    const dec = new TextDecoder('utf-8');
    for (let i = 0; i < buf.length; i += CHUNK)
      yield dec.decode(buf.subarray(i, i + CHUNK), { stream: true });
    yield dec.decode();
    return;
  }
  const dec = iconv.getDecoder('gb18030');
  let odd = 0;
  let length = 0;
  for (let i = 0; i <= buf.length; i += CHUNK) {
    const text = i < buf.length ? dec.write(buf.subarray(i, i + CHUNK)) : (dec.end() ?? '');
    odd += text.match(/[\uFFFD\uE000-\uF8FF]/g)?.length ?? 0;
    length += text.length;
    if (odd > Math.max(3, length / 1000)) {
      throw bad('The file is neither UTF-8 nor GB18030 text: choose its encoding or save it as CSV (UTF-8)');
    }
    yield text;
  }
}

/** The separator that splits the header line into the most fields (outside quotes). */
function detectDelimiter(text: string): ImportFile['delimiter'] {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.entries(counts) as [ImportFile['delimiter'], number][]).sort(
    (a, b) => b[1] - a[1],
  )[0]!;
  return best[1] > 0 ? best[0] : ',';
}

function invalidCsv(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { message?: string; lines?: number; code?: string };
  return bad(
    `The file is not valid CSV (line ${e.lines ?? '?'}): ${String(e.message ?? err).slice(0, 200)}`,
    {
      line: e.lines ?? null,
      code: e.code ?? null,
    },
  );
}

export async function parseImportFile(
  buf: Buffer,
  opts: { encoding?: EncodingChoice; delimiter?: DelimiterChoice } = {},
): Promise<ImportFile> {
  if (!buf.length) throw bad('The file is empty');
  if (buf.length > MAX_IMPORT_BYTES)
    throw bad(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  assertText(buf);
  const encoding = detectEncoding(buf, opts.encoding ?? 'auto');
  const chunks = decodeChunks(buf, encoding);
  const first = chunks.next();
  const firstText = first.done ? '' : first.value;
  const delimiter = DELIMITERS[opts.delimiter ?? 'auto'] ?? detectDelimiter(firstText);
  const parser = parse({
    delimiter,
    bom: true,
    skip_empty_lines: true,
    relax_quotes: false,
    max_record_size: 256 * 1024,
  });
  const input = Readable.from(
    (function* () {
      yield firstText;
      yield* chunks;
    })(),
    { objectMode: false },
  );
  // A decoding error (not GB18030 after all) ends the parse with that error.
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const next = async () => {
    try {
      return await records.next();
    } catch (err) {
      throw invalidCsv(err);
    }
  };
  const head = await next();
  if (head.done) throw bad('The file has no header line');
  let used = false;
  return {
    encoding,
    delimiter,
    header: head.value.map((h) => h.trim()),
    async *batches(size: number) {
      if (used) throw new Error('an import file is read once');
      used = true;
      let rows = 0;
      let batch: string[][] = [];
      try {
        for (let r = await next(); !r.done; r = await next()) {
          if (++rows > MAX_IMPORT_ROWS) throw bad(`The file has more than ${MAX_IMPORT_ROWS} rows`);
          batch.push(r.value);
          if (batch.length >= size) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
      } finally {
        // Stops the parse when the reader stops early (an error, or the request gone).
        input.destroy();
        parser.destroy();
      }
    },
  };
}
