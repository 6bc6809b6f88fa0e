import { route, z, otherMethods } from '@/server/http';
import { revokeToken } from '@/server/tokens/service';
import { actorFrom } from '@/server/users/actor';
import { tokenSchema } from '@/server/users/schemas';

export const DELETE = route(
  {
    method: 'delete',
    path: '/api/v1/tokens/{id}',
    summary: 'Revoke an API token',
    description: 'Your own tokens; an admin may revoke anyone’s. Revoking twice is harmless.',
    tags: ['tokens'],
    auth: 'user',
    params: z.object({ id: z.uuid() }),
    responses: { 200: tokenSchema, 404: { description: 'No such token of yours (NOT_FOUND)' } },
  },
  async (ctx) =>
    revokeToken(ctx.db, actorFrom(ctx), ctx.params.id, {
      userId: ctx.session.user.id,
      isAdmin: ctx.session.user.role === 'admin',
    }),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods({ DELETE });
