// A CSV import of ledger values (issue 13 §5). Both modes evaluate every row in one transaction into a
// temporary table (evaluateImport). A dry run then answers and writes no ledger table. An apply writes all
// valid matched rows at once, from that table (set-based, with one history event per changed asset
// carrying the import id), or — in strict mode, or when nothing is valid — nothing at all; it stores the
// result report and audits the import. The answer lists at most `list.limit` rows: the full per-row result
// is the report, so memory does not grow with the file.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { applyLedgerPatches } from '@/server/ledger-fields/apply-ledger-patches';
import { applyOverridePatches } from '@/server/ledger-fields/apply-override-patches';
import { audit, type Actor } from '@/server/users/actor';
import {
  evaluateImport,
  importOverrides,
  importPatches,
  listImportRows,
  type Evaluation,
  type Outcome,
  type RowResult,
} from './evaluate-import';
import { importReportCsv, reportSql } from './import-report';
import type { ImportFile } from './parse-import-file';

export interface ImportOptions {
  mode: 'dry_run' | 'apply';
  strict: boolean;
  clearEmpty: boolean;
  fileName: string | null;
  /** Which rows the answer lists (default: the first 1,000). */
  list?: { outcome?: Outcome; limit: number };
  /** Also answer with the whole per-row report as CSV. */
  report?: boolean;
}

export interface ImportResult extends Evaluation {
  importId: string | null;
  mode: ImportOptions['mode'];
  status: 'dry_run' | 'applied' | 'rejected';
  encoding: string;
  delimiter: string;
  applied: number;
  rows: RowResult[];
  rowsListed: number;
  report?: string;
}

export async function runImport(
  db: Db,
  actor: Actor,
  file: ImportFile,
  opts: ImportOptions,
): Promise<ImportResult> {
  const base = { encoding: file.encoding, delimiter: file.delimiter, mode: opts.mode };
  return db.transaction(async (tx) => {
    const ev = await evaluateImport(tx, file, { clearEmpty: opts.clearEmpty });
    const answer = async () => {
      const rows = await listImportRows(tx, opts.list ?? { limit: 1000 });
      const report = opts.report ? await importReportCsv(tx) : undefined;
      return { rows, rowsListed: rows.length, ...(report === undefined ? {} : { report }) };
    };
    if (opts.mode === 'dry_run') {
      return { ...ev, ...base, importId: null, status: 'dry_run' as const, applied: 0, ...(await answer()) };
    }
    const rejected = opts.strict && ev.summary.invalid > 0;
    const importId = randomUUID();
    let applied = 0;
    if (!rejected && ev.summary.changed) {
      const ctx = { reason: 'import' as const, importId, actor };
      applied = await applyLedgerPatches(tx, importPatches, ctx);
      if (ev.columns.overrides.length) {
        await applyOverridePatches(tx, importOverrides, ctx);
        // An asset counts once: both writers stamp what they changed with this transaction's now().
        const n = await tx.execute<{ n: number }>(sql`
          select count(*)::int as n from ledger_import_rows r join asset_ledger l on l.asset_uuid = r.asset_uuid
          where r.outcome = 'matched' and l.updated_at = now() and l.version > 0`);
        applied = n.rows[0]!.n;
      }
    }
    const status = rejected ? 'rejected' : 'applied';
    const summary = { ...ev.summary, applied };
    await tx.execute(sql`
      insert into ledger_imports (id, created_by, created_by_label, file_name, encoding, delimiter, strict, summary, report)
      values (${importId}, ${actor.userId}, ${actor.label}, ${opts.fileName}, ${file.encoding}, ${file.delimiter},
              ${opts.strict}, ${JSON.stringify({ ...summary, rejected: rejected ? 1 : 0 })}::jsonb, (${reportSql()}))`);
    await audit(
      tx,
      actor,
      'ledger.import',
      { type: 'ledger_import', id: importId },
      {
        status,
        fileName: opts.fileName,
        strict: opts.strict,
        ...summary,
      },
    );
    return { ...ev, ...base, importId, status, applied, ...(await answer()) };
  });
}

/** Applied (or rejected) imports, newest first; with `id`, that one first even when it is older. */
export async function listImports(db: Db, p: { limit: number; offset: number; id?: string }) {
  const [items, total] = await Promise.all([
    db.execute(sql`
      select id, created_at as "createdAt", created_by_label as "createdBy", file_name as "fileName", encoding,
             delimiter, strict, summary from ledger_imports
      order by ${p.id ? sql`id = ${p.id} desc,` : sql``} created_at desc, id limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_imports`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

export async function importReport(db: Db, id: string): Promise<string | null> {
  const r = await db.execute<{ report: string }>(sql`select report from ledger_imports where id = ${id}`);
  return r.rows[0]?.report ?? null;
}
