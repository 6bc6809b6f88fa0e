// The asset list as CSV, streamed from a server-side cursor so memory stays flat for any estate size.
// UTF-8 with a BOM: spreadsheet tools then read CJK names correctly.
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { cursorCsvStream } from './cursor-csv';
import { OBSERVED_FIELDS, OVERRIDE_FIELDS, fieldByKey } from '../fields/dictionary';
import { listLedgerFields, type LedgerField } from '../ledger-fields/fields';
import { assertLedgerKeys } from '../ledger-fields/list-filters';
import { assetOrderBy, assetSelect, type AssetFilters, type AssetListItem } from '../assets/service';

const dialect = new PgDialect();

// The list's own fields (those with a column on assets), in dictionary order, with the datacenter beside
// the host and cluster (a VM row carries its whole placement), then the effective primary IP and OS (the
// override where set); the ledger fields follow as one column each (streamAssetsCsv).
const LIST_COLUMNS = OBSERVED_FIELDS.filter((f) => f.exportable && f.column).map((f) => f.key);
const AFTER = LIST_COLUMNS.includes('hostName') ? LIST_COLUMNS.indexOf('hostName') + 1 : LIST_COLUMNS.length;
export const CSV_COLUMNS = [
  ...LIST_COLUMNS.slice(0, AFTER),
  'datacenter',
  ...LIST_COLUMNS.slice(AFTER),
  'primaryIp',
  'os',
] as (keyof AssetListItem | 'datacenter')[];

/** A column's header: its dictionary label (the effective primary IP and OS under the overrides' labels). */
function columnLabel(key: string, locale: 'en' | 'zh-CN'): string {
  const def = fieldByKey(key) ?? OVERRIDE_FIELDS.find((f) => f.key === `override.${key}`);
  return def ? def.label[locale] : key;
}

export function csvCell(value: unknown): string {
  let s: string;
  if (value === null || value === undefined) s = '';
  else if (value instanceof Date) s = value.toISOString();
  else if (Array.isArray(value)) s = value.join(' ');
  else s = String(value);
  // A leading =, +, - or @ would be run as a formula by spreadsheet tools (CSV injection).
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line: the observed columns, then one column per ledger field (in `ledgerKeys` order). */
export function csvRow(row: Record<string, unknown>, ledgerKeys: string[] = []): string {
  const ledger = (row.ledger ?? {}) as Record<string, unknown>;
  return (
    [...CSV_COLUMNS.map((c) => csvCell(row[c])), ...ledgerKeys.map((k) => csvCell(ledger[k]))].join(',') +
    '\r\n'
  );
}

export interface CsvLedgerColumns {
  /** Active ledger fields: one column each, headed by its label in `locale`. */
  fields: LedgerField[];
  locale: 'en' | 'zh-CN';
}

/** The export of the list as filtered: checks ledger filter/sort keys first (400, not a broken download). */
export async function exportAssetsCsv(
  db: Db,
  f: AssetFilters,
  sort: string | undefined,
  locale: 'en' | 'zh-CN' = 'en',
): Promise<ReadableStream<Uint8Array>> {
  await assertLedgerKeys(db, f.ledger, sort);
  return streamAssetsCsv(db, f, sort, { fields: await listLedgerFields(db), locale });
}

/**
 * A byte stream of the CSV (cursor-csv.ts). The sort is validated before the stream starts (an unknown key
 * is a 400, not a broken download).
 */
export function streamAssetsCsv(
  db: Db,
  f: AssetFilters,
  sort?: string,
  ledger: CsvLedgerColumns = { fields: [], locale: 'en' },
): ReadableStream<Uint8Array> {
  const ledgerKeys = ledger.fields.map((d) => d.key);
  // Labels, as on the page and in the workbook; the import reads them back (src/server/imports/columns.ts).
  const header = [
    ...CSV_COLUMNS.map((c) => columnLabel(c, ledger.locale)),
    ...ledger.fields.map((d) => d.label[ledger.locale]),
  ]
    .map(csvCell)
    .join(',');
  const order = assetOrderBy(sort, f.q);
  const query = dialect.sqlToQuery(
    sql`${assetSelect(f, undefined, { withDatacenter: true })} order by ${order}`,
  );
  return cursorCsvStream<Record<string, unknown>>(db, {
    cursor: 'asset_export',
    query,
    header,
    lines: (rows) => rows.map((row) => csvRow(row, ledgerKeys)).join(''),
  });
}
