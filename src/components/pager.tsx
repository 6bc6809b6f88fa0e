import Link from 'next/link';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import type { Translate } from '@/i18n';
import { buttonVariants } from './ui/button';
import { cn } from './ui/cn';

/** Page numbers to show: the first, the last, and two either side of the current one; null is a gap. */
export function pageWindow(current: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - current) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/**
 * Numbered pages that keep the current query, offset-based like the API, and (with `pageSizes`) a
 * page-size choice. The caller clamps the offset, so no range past the end is ever shown.
 */
export function Pager({
  basePath,
  query,
  total,
  offset,
  limit,
  t,
  pageSizes,
  defaultLimit,
}: {
  basePath: string;
  query: Record<string, string | undefined>;
  total: number;
  offset: number;
  limit: number;
  t: Translate;
  pageSizes?: number[];
  /** The page size a URL without `limit` means. */
  defaultLimit?: number;
}) {
  const href = (o: number, l = limit) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v && k !== 'offset' && k !== 'limit') p.set(k, v);
    if (pageSizes && l !== defaultLimit) p.set('limit', String(l));
    if (o > 0) p.set('offset', String(o));
    const s = p.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  const from = total === 0 ? 0 : Math.min(offset + 1, total);
  const to = Math.min(offset + limit, total);
  const pages = Math.max(1, Math.ceil(total / limit));
  const current = Math.min(pages, Math.floor(offset / limit) + 1);
  const prev = offset > 0;
  const next = offset + limit < total;
  const cls = (enabled: boolean) =>
    cn(
      buttonVariants({ variant: 'outline', size: 'sm' }),
      'h-7 px-2',
      !enabled && 'pointer-events-none opacity-50',
    );
  return (
    <nav
      className="flex flex-wrap items-center justify-between gap-3 py-2 text-xs"
      aria-label={t('common.pagination')}
    >
      <span className="text-muted-foreground" data-testid="pager-summary">
        {t('common.pageOf', { from, to, total })}
      </span>
      <div className="flex flex-wrap items-center gap-1">
        <Link
          href={href(Math.max(0, offset - limit))}
          className={cls(prev)}
          aria-disabled={!prev}
          tabIndex={prev ? 0 : -1}
          aria-label={t('common.previous')}
        >
          <ChevronLeft />
        </Link>
        {pageWindow(current, pages).map((p, i) =>
          p === null ? (
            <span key={`gap-${i}`} className="px-1 text-muted-foreground">
              …
            </span>
          ) : (
            <Link
              key={p}
              href={href((p - 1) * limit)}
              aria-current={p === current ? 'page' : undefined}
              aria-label={t('common.page', { n: p })}
              data-testid="pager-page"
              className={cn(
                buttonVariants({ variant: p === current ? 'default' : 'ghost', size: 'sm' }),
                'h-7 min-w-7 px-2',
              )}
            >
              {p}
            </Link>
          ),
        )}
        <Link
          href={href(offset + limit)}
          className={cls(next)}
          aria-disabled={!next}
          tabIndex={next ? 0 : -1}
          aria-label={t('common.next')}
        >
          <ChevronRight />
        </Link>
        {pageSizes && (
          <span className="ml-3 flex items-center gap-1" data-testid="page-sizes">
            <span className="text-muted-foreground">{t('common.perPage')}</span>
            {pageSizes.map((s) => (
              <Link
                key={s}
                href={href(0, s)}
                aria-current={s === limit ? 'true' : undefined}
                className={cn(
                  buttonVariants({ variant: s === limit ? 'secondary' : 'ghost', size: 'sm' }),
                  'h-7 px-2',
                )}
              >
                {s}
              </Link>
            ))}
          </span>
        )}
      </div>
    </nav>
  );
}

/** The offset to show for a requested one: a page start, never past the last page. */
export function clampOffset(offset: number, limit: number, total: number): number {
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  return Math.min(Math.max(0, Math.floor(offset / limit) * limit), last);
}
