import { route, otherMethods } from '@/server/http';
import { z } from '@/server/http';
import { assetExportQuery, filtersFrom } from '@/server/assets/schemas';
import { exportAssetsCsv } from '@/server/exports/assets-csv';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/exports/assets',
    summary: 'The asset list as CSV',
    description:
      'Same filters and sort as GET /api/v1/assets, all matching rows, streamed. UTF-8 with a byte-order mark so spreadsheet tools read non-Latin names correctly; arrays are space-separated. Headers are the fields’ labels (`lang=zh-CN` for the Chinese ones), every active ledger field a column after the observed ones; `name`, `primaryIp` and `os` are the overrides where set.',
    tags: ['assets'],
    auth: 'user',
    query: assetExportQuery.extend({ lang: z.enum(['en', 'zh-CN']).optional() }),
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  },
  async ({ db, query }) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return new Response(await exportAssetsCsv(db, filtersFrom(query), query.sort, query.lang), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="assets-${stamp}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
