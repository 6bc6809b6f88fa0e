import Link from 'next/link';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import type { Translate } from '@/i18n';
import { buttonVariants } from './ui/button';
import { cn } from './ui/cn';

/** Previous/next links that keep the current query; offset-based like the API. */
export function Pager({
  basePath,
  query,
  total,
  offset,
  limit,
  t,
}: {
  basePath: string;
  query: Record<string, string | undefined>;
  total: number;
  offset: number;
  limit: number;
  t: Translate;
}) {
  const href = (o: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v && k !== 'offset') p.set(k, v);
    if (o > 0) p.set('offset', String(o));
    const s = p.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  const prev = offset > 0;
  const next = offset + limit < total;
  const cls = (enabled: boolean) =>
    cn(buttonVariants({ variant: 'outline', size: 'sm' }), !enabled && 'pointer-events-none opacity-50');
  return (
    <nav className="flex items-center justify-between gap-3 py-3 text-sm" aria-label="pagination">
      <span className="text-muted-foreground" data-testid="pager-summary">
        {t('common.pageOf', { from, to, total })}
      </span>
      <div className="flex gap-2">
        <Link
          href={href(Math.max(0, offset - limit))}
          className={cls(prev)}
          aria-disabled={!prev}
          tabIndex={prev ? 0 : -1}
        >
          <ChevronLeft /> {t('common.previous')}
        </Link>
        <Link
          href={href(offset + limit)}
          className={cls(next)}
          aria-disabled={!next}
          tabIndex={next ? 0 : -1}
        >
          {t('common.next')} <ChevronRight />
        </Link>
      </div>
    </nav>
  );
}
