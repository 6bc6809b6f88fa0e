import { redirect } from 'next/navigation';
import { I18nProvider } from '@/i18n/client';
import { getTranslator } from '@/i18n/server';
import { getPageSession } from '@/server/auth/page';
import { AuthCard } from './auth-card';
import { LoginForm } from './login-form';
import { safeNext } from '@/lib/safe-next';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const session = await getPageSession();
  if (session && !session.user.mustChangePassword) redirect(safeNext(next));
  const { t, locale } = await getTranslator();
  return (
    <I18nProvider locale={locale}>
      <AuthCard title={t('app.name')} subtitle={t('login.subtitle')}>
        <LoginForm next={next ?? null} />
      </AuthCard>
    </I18nProvider>
  );
}
