import { listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { assetParams, sourceRecordSchema } from '@/server/assets/schemas';
import { listAssetRecords } from '@/server/assets/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets/{id}/records',
    summary: 'Source records of an asset (normalized data per run that changed it), newest first',
    tags: ['assets'],
    auth: 'user',
    params: assetParams,
    query: paginationQuery,
    responses: { 200: listEnvelope(sourceRecordSchema), 404: { description: 'No such asset (NOT_FOUND)' } },
  },
  async ({ db, params, query }) => listAssetRecords(db, params.id, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
