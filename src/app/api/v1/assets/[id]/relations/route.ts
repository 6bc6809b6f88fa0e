import { route, z, otherMethods } from '@/server/http';
import { assetParams, relationSchema } from '@/server/assets/schemas';
import { listAssetRelations } from '@/server/assets/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets/{id}/relations',
    summary: 'Relations of an asset (active and inactive, with first/last seen)',
    tags: ['assets'],
    auth: 'user',
    params: assetParams,
    query: z.object({ status: z.enum(['active', 'inactive']).optional() }),
    responses: {
      200: z.object({ items: z.array(relationSchema) }),
      404: { description: 'No such asset (NOT_FOUND)' },
    },
  },
  async ({ db, params, query }) => listAssetRelations(db, params.id, query.status),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
