import Link from 'next/link';
import { cn } from './ui/cn';

/**
 * Tabs whose choice lives in the URL (`?tab=history`): a reload, a shared link or the back button land
 * on the same tab. Server-rendered links; only the active tab's content is rendered by the caller.
 */
export function LinkTabs({
  tabs,
  active,
  hrefFor,
}: {
  tabs: { id: string; label: string }[];
  active: string;
  hrefFor: (id: string) => string;
}) {
  return (
    <nav
      className="inline-flex h-9 flex-wrap items-center rounded-lg bg-muted p-1 text-muted-foreground"
      role="tablist"
    >
      {tabs.map((tab) => (
        <Link
          key={tab.id}
          href={hrefFor(tab.id)}
          role="tab"
          aria-selected={tab.id === active}
          data-testid={`tab-${tab.id}`}
          scroll={false}
          className={cn(
            'inline-flex items-center rounded-md px-3 py-1 text-sm font-medium whitespace-nowrap focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
            tab.id === active ? 'bg-card text-foreground shadow-xs' : 'hover:text-foreground',
          )}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
