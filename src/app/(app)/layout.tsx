import { AppShell } from '@/components/app-shell';
import { BackgroundExportProvider } from '@/components/background-export';
import { I18nProvider } from '@/i18n/client';
import { getLocale } from '@/i18n/server';
import { getPageSession } from '@/server/auth/page';

// Every page below checks the session and role itself (requirePageSession) and, signed out, redirects to
// /login?next=<that page with its query>. The layout only needs the user for the navigation: it does not
// redirect itself, because it cannot see the URL and its bare /login would race the page's and lose the
// deep link (issue 15).
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const [session, locale] = await Promise.all([getPageSession(), getLocale()]);
  if (!session) return <>{children}</>;
  return (
    <I18nProvider locale={locale}>
      {/* Above the pages: a background export outlives the page that started it. */}
      <BackgroundExportProvider>
        <AppShell user={session.user}>{children}</AppShell>
      </BackgroundExportProvider>
    </I18nProvider>
  );
}
