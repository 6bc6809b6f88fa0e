import { json, listEnvelope, paginationQuery, route } from '@/server/http';
import { createToken, listTokens } from '@/server/tokens/service';
import { actorFrom } from '@/server/users/actor';
import { createTokenBody, createdTokenSchema, tokenSchema } from '@/server/users/schemas';

// Personal tokens: any signed-in user manages their own (a read-only user scripts reads with one).
export const GET = route(
  {
    method: 'get',
    path: '/api/v1/tokens',
    summary: 'List my API tokens',
    tags: ['tokens'],
    auth: 'user',
    query: paginationQuery,
    responses: { 200: listEnvelope(tokenSchema) },
  },
  async ({ db, session, query }) => listTokens(db, session.user.id, query),
);

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create an API token',
    description: 'The token is in the response once; only its hash is stored. It carries the caller’s role.',
    tags: ['tokens'],
    auth: 'user',
    body: createTokenBody,
    responses: { 201: createdTokenSchema },
  },
  async (ctx) =>
    json(await createToken(ctx.db, actorFrom(ctx), ctx.session.user.id, ctx.body), {
      status: 201,
      headers: { 'cache-control': 'no-store' },
    }),
);
