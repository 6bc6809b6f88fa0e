import { redirect } from 'next/navigation';
import { getPageSession } from '@/server/auth/page';
import { LoginForm } from './login-form';
import { safeNext } from './styles';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const session = await getPageSession();
  if (session && !session.user.mustChangePassword) redirect(safeNext(next));
  return (
    <main>
      <LoginForm next={next ?? null} />
    </main>
  );
}
