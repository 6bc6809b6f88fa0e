import { json, listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { createGroup, listGroups } from '@/server/schedule-groups/service';
import { createGroupBody, scheduleGroupSchema } from '@/server/sources/schemas';
import { actorFrom } from '@/server/users/actor';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/schedule-groups',
    summary: 'List schedule groups with their next fire time',
    tags: ['schedule-groups'],
    auth: 'admin',
    query: paginationQuery,
    responses: { 200: listEnvelope(scheduleGroupSchema) },
  },
  async ({ db, query }) => listGroups(db, query),
);

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/schedule-groups',
    summary: 'Create a schedule group',
    tags: ['schedule-groups'],
    auth: 'admin',
    body: createGroupBody,
    responses: { 201: scheduleGroupSchema, 409: { description: 'Name taken (CONFLICT)' } },
  },
  async (ctx) => json(await createGroup(ctx.db, actorFrom(ctx), ctx.body), { status: 201 }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
