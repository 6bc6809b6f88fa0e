import { listEnvelope, route, otherMethods } from '@/server/http';
import { listDuplicateCandidates } from '@/server/identity/list-duplicate-candidates';
import { candidateListQuery, candidateSchema } from '@/server/identity/schemas';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/duplicate-candidates',
    summary: 'List duplicate candidates: pairs of assets that may be one, with score and evidence',
    description: 'Computed after every successful collect run. Default status open; best score first.',
    tags: ['identity'],
    auth: 'user',
    query: candidateListQuery,
    responses: { 200: listEnvelope(candidateSchema) },
  },
  async ({ db, query }) => listDuplicateCandidates(db, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
