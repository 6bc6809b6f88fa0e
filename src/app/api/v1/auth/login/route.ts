import { isSecureRequest, json, route, z, otherMethods } from '@/server/http';
import { login } from '@/server/auth';
import { userSchema } from '@/server/auth/schemas';

const loginResponse = z.object({ user: userSchema, expiresAt: z.iso.datetime() });

export const POST = route(
  {
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Sign in',
    description:
      'Checks user name and password and sets the session cookie. Failed attempts are rate-limited.',
    tags: ['auth'],
    auth: 'public',
    body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) }),
    responses: {
      200: loginResponse,
      401: { description: 'Wrong user name or password (AUTH_INVALID_CREDENTIALS)' },
      429: { description: 'Too many failed sign-ins (RATE_LIMITED)' },
    },
  },
  async ({ body, db, ip, request, requestId }) => {
    const result = await login(db, body, {
      ip,
      userAgent: request.headers.get('user-agent'),
      requestId,
      secure: isSecureRequest(request),
    });
    return json(
      { user: result.user, expiresAt: result.expiresAt.toISOString() },
      { headers: { 'set-cookie': result.cookie, 'cache-control': 'no-store' } },
    );
  },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
