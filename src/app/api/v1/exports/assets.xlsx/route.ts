import { z } from '@/server/http/openapi';
import { route, otherMethods } from '@/server/http';
import { LOCALES } from '@/i18n';
import { assetExportQuery, filtersFrom } from '@/server/assets/schemas';
import { exportAssetsXlsx } from '@/server/exports/assets-xlsx';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/exports/assets.xlsx',
    summary: 'The estate as an RVTools-style workbook',
    description:
      'Sheets vInfo (one row per VM, with host, cluster and datacenter), vDisk (per VM disk), vNetwork (per VM NIC), vHost, vCluster, vDatastore and vSource (which vCenter, run, when); docs/exports.md lists every column beside its RVTools name. The list filters (including `ledger.<key>=`) and sort apply to the asset sheets; every active ledger field is a column of vInfo / vHost / vCluster (as it applies to the kind); `name` is the display name (an override where set). Typed cells, frozen header row, autofilter; streamed.',
    tags: ['assets'],
    auth: 'user',
    query: assetExportQuery.extend({
      lang: z
        .enum(LOCALES)
        .optional()
        .openapi({ description: 'Language of the column headers (default en).' }),
    }),
    responses: {
      200: {
        description: 'Office Open XML workbook',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    },
  },
  async ({ db, query }) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return new Response(await exportAssetsXlsx(db, filtersFrom(query), query.sort, query.lang), {
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="estate-${stamp}.xlsx"`,
        'cache-control': 'no-store',
      },
    });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
