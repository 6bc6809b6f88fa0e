import { json, listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { createSourceBody, sourceSchema } from '@/server/sources/schemas';
import { createSource, listSources } from '@/server/sources/service';
import { actorFrom } from '@/server/users/actor';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/sources',
    summary: 'List sources with each mode’s latest run',
    tags: ['sources'],
    auth: 'admin',
    query: paginationQuery,
    responses: { 200: listEnvelope(sourceSchema) },
  },
  async ({ db, query }) => listSources(db, query),
);

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/sources',
    summary: 'Create a source',
    description:
      'The config is validated for the type (vCenter: https endpoint, CA bundle / thumbprint / insecure).',
    tags: ['sources'],
    auth: 'admin',
    body: createSourceBody,
    responses: {
      201: sourceSchema,
      409: {
        description:
          'Name taken (CONFLICT), or the endpoint is another live source’s vCenter (SOURCE_DUPLICATE; details.duplicateOf names it)',
      },
    },
  },
  async (ctx) => json(await createSource(ctx.db, actorFrom(ctx), ctx.body), { status: 201 }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
