// Server pages: the same session resolver as the API, reading cookies through next/headers.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { resolveSession, roleAllows, type Session } from './session';

/** The session of the page request, or null. */
export async function getPageSession(): Promise<Session | null> {
  return resolveSession(getDb(), await headers());
}

/**
 * Requires a signed-in user (and optionally the admin role) for a server page: anonymous visitors go to
 * /login, users who must change their password go there first, and a user without the role goes home
 * with ?forbidden=1 (the page says why).
 */
export async function requirePageSession(
  options: { role?: 'user' | 'admin'; next?: string } = {},
): Promise<Session> {
  const session = await getPageSession();
  const next = options.next ? `?next=${encodeURIComponent(options.next)}` : '';
  if (!session) redirect(`/login${next}`);
  if (session.user.mustChangePassword) redirect(`/login/password${next}`);
  if (!roleAllows(session.user.role, options.role ?? 'user')) redirect('/?forbidden=1');
  return session;
}
