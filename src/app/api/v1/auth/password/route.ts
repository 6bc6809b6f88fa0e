import { noContent, route, z, otherMethods } from '@/server/http';
import { changePassword, MIN_PASSWORD_LENGTH } from '@/server/auth';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/auth/password',
    summary: 'Change my password',
    description:
      'Changes the caller’s password, ends the caller’s other sessions and revokes all of the caller’s API tokens.',
    tags: ['auth'],
    auth: 'user',
    body: z.object({
      currentPassword: z.string().min(1).max(1000),
      newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1000),
    }),
    allowWhilePasswordChangeRequired: true,
    responses: {
      204: { description: 'Changed' },
      401: { description: 'Current password wrong (AUTH_INVALID_CREDENTIALS)' },
    },
  },
  async ({ session, body, db, ip, requestId }) => {
    await changePassword(db, session, body, { ip, requestId });
    return noContent();
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
