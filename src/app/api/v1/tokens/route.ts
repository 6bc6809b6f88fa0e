import { AppError } from '@/lib/errors';
import { json, listEnvelope, paginationQuery, route, z, otherMethods } from '@/server/http';
import { createToken, listTokens } from '@/server/tokens/service';
import { actorFrom } from '@/server/users/actor';
import { createTokenBody, createdTokenSchema, tokenSchema } from '@/server/users/schemas';

// Personal tokens: any signed-in user manages their own (a read-only user scripts reads with one).
export const GET = route(
  {
    method: 'get',
    path: '/api/v1/tokens',
    summary: 'List my API tokens (admins: everyone’s with scope=all)',
    tags: ['tokens'],
    auth: 'user',
    query: paginationQuery.extend({ scope: z.enum(['mine', 'all']).default('mine') }),
    responses: { 200: listEnvelope(tokenSchema), 403: { description: 'scope=all needs the admin role' } },
  },
  async ({ db, session, query }) => {
    const { scope, ...page } = query;
    if (scope === 'all' && session.user.role !== 'admin')
      throw new AppError('AUTH_FORBIDDEN', 'Only an admin may list every user’s tokens (scope=all)');
    return listTokens(db, scope === 'all' ? null : session.user.id, page);
  },
);

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create an API token',
    description:
      'The token is in the response once; only its hash is stored. It carries the caller’s role. Only a ' +
      'signed-in session may create one: a token cannot mint tokens (403), so revoking it is final.',
    tags: ['tokens'],
    auth: 'user',
    body: createTokenBody,
    responses: {
      201: createdTokenSchema,
      403: { description: 'Called with an API token (AUTH_FORBIDDEN)' },
    },
  },
  async (ctx) => {
    if (ctx.session.kind === 'token')
      throw new AppError('AUTH_FORBIDDEN', 'An API token cannot create tokens; sign in to create one');
    return json(await createToken(ctx.db, actorFrom(ctx), ctx.session.user.id, ctx.body), {
      status: 201,
      headers: { 'cache-control': 'no-store' },
    });
  },
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
