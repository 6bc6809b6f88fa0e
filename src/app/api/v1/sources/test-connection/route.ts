import { route, otherMethods } from '@/server/http';
import { connectionTestSchema, testConnectionBody } from '@/server/sources/schemas';
import { testSourceConnection } from '@/server/sources/test-connection';
import { actorFrom } from '@/server/users/actor';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/sources/test-connection',
    summary: 'Test a source’s connection before saving it',
    description:
      'Runs the plugin’s healthcheck (log in, read the server clock, log out) against the given endpoint, TLS settings and credential, with a 30 s timeout. Nothing is stored except an audit entry (`source.test_connection`). A failed check is still 200: `ok` is false and `error` says why.',
    tags: ['sources'],
    auth: 'admin',
    body: testConnectionBody,
    responses: { 200: connectionTestSchema },
  },
  async (ctx) => testSourceConnection(ctx.db, actorFrom(ctx), ctx.body),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
