import { listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { assetEventSchema, assetParams } from '@/server/assets/schemas';
import { listAssetHistory } from '@/server/assets/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets/{id}/history',
    summary:
      'History of an asset (created, changed, went missing, came back, relation changed), newest first',
    tags: ['assets'],
    auth: 'user',
    params: assetParams,
    query: paginationQuery,
    responses: { 200: listEnvelope(assetEventSchema), 404: { description: 'No such asset (NOT_FOUND)' } },
  },
  async ({ db, params, query }) => listAssetHistory(db, params.id, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
