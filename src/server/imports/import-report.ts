// The result report of an import as CSV: one line per row of the file with its outcome, asset, reason and
// changes. Built by PostgreSQL from the evaluated rows (ledger_import_rows), so a 50,000-row report is
// never a string in the web process unless it is the answer. Cells are quoted as the export's csvCell
// does: a formula-looking value gets a leading ' and stays text in a spreadsheet.
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@/db/client';

const HEADER = 'row,outcome,assetUuid,assetName,reason,changes';

/** csvCell (src/server/exports/assets-csv.ts) in SQL, for a text expression. */
const cell = (
  e: SQL,
) => sql`(select case when x ~ '[",\\r\\n]' then '"' || replace(x, '"', '""') || '"' else x end
  from (select case when v ~ '^[=+\\-@\\t\\r]' then '''' || v else v end as x
        from (select coalesce(${e}, '') as v) a) b)`;

/** The report of the rows evaluated in this transaction (UTF-8 with a BOM, CRLF lines). */
export async function importReportCsv(tx: Tx): Promise<string> {
  const r = await tx.execute<{ report: string }>(sql`select (${reportSql()}) as report`);
  return r.rows[0]!.report;
}

/** The report as a SQL expression (`select …`), for storing it without reading it. */
export function reportSql(): SQL {
  return sql`select ${'\uFEFF' + HEADER + '\r\n'}::text || coalesce(string_agg(concat_ws(',', r.row::text,
      ${cell(sql`r.outcome`)}, ${cell(sql`r.asset_uuid::text`)}, ${cell(sql`r.asset_name`)},
      ${cell(sql`r.reason`)}, ${cell(sql`c.changes`)}) || ${'\r\n'}::text, '' order by r.row), '')
    from ledger_import_rows r
    cross join lateral (
      select string_agg((e ->> 'field') || ': ' || coalesce(e ->> 'old', '') || ' → ' || coalesce(e ->> 'new', ''),
                        '; ' order by i) as changes
      from jsonb_array_elements(r.changes) with ordinality x(e, i)) c`;
}
