import { redirect } from 'next/navigation';
import { AppShell } from '@/components/app-shell';
import { I18nProvider } from '@/i18n/client';
import { getLocale } from '@/i18n/server';
import { getPageSession } from '@/server/auth/page';

// Every page below checks the session and role itself (requirePageSession); the layout only needs the
// user for the navigation.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const [session, locale] = await Promise.all([getPageSession(), getLocale()]);
  if (!session) redirect('/login');
  return (
    <I18nProvider locale={locale}>
      <AppShell user={session.user}>{children}</AppShell>
    </I18nProvider>
  );
}
