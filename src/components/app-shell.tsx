'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import {
  Activity,
  Boxes,
  CalendarClock,
  FileUp,
  GitMerge,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  LogOut,
  ScrollText,
  Server,
  ShieldCheck,
  Ticket,
  Users,
} from 'lucide-react';
import { LOCALE_COOKIE, LOCALE_LABELS, LOCALES, type Locale, type MessageKey } from '@/i18n';
import { useLocale, useT } from '@/i18n/client';
import { cn } from './ui/cn';
import { Select } from './ui/input';

type NavItem = { href: string; label: MessageKey; icon: React.ComponentType<{ className?: string }> };

const MAIN: NavItem[] = [
  { href: '/', label: 'nav.dashboard', icon: LayoutDashboard },
  { href: '/assets', label: 'nav.assets', icon: Boxes },
  { href: '/runs', label: 'nav.runs', icon: Activity },
];
// Editors and admins write asserted facts (issue 13).
const EDITOR: NavItem[] = [
  { href: '/imports', label: 'ledger.navImport', icon: FileUp },
  // Merging or ignoring duplicate candidates (issue 16) is theirs too.
  { href: '/duplicates', label: 'identity.duplicatesTitle', icon: GitMerge },
];
const ADMIN: NavItem[] = [
  { href: '/ledger-fields', label: 'ledger.navFields', icon: ListChecks },
  { href: '/sources', label: 'nav.sources', icon: Server },
  { href: '/credentials', label: 'nav.credentials', icon: KeyRound },
  { href: '/schedule-groups', label: 'nav.groups', icon: CalendarClock },
  { href: '/users', label: 'nav.users', icon: Users },
  { href: '/tokens', label: 'nav.tokens', icon: Ticket },
  { href: '/audit', label: 'nav.audit', icon: ScrollText },
];

export function LocaleSwitcher({ className }: { className?: string }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  return (
    <label className={cn('flex items-center gap-2 text-sm', className)}>
      <span className="sr-only">{t('nav.language')}</span>
      <Select
        aria-label={t('nav.language')}
        data-testid="locale-switcher"
        className="h-8 w-auto"
        value={locale}
        onChange={(e) => {
          const next = e.target.value as Locale;
          document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
          router.refresh();
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {LOCALE_LABELS[l]}
          </option>
        ))}
      </Select>
    </label>
  );
}

export function AppShell({
  user,
  children,
}: {
  user: { username: string; displayName: string | null; role: 'admin' | 'editor' | 'user' };
  children: React.ReactNode;
}) {
  const t = useT();
  const pathname = usePathname();
  const router = useRouter();
  const isActive = (href: string) => (href === '/' ? pathname === '/' : pathname.startsWith(href));
  const link = (item: NavItem) => (
    <li key={item.href}>
      <Link
        href={item.href}
        aria-current={isActive(item.href) ? 'page' : undefined}
        className={cn(
          'flex items-center gap-2 rounded-md px-3 py-2 text-sm text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
          isActive(item.href) && 'bg-accent font-medium text-foreground',
        )}
      >
        <item.icon className="size-4 shrink-0" />
        <span className="truncate">{t(item.label)}</span>
      </Link>
    </li>
  );
  async function signOut() {
    await fetch('/api/v1/auth/logout', { method: 'POST' }).catch(() => {});
    router.push('/login');
    router.refresh();
  }
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-card focus:p-2"
      >
        {t('app.skip')}
      </a>
      <aside className="sticky top-0 flex h-screen w-56 shrink-0 flex-col border-r bg-card">
        <div className="flex items-center gap-2 px-4 py-4 font-semibold">
          <ShieldCheck className="size-5 text-primary" />
          <span className="truncate">{t('app.name')}</span>
        </div>
        <nav aria-label={t('app.name')} className="flex-1 overflow-y-auto px-2">
          <ul className="flex flex-col gap-0.5">
            {MAIN.map(link)}
            {user.role !== 'user' && EDITOR.map(link)}
          </ul>
          {user.role === 'admin' && (
            <>
              <p className="mt-4 px-3 pb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">
                {t('nav.admin')}
              </p>
              <ul className="flex flex-col gap-0.5" data-testid="admin-nav">
                {ADMIN.map(link)}
              </ul>
            </>
          )}
        </nav>
        <div className="flex flex-col gap-2 border-t p-3">
          <p className="truncate text-xs text-muted-foreground" data-testid="current-user">
            {t('nav.signedInAs', { name: user.displayName || user.username })}
          </p>
          <LocaleSwitcher />
          <button
            type="button"
            onClick={signOut}
            className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring cursor-pointer"
          >
            <LogOut className="size-4" />
            {t('nav.signOut')}
          </button>
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 p-6">
        {children}
      </main>
    </div>
  );
}

export function PageHeader({
  title,
  children,
  className,
}: {
  title: React.ReactNode;
  children?: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('mb-4 flex flex-wrap items-center justify-between gap-3', className)}>
      <h1 className="min-w-0 text-xl font-semibold break-words">{title}</h1>
      {children && <div className="flex flex-wrap items-center gap-2">{children}</div>}
    </div>
  );
}
