import { noContent, route, z, otherMethods } from '@/server/http';
import { deleteCredential, getCredential, updateCredential } from '@/server/credentials/service';
import { credentialSchema, updateCredentialBody } from '@/server/sources/schemas';
import { actorFrom } from '@/server/users/actor';

const params = z.object({ id: z.uuid() });
const notFound = { description: 'No such credential (NOT_FOUND)' };

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/credentials/{id}',
    summary: 'Get a credential (without its secret)',
    tags: ['credentials'],
    auth: 'admin',
    params,
    responses: { 200: credentialSchema, 404: notFound },
  },
  async ({ db, params }) => getCredential(db, params.id),
);

export const PATCH = route(
  {
    method: 'patch',
    path: '/api/v1/credentials/{id}',
    summary: 'Update a credential',
    tags: ['credentials'],
    auth: 'admin',
    params,
    body: updateCredentialBody,
    responses: { 200: credentialSchema, 404: notFound, 409: { description: 'Name taken (CONFLICT)' } },
  },
  async (ctx) => updateCredential(ctx.db, actorFrom(ctx), ctx.params.id, ctx.body),
);

export const DELETE = route(
  {
    method: 'delete',
    path: '/api/v1/credentials/{id}',
    summary: 'Delete a credential',
    tags: ['credentials'],
    auth: 'admin',
    params,
    responses: {
      204: { description: 'Deleted' },
      404: notFound,
      409: { description: 'A source uses it (CONFLICT; details.sources lists them)' },
    },
  },
  async (ctx) => {
    await deleteCredential(ctx.db, actorFrom(ctx), ctx.params.id);
    return noContent();
  },
);

export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
