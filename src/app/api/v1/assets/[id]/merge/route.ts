import { route, otherMethods } from '@/server/http';
import { assetParams } from '@/server/assets/schemas';
import { mergeAssets } from '@/server/identity/merge-assets';
import { mergeBody, mergeResultSchema } from '@/server/identity/schemas';
import { actorFrom } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/assets/{id}/merge',
    summary: 'Merge another asset into this one (admin or editor; audited)',
    description:
      'This asset keeps its UUID and its asserted values; the other’s links, records, relations and history move to it and the other becomes a merged tombstone (GET answers 308). Differing asserted values are listed in ledgerConflicts and kept in history.',
    tags: ['identity'],
    auth: 'editor',
    params: assetParams,
    body: mergeBody,
    responses: {
      200: mergeResultSchema,
      404: { description: 'No such asset (NOT_FOUND)' },
      409: { description: 'One of them is merged already (CONFLICT)' },
    },
  },
  async (ctx) => mergeAssets(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body.otherId),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
