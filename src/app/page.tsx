// Placeholder home: proves the session check for server pages. The dashboard replaces it.
import { requirePageSession } from '@/server/auth/page';
import { LogoutButton } from './login/logout-button';

export const dynamic = 'force-dynamic';

export default async function HomePage({ searchParams }: { searchParams: Promise<{ forbidden?: string }> }) {
  const session = await requirePageSession({ next: '/' });
  const { forbidden } = await searchParams;
  return (
    <main style={{ maxWidth: 720, margin: '48px auto', padding: '0 16px' }}>
      <h1>Asset Ledger</h1>
      {forbidden ? <p role="alert">That page needs the admin role.</p> : null}
      <p>
        Signed in as <strong>{session.user.displayName ?? session.user.username}</strong> ({session.user.role}
        ).
      </p>
      <p>
        API: <a href="/api/openapi.json">/api/openapi.json</a>
      </p>
      <LogoutButton />
    </main>
  );
}
