import { route, otherMethods } from '@/server/http';
import { assetDetailSchema, assetParams } from '@/server/assets/schemas';
import { getAsset, mergedInto } from '@/server/assets/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/assets/{id}',
    summary: 'Get an asset: canonical fields with provenance and conflicts, and its source links',
    description: 'An asset merged into another answers 308 with the survivor’s URL in Location.',
    tags: ['assets'],
    auth: 'user',
    params: assetParams,
    responses: {
      200: assetDetailSchema,
      308: { description: 'Merged into another asset: Location names it' },
      404: { description: 'No such asset (NOT_FOUND)' },
    },
  },
  async ({ db, params }) => {
    const to = await mergedInto(db, params.id);
    if (to) return new Response(null, { status: 308, headers: { location: `/api/v1/assets/${to}` } });
    return getAsset(db, params.id);
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
