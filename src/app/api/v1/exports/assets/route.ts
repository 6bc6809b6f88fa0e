import { route } from '@/server/http';
import { assetFilterQuery, filtersFrom } from '@/server/assets/schemas';
import { streamAssetsCsv } from '@/server/exports/assets-csv';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/exports/assets',
    summary: 'The asset list as CSV',
    description:
      'Same filters and sort as GET /api/v1/assets, all matching rows, streamed. UTF-8 with a byte-order mark so spreadsheet tools read non-Latin names correctly; arrays are space-separated.',
    tags: ['assets'],
    auth: 'user',
    query: assetFilterQuery,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  },
  async ({ db, query }) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return new Response(streamAssetsCsv(db, filtersFrom(query), query.sort), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="assets-${stamp}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
);
