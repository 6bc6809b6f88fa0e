import { json, listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { actorFrom } from '@/server/users/actor';
import { createUserBody, createdUserSchema, userDetailSchema } from '@/server/users/schemas';
import { createUser, listUsers } from '@/server/users/service';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/users',
    summary: 'List users',
    tags: ['users'],
    auth: 'admin',
    query: paginationQuery,
    responses: { 200: listEnvelope(userDetailSchema) },
  },
  async ({ db, query }) => listUsers(db, query),
);

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/users',
    summary: 'Create a user',
    description:
      'The user must change the password at first sign-in. Without `password`, one is generated and returned once.',
    tags: ['users'],
    auth: 'admin',
    body: createUserBody,
    responses: { 201: createdUserSchema, 409: { description: 'User name taken (CONFLICT)' } },
  },
  async (ctx) => json(await createUser(ctx.db, actorFrom(ctx), ctx.body), { status: 201 }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
