import { route } from '@/server/http';
import { assetDetailSchema, assetParams } from '@/server/assets/schemas';
import { getAsset } from '@/server/assets/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets/{id}',
    summary: 'Get an asset: canonical fields with provenance and conflicts, and its source links',
    tags: ['assets'],
    auth: 'user',
    params: assetParams,
    responses: { 200: assetDetailSchema, 404: { description: 'No such asset (NOT_FOUND)' } },
  },
  async ({ db, params }) => getAsset(db, params.id),
);
