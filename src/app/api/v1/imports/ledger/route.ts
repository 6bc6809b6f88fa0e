import { listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { parseImportFile } from '@/server/imports/parse-import-file';
import { readUpload } from '@/server/imports/read-upload';
import { listImports, runImport } from '@/server/imports/run-import';
import { importListItem, importQuery, importResultSchema } from '@/server/imports/schemas';
import { actorFrom } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/imports/ledger',
    summary: 'Import ledger values from a CSV file (dry run or apply)',
    description:
      'The body is the CSV file itself (text/csv) or a multipart form with the field `file`. UTF-8 (with or without BOM) or GB18030/GBK, detected or chosen; `,` `;` or tab. Rows are matched by `uuid`, by `source` + `externalId`, or by name / serial / hostname; a row that matches several assets is ambiguous and never applied. Columns name ledger fields by key or label. `mode=dry-run` (the default) writes nothing; `mode=apply` writes every valid matched row in one transaction (`strict=true`: nothing if any row is invalid). `format=csv` answers with the result report. A file that is not CSV text is 400 IMPORT_FILE_INVALID.',
    tags: ['ledger'],
    auth: 'editor',
    query: importQuery,
    responses: {
      200: {
        schema: importResultSchema,
        alternatives: { 'text/csv': null },
        description: 'The import result; with `format=csv` the per-row report as CSV',
      },
      400: { description: 'Not a CSV file, or no column identifies the asset (IMPORT_FILE_INVALID)' },
    },
  },
  async (ctx) => {
    const { buf, fileName } = await readUpload(ctx.request);
    const file = await parseImportFile(buf, { encoding: ctx.query.encoding, delimiter: ctx.query.delimiter });
    const csv = ctx.query.format === 'csv';
    const { report, ...result } = await runImport(ctx.db, actorFrom(ctx), file, {
      mode: ctx.query.mode === 'apply' ? 'apply' : 'dry_run',
      strict: ctx.query.strict,
      clearEmpty: ctx.query.clearEmpty,
      fileName: ctx.query.fileName ?? fileName,
      list: { outcome: ctx.query.outcome, limit: csv ? 0 : ctx.query.limit },
      report: csv,
    });
    if (csv) {
      return new Response(report, {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="import-${result.importId ?? 'dry-run'}.csv"`,
        },
      });
    }
    return result;
  },
);

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/imports/ledger',
    summary: 'Applied ledger imports, newest first',
    tags: ['ledger'],
    auth: 'editor',
    query: paginationQuery,
    responses: { 200: listEnvelope(importListItem) },
  },
  async ({ db, query }) => listImports(db, query),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
