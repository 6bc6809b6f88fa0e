import { redirect } from 'next/navigation';
import { getPageSession } from '@/server/auth/page';
import { PasswordForm } from './password-form';

export const dynamic = 'force-dynamic';

// Not requirePageSession(): that would send a must-change user straight back here.
export default async function PasswordPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const session = await getPageSession();
  if (!session) redirect(`/login?next=${encodeURIComponent('/login/password')}`);
  return (
    <main>
      <PasswordForm next={next ?? null} required={session.user.mustChangePassword} />
    </main>
  );
}
