import { route, z, otherMethods } from '@/server/http';
import { AppError } from '@/lib/errors';
import { importReport } from '@/server/imports/run-import';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/imports/ledger/{id}/report',
    summary: 'The result report of an applied import (CSV: what happened to every row)',
    tags: ['ledger'],
    auth: 'editor',
    params: z.object({ id: z.uuid() }),
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  },
  async ({ db, params }) => {
    const report = await importReport(db, params.id);
    if (report === null) throw new AppError('NOT_FOUND', 'import not found');
    return new Response(report, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="import-${params.id}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
