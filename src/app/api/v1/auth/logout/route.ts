import { isSecureRequest, noContent, route, otherMethods } from '@/server/http';
import { clearSessionCookie, logout } from '@/server/auth';

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Sign out',
    description: 'Ends the current session and clears the cookie.',
    tags: ['auth'],
    auth: 'user',
    allowWhilePasswordChangeRequired: true,
    responses: { 204: { description: 'Signed out' } },
  },
  async ({ session, db, ip, requestId, request }) => {
    await logout(db, session, { ip, requestId });
    return noContent({ 'set-cookie': clearSessionCookie(isSecureRequest(request)) });
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
