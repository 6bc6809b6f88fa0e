import { noContent, route, z, otherMethods } from '@/server/http';
import { deleteGroup, getGroup, updateGroup } from '@/server/schedule-groups/service';
import { scheduleGroupSchema, updateGroupBody } from '@/server/sources/schemas';
import { actorFrom } from '@/server/users/actor';

const params = z.object({ id: z.uuid() });
const notFound = { description: 'No such schedule group (NOT_FOUND)' };

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/schedule-groups/{id}',
    summary: 'Get a schedule group',
    tags: ['schedule-groups'],
    auth: 'admin',
    params,
    responses: { 200: scheduleGroupSchema, 404: notFound },
  },
  async ({ db, params }) => getGroup(db, params.id),
);

export const PATCH = route(
  {
    method: 'patch',
    path: '/api/v1/schedule-groups/{id}',
    summary: 'Update a schedule group and/or set its members',
    tags: ['schedule-groups'],
    auth: 'admin',
    params,
    body: updateGroupBody,
    responses: { 200: scheduleGroupSchema, 404: notFound, 409: { description: 'Name taken (CONFLICT)' } },
  },
  async (ctx) => updateGroup(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body),
);

export const DELETE = route(
  {
    method: 'delete',
    path: '/api/v1/schedule-groups/{id}',
    summary: 'Delete a schedule group',
    description: 'Refused while sources are bound to it (set sourceIds to [] first).',
    tags: ['schedule-groups'],
    auth: 'admin',
    params,
    responses: {
      204: { description: 'Deleted' },
      404: notFound,
      409: { description: 'Sources are bound (CONFLICT; details.sources lists them)' },
    },
  },
  async (ctx) => {
    await deleteGroup(ctx.db, actorFrom(ctx), ctx.params.id);
    return noContent();
  },
);

export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
