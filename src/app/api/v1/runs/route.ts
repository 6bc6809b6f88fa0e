import { listEnvelope, route, otherMethods } from '@/server/http';
import { listRuns } from '@/server/runs';
import { listRunsQuery, runSchema, toRunDto } from '@/server/runs/schemas';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/runs',
    summary: 'List runs, newest first',
    description:
      'Filters: sourceId, status, mode (incl. collect_hosts / collect_vms), trigger; comma-separated lists.',
    tags: ['runs'],
    auth: 'user',
    query: listRunsQuery,
    responses: { 200: listEnvelope(runSchema) },
  },
  async ({ db, query }) => {
    const page = await listRuns(db, query);
    return { ...page, items: page.items.map(toRunDto) };
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
