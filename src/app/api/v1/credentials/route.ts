import { json, listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { createCredentialFromApi, listCredentials } from '@/server/credentials/service';
import { createCredentialBody, credentialSchema } from '@/server/sources/schemas';
import { actorFrom } from '@/server/users/actor';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/credentials',
    summary: 'List credentials',
    description: 'Secrets are write-only: only the public part (e.g. the username) is returned.',
    tags: ['credentials'],
    auth: 'admin',
    query: paginationQuery,
    responses: { 200: listEnvelope(credentialSchema) },
  },
  async ({ db, query }) => listCredentials(db, query),
);

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/credentials',
    summary: 'Create a credential',
    description:
      'The payload is checked against the type; the secret is encrypted (AES-256-GCM) and never returned.',
    tags: ['credentials'],
    auth: 'admin',
    body: createCredentialBody,
    responses: { 201: credentialSchema, 409: { description: 'Name taken (CONFLICT)' } },
  },
  async (ctx) => json(await createCredentialFromApi(ctx.db, actorFrom(ctx), ctx.body), { status: 201 }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
