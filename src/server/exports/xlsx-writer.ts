// Writes the workbook's sheets one after another with exceljs' streaming WorkbookWriter: each row is
// committed (serialized, then dropped) as it is added, and a sheet is finished before the next begins, so
// memory holds one batch of rows, not the workbook. Cells are typed (numbers, dates, booleans), the
// header row is frozen and carries an autofilter, and every string is written as a string — exceljs only
// writes a formula for a { formula } value, so a name like "=cmd|calc" stays text.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../../i18n';
import { columnHeader, type SheetDef } from './workbook-sheets';

const MIB = 1024 * 1024;
const EXCEL_MAX_TEXT = 32_767;
// Characters XML 1.0 cannot hold: one in a cell would make the file unreadable.
function xmlSafe(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) continue;
    out += ch;
  }
  return out;
}

const text = (s: string): string => {
  // Most strings are clean: test before rebuilding.
  const clean = /^[\t\n\r\u0020-\ufffd]*$/u.test(s) ? s : xmlSafe(s);
  return clean.length > EXCEL_MAX_TEXT ? clean.slice(0, EXCEL_MAX_TEXT) : clean;
};

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** The typed cell value for a column type. */
export function cellValue(type: string, v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'number':
      return toNumber(v);
    case 'mib': {
      const n = toNumber(v);
      return n === null ? null : Math.round((n / MIB) * 100) / 100;
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      const d = v instanceof Date ? v : new Date(String(v));
      return Number.isNaN(d.getTime()) ? null : d;
    }
    case 'list':
      return Array.isArray(v) ? text(v.map(String).join(', ')) || null : text(String(v));
    default:
      return typeof v === 'object' ? text(JSON.stringify(v)) : text(String(v));
  }
}

const NUM_FMT: Record<string, string | undefined> = {
  mib: '#,##0',
  number: '#,##0.##',
  date: 'yyyy-mm-dd hh:mm:ss',
};

export class XlsxWriter {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;

  constructor(
    private readonly out: Writable,
    private readonly locale: Locale = 'en',
  ) {
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      // Inline strings: a shared-string table would keep every distinct string until the end.
      useSharedStrings: false,
    });
    this.wb.creator = 'Asset Ledger';
    this.wb.created = new Date();
  }

  /** Writes one sheet from batches of rows (an async iterable of arrays, e.g. cursor fetches). */
  async sheet<R>(def: SheetDef<R>, batches: AsyncIterable<R[]> | Iterable<R[]>): Promise<number> {
    const ws = this.wb.addWorksheet(def.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = def.columns.map((c) => ({
      key: c.key,
      width: c.width ?? 14,
      style: NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {},
    }));
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: def.columns.length } };
    const header = ws.addRow(def.columns.map((c) => columnHeader(c as never, this.locale)));
    header.font = { bold: true };
    header.commit();
    let count = 0;
    for await (const batch of batches) {
      for (const r of batch) {
        ws.addRow(def.columns.map((c) => cellValue(c.type, c.value(r)))).commit();
      }
      count += batch.length;
      await this.drained();
    }
    ws.commit();
    return count;
  }

  /** Finishes the workbook (styles, relations, the zip's directory); resolves when all is written. */
  async finish(): Promise<void> {
    const done = once(this.out, 'finish');
    await this.wb.commit();
    if (!this.out.writableFinished) await done;
  }

  // Back-pressure: let the zip stream deflate what was committed, and wait while the reader is behind.
  private async drained(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    if (this.out.writableNeedDrain && !this.out.destroyed) {
      await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]);
    }
    // The reader went away (download cancelled): stop reading the database.
    if (this.out.destroyed) throw new Error('export cancelled: the output stream was closed');
  }
}
