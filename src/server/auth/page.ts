// Server pages: the same session resolver as the API, reading cookies through next/headers.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { safeNext } from '@/lib/safe-next';
import { REQUESTED_URL_HEADER } from './requested-url';
import { resolveSession, roleAllows, type Session } from './session';

/** The session of the page request, or null. */
export async function getPageSession(): Promise<Session | null> {
  return resolveSession(getDb(), await headers());
}

/**
 * Requires a signed-in user (and optionally the admin role) for a server page: anonymous visitors go to
 * /login, users who must change their password go there first, and a user without the role goes home
 * with ?forbidden=1 (the page says why). Sign-in returns to the URL that was asked for, query included
 * (src/proxy.ts passes it), else to `options.next`.
 */
export async function requirePageSession(
  options: { role?: 'user' | 'editor' | 'admin'; next?: string } = {},
): Promise<Session> {
  const session = await getPageSession();
  const requested = (await headers()).get(REQUESTED_URL_HEADER) ?? options.next;
  const target = requested ? safeNext(requested) : null;
  const next = target ? `?next=${encodeURIComponent(target)}` : '';
  if (!session) redirect(`/login${next}`);
  if (session.user.mustChangePassword) redirect(`/login/password${next}`);
  if (!roleAllows(session.user.role, options.role ?? 'user')) redirect('/?forbidden=1');
  return session;
}
