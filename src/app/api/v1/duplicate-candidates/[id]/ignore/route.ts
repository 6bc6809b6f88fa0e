import { route, otherMethods } from '@/server/http';
import { ignoreCandidate } from '@/server/identity/ignore-candidate';
import { candidateDetailSchema, candidateParams } from '@/server/identity/schemas';
import { actorFrom } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/duplicate-candidates/{id}/ignore',
    summary: 'Ignore a duplicate candidate (admin or editor; audited)',
    tags: ['identity'],
    auth: 'editor',
    params: candidateParams,
    responses: {
      200: candidateDetailSchema,
      404: { description: 'No such candidate (NOT_FOUND)' },
      409: { description: 'Merged already (CONFLICT)' },
    },
  },
  async (ctx) => ignoreCandidate(ctx.db, actorFrom(ctx), ctx.params.id),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
