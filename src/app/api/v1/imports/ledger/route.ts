import { listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { importReportCsv } from '@/server/imports/import-report';
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
    const parsed = parseImportFile(buf, { encoding: ctx.query.encoding, delimiter: ctx.query.delimiter });
    const result = await runImport(ctx.db, actorFrom(ctx), parsed, {
      mode: ctx.query.mode === 'apply' ? 'apply' : 'dry_run',
      strict: ctx.query.strict,
      clearEmpty: ctx.query.clearEmpty,
      fileName: ctx.query.fileName ?? fileName,
    });
    if (ctx.query.format === 'csv') {
      return new Response(importReportCsv(result.rows), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="import-${result.importId ?? 'dry-run'}.csv"`,
        },
      });
    }
    const listed = result.rows.filter((r) => !ctx.query.outcome || r.outcome === ctx.query.outcome);
    return {
      ...result,
      rows: listed.slice(0, ctx.query.limit).map(({ patch: _p, ...r }) => r),
      rowsListed: Math.min(listed.length, ctx.query.limit),
    };
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
