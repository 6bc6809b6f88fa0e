import { route, z, otherMethods } from '@/server/http';
import { userSchema } from '@/server/auth/schemas';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/auth/me',
    summary: 'The signed-in user',
    tags: ['auth'],
    auth: 'user',
    responses: { 200: z.object({ user: userSchema, authenticatedBy: z.enum(['cookie', 'token']) }) },
  },
  async ({ session }) => ({ user: session.user, authenticatedBy: session.kind }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
