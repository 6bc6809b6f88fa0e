import { noContent, route, z, otherMethods } from '@/server/http';
import { sourceSchema, updateSourceBody } from '@/server/sources/schemas';
import { deleteSource, getSource, updateSource } from '@/server/sources/service';
import { actorFrom } from '@/server/users/actor';

const params = z.object({ id: z.uuid() });
const notFound = { description: 'No such source (NOT_FOUND)' };

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/sources/{id}',
    summary: 'Get a source',
    tags: ['sources'],
    auth: 'admin',
    params,
    responses: { 200: sourceSchema, 404: notFound },
  },
  async ({ db, params }) => getSource(db, params.id),
);

export const PATCH = route(
  {
    method: 'patch',
    path: '/api/v1/sources/{id}',
    summary: 'Update a source',
    tags: ['sources'],
    auth: 'admin',
    params,
    body: updateSourceBody,
    responses: {
      200: sourceSchema,
      404: notFound,
      409: {
        description:
          'Name taken (CONFLICT), or the endpoint is another live source’s vCenter (SOURCE_DUPLICATE; details.duplicateOf names it)',
      },
    },
  },
  async (ctx) => updateSource(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body),
);

export const DELETE = route(
  {
    method: 'delete',
    path: '/api/v1/sources/{id}',
    summary: 'Delete a source (soft)',
    description: 'Its assets, runs and history stay. Refused while a run is queued or running.',
    tags: ['sources'],
    auth: 'admin',
    params,
    responses: {
      204: { description: 'Deleted' },
      404: notFound,
      409: { description: 'A run is active (CONFLICT; details.runs lists them)' },
    },
  },
  async (ctx) => {
    await deleteSource(ctx.db, actorFrom(ctx), ctx.params.id);
    return noContent();
  },
);

export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
