// The result report of an import as CSV: one line per row of the file with its outcome, asset, reason and
// changes. Cells go through the export's csvCell, so a formula-looking value stays text in a spreadsheet.
import { csvCell } from '@/server/exports/assets-csv';
import type { RowResult } from './evaluate-import';

const show = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function importReportCsv(rows: RowResult[]): string {
  const lines = ['row,outcome,assetUuid,assetName,reason,changes'];
  for (const r of rows) {
    const changes = r.changes.map((c) => `${c.field}: ${show(c.old)} → ${show(c.new)}`).join('; ');
    lines.push(
      [r.row, r.outcome, r.assetUuid, r.assetName, r.reason, changes].map((v) => csvCell(v)).join(','),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
