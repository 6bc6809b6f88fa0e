// Reads an uploaded CSV into header + rows: UTF-8 (with or without BOM) or GB18030/GBK (what Excel writes
// for a Chinese locale), detected or chosen; `,` `;` or tab, detected from the header line or chosen;
// quoted fields with newlines (csv-parse). Anything that is not such a file — binary bytes, text in
// neither encoding, ragged rows — is a 400 that says what is wrong, decided on the first bytes where it can be.
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AppError } from '@/lib/errors';

export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;
export const ENCODINGS = ['auto', 'utf-8', 'gb18030'] as const;
export const DELIMITERS = { auto: null, comma: ',', semicolon: ';', tab: '\t' } as const;
export type EncodingChoice = (typeof ENCODINGS)[number];
export type DelimiterChoice = keyof typeof DELIMITERS;

export interface ParsedFile {
  encoding: 'utf-8' | 'gb18030';
  delimiter: ',' | ';' | '\t';
  header: string[];
  /** Data rows (after the header), each as long as the header. */
  rows: string[][];
}

const bad = (message: string, details?: Record<string, unknown>) =>
  new AppError('IMPORT_FILE_INVALID', message, { status: 400, details });

/** Binary content (NUL bytes or many control characters) in the first 64 KiB: not a text file. */
function assertText(buf: Buffer) {
  const head = buf.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of head) {
    if (b === 0) throw bad('The file is not a CSV text file (it contains binary data)');
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control > head.length / 100) throw bad('The file is not a CSV text file (it contains binary data)');
}

function decode(buf: Buffer, choice: EncodingChoice): { text: string; encoding: ParsedFile['encoding'] } {
  const hasBom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  if (choice === 'utf-8' || (choice === 'auto' && hasBom)) {
    return { text: new TextDecoder('utf-8').decode(hasBom ? buf.subarray(3) : buf), encoding: 'utf-8' };
  }
  if (choice === 'auto') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
    } catch {
      // Not UTF-8: GB18030 (a superset of GBK and GB2312) is what a Chinese-locale Excel writes.
    }
  }
  const text = iconv.decode(buf, 'gb18030');
  // GB18030 maps almost every byte sequence, but random bytes decode to unassigned or private-use points.
  const odd = text.match(/[\uFFFD\uE000-\uF8FF]/g)?.length ?? 0;
  if (odd > Math.max(3, text.length / 1000)) {
    throw bad('The file is neither UTF-8 nor GB18030 text: choose its encoding or save it as CSV (UTF-8)');
  }
  return { text, encoding: 'gb18030' };
}

/** The separator that splits the header line into the most fields (outside quotes). */
function detectDelimiter(text: string): ParsedFile['delimiter'] {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text.slice(0, 64 * 1024)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.entries(counts) as [ParsedFile['delimiter'], number][]).sort(
    (a, b) => b[1] - a[1],
  )[0]!;
  return best[1] > 0 ? best[0] : ',';
}

export function parseImportFile(
  buf: Buffer,
  opts: { encoding?: EncodingChoice; delimiter?: DelimiterChoice } = {},
): ParsedFile {
  if (!buf.length) throw bad('The file is empty');
  if (buf.length > MAX_IMPORT_BYTES)
    throw bad(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  assertText(buf);
  const { text, encoding } = decode(buf, opts.encoding ?? 'auto');
  const delimiter = DELIMITERS[opts.delimiter ?? 'auto'] ?? detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_quotes: false,
      max_record_size: 256 * 1024,
      to: MAX_IMPORT_ROWS + 1,
    }) as string[][];
  } catch (err) {
    const e = err as { message?: string; lines?: number; code?: string };
    throw bad(
      `The file is not valid CSV (line ${e.lines ?? '?'}): ${String(e.message ?? err).slice(0, 200)}`,
      {
        line: e.lines ?? null,
        code: e.code ?? null,
      },
    );
  }
  if (!records.length) throw bad('The file has no header line');
  const [header, ...rows] = records;
  if (rows.length > MAX_IMPORT_ROWS) throw bad(`The file has more than ${MAX_IMPORT_ROWS} rows`);
  return { encoding, delimiter, header: header!.map((h) => h.trim()), rows };
}
