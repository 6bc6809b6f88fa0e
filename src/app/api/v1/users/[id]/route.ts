import { route, z, otherMethods } from '@/server/http';
import { actorFrom } from '@/server/users/actor';
import { updateUserBody, userDetailSchema } from '@/server/users/schemas';
import { getUser, updateUser } from '@/server/users/service';

const params = z.object({ id: z.uuid() });

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/users/{id}',
    summary: 'Get a user',
    tags: ['users'],
    auth: 'admin',
    params,
    responses: { 200: userDetailSchema, 404: { description: 'No such user (NOT_FOUND)' } },
  },
  async ({ db, params }) => getUser(db, params.id),
);

export const PATCH = route(
  {
    method: 'patch',
    path: '/api/v1/users/{id}',
    summary: 'Change a user’s role, display name, or enable/disable it',
    description:
      'Disabling ends the user’s sessions; its API tokens stop working. The last enabled admin cannot be demoted or disabled (409).',
    tags: ['users'],
    auth: 'admin',
    params,
    body: updateUserBody,
    responses: {
      200: userDetailSchema,
      404: { description: 'No such user (NOT_FOUND)' },
      409: { description: 'Last enabled admin (CONFLICT)' },
    },
  },
  async (ctx) => updateUser(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body),
);

export const { POST, PUT, DELETE, OPTIONS } = otherMethods({ GET, PATCH });
