// Tells server pages which URL was asked for (path and query), so sign-in can return to it: a deep link
// such as /assets?kind=vm survives the detour through /login (requirePageSession reads the header, and
// safeNext() judges it before it becomes ?next=). Server components cannot see the request URL otherwise.
import { NextResponse, type NextRequest } from 'next/server';
import { REQUESTED_URL_HEADER } from '@/server/auth/requested-url';

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUESTED_URL_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: not the API, Next's own assets or files with an extension.
  matcher: ['/((?!api/|_next/|.*\\.[a-zA-Z0-9]+$).*)'],
};
