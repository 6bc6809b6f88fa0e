import { route, z, otherMethods } from '@/server/http';
import { getRun } from '@/server/runs';
import { runSchema, toRunDto } from '@/server/runs/schemas';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/runs/{id}',
    summary: 'Get a run: status, timings, attempts, stats, warnings, errors',
    tags: ['runs'],
    auth: 'user',
    params: z.object({ id: z.uuid() }),
    responses: { 200: runSchema, 404: { description: 'No such run (NOT_FOUND)' } },
  },
  async ({ db, params }) => toRunDto(await getRun(db, params.id)),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
