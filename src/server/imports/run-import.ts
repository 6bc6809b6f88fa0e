// A CSV import of ledger values (issue 13 §5). A dry run evaluates every row and writes nothing. An apply
// evaluates again inside one transaction and writes all valid matched rows at once (set-based, with one
// history event per changed asset carrying the import id), or — in strict mode, or when nothing is valid —
// nothing at all. It stores the result report and audits the import.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { applyLedgerPatches } from '@/server/ledger-fields/apply-ledger-patches';
import { audit, type Actor } from '@/server/users/actor';
import { evaluateImport, type Evaluation } from './evaluate-import';
import { importReportCsv } from './import-report';
import type { ParsedFile } from './parse-import-file';

const APPLY_SLICE = 5000;

export interface ImportOptions {
  mode: 'dry_run' | 'apply';
  strict: boolean;
  clearEmpty: boolean;
  fileName: string | null;
}

export interface ImportResult extends Evaluation {
  importId: string | null;
  mode: ImportOptions['mode'];
  status: 'dry_run' | 'applied' | 'rejected';
  encoding: string;
  delimiter: string;
  applied: number;
}

export async function runImport(
  db: Db,
  actor: Actor,
  parsed: ParsedFile,
  opts: ImportOptions,
): Promise<ImportResult> {
  const base = { encoding: parsed.encoding, delimiter: parsed.delimiter, mode: opts.mode };
  if (opts.mode === 'dry_run') {
    const ev = await evaluateImport(db, parsed, { clearEmpty: opts.clearEmpty });
    return { ...ev, ...base, importId: null, status: 'dry_run', applied: 0 };
  }
  return db.transaction(async (tx) => {
    const ev = await evaluateImport(tx, parsed, { clearEmpty: opts.clearEmpty });
    const rejected = opts.strict && ev.summary.invalid > 0;
    const importId = randomUUID();
    const toApply = rejected ? [] : ev.rows.filter((r) => r.patch);
    let applied = 0;
    // In slices: one statement's parameters for 50,000 rows would cost the web process ~200 MB at once.
    for (let i = 0; i < toApply.length; i += APPLY_SLICE) {
      const slice = toApply.slice(i, i + APPLY_SLICE);
      const changed = await applyLedgerPatches(
        tx,
        sql`select * from unnest(${sql.param(slice.map((r) => r.assetUuid))}::uuid[],
                                 ${sql.param(slice.map((r) => JSON.stringify(r.patch)))}::jsonb[]) s(asset_uuid, patch)`,
        { reason: 'import', importId, actor },
      );
      applied += changed.length;
    }
    const status = rejected ? 'rejected' : 'applied';
    const summary = { ...ev.summary, applied };
    await tx.execute(sql`
      insert into ledger_imports (id, created_by, created_by_label, file_name, encoding, delimiter, strict, summary, report)
      values (${importId}, ${actor.userId}, ${actor.label}, ${opts.fileName}, ${parsed.encoding}, ${parsed.delimiter},
              ${opts.strict}, ${JSON.stringify({ ...summary, rejected: rejected ? 1 : 0 })}::jsonb, ${importReportCsv(ev.rows)})`);
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
    return { ...ev, ...base, importId, status, applied };
  });
}

export async function listImports(db: Db, p: { limit: number; offset: number }) {
  const [items, total] = await Promise.all([
    db.execute(sql`
      select id, created_at as "createdAt", created_by_label as "createdBy", file_name as "fileName", encoding,
             delimiter, strict, summary from ledger_imports order by created_at desc, id limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_imports`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: p.limit, offset: p.offset };
}

export async function importReport(db: Db, id: string): Promise<string | null> {
  const r = await db.execute<{ report: string }>(sql`select report from ledger_imports where id = ${id}`);
  return r.rows[0]?.report ?? null;
}
