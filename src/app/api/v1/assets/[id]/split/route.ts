import { route, otherMethods } from '@/server/http';
import { assetParams } from '@/server/assets/schemas';
import { splitAsset } from '@/server/identity/split-asset';
import { splitBody, splitResultSchema } from '@/server/identity/schemas';
import { actorFrom } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/assets/{id}/split',
    summary: 'Split off the asset a link came from by a merge (admin or editor; audited)',
    description:
      'Undoes that merge: both assets are as they were before it, apart from history entries saying so.',
    tags: ['identity'],
    auth: 'editor',
    params: assetParams,
    body: splitBody,
    responses: {
      200: splitResultSchema,
      404: { description: 'No such link on this asset (NOT_FOUND)' },
      409: { description: 'The link did not come from a merge (SPLIT_NOT_MERGED)' },
    },
  },
  async (ctx) => splitAsset(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body.linkId),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
