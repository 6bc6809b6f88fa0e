import { redirect } from 'next/navigation';
import { I18nProvider } from '@/i18n/client';
import { getTranslator } from '@/i18n/server';
import { getPageSession } from '@/server/auth/page';
import { AuthCard } from '../auth-card';
import { PasswordForm } from './password-form';

export const dynamic = 'force-dynamic';

// Not requirePageSession(): that would send a must-change user straight back here.
export default async function PasswordPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const session = await getPageSession();
  if (!session) redirect(`/login?next=${encodeURIComponent('/login/password')}`);
  const { t, locale } = await getTranslator();
  return (
    <I18nProvider locale={locale}>
      <AuthCard title={t('login.changeTitle')}>
        <PasswordForm next={next ?? null} required={session.user.mustChangePassword} />
      </AuthCard>
    </I18nProvider>
  );
}
