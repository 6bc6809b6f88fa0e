import { route, z, otherMethods } from '@/server/http';
import { actorFrom } from '@/server/users/actor';
import { resetPasswordBody, resetPasswordResult } from '@/server/users/schemas';
import { resetPassword } from '@/server/users/service';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/users/{id}/password',
    summary: 'Reset a user’s password',
    description:
      'Sets the given (or a generated, returned once) password, forces a change at next sign-in and ends the user’s sessions.',
    tags: ['users'],
    auth: 'admin',
    params: z.object({ id: z.uuid() }),
    body: resetPasswordBody,
    responses: { 200: resetPasswordResult, 404: { description: 'No such user (NOT_FOUND)' } },
  },
  async (ctx) => resetPassword(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body.password),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
