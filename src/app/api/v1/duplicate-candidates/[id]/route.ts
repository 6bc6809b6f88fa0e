import { route, otherMethods } from '@/server/http';
import { getDuplicateCandidate } from '@/server/identity/list-duplicate-candidates';
import { candidateDetailSchema, candidateParams } from '@/server/identity/schemas';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/duplicate-candidates/{id}',
    summary: 'Get a duplicate candidate with both assets side by side',
    tags: ['identity'],
    auth: 'user',
    params: candidateParams,
    responses: { 200: candidateDetailSchema, 404: { description: 'No such candidate (NOT_FOUND)' } },
  },
  async ({ db, params }) => getDuplicateCandidate(db, params.id),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
