import Link from 'next/link';
import { X } from 'lucide-react';
import type { Translate } from '@/i18n';

/** The active filters of a list as chips; each × link is the same list without that filter. */
export function FilterChips({
  basePath,
  query,
  chips,
  t,
}: {
  basePath: string;
  query: Record<string, string | undefined>;
  chips: { name: string; label: string; value: string }[];
  t: Translate;
}) {
  if (!chips.length) return null;
  const without = (name: string) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v && k !== name && k !== 'offset') p.set(k, v);
    const s = p.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  return (
    <ul className="flex flex-wrap items-center gap-1.5" data-testid="filter-chips">
      {chips.map((c) => (
        <li key={c.name}>
          <Link
            href={without(c.name)}
            className="inline-flex items-center gap-1 rounded-full border bg-accent px-2 py-0.5 text-xs hover:bg-muted"
            aria-label={t('common.removeFilter', { label: `${c.label}: ${c.value}` })}
            data-testid="filter-chip"
            data-filter={c.name}
          >
            <span className="text-muted-foreground">{c.label}:</span> {c.value}
            <X className="size-3" />
          </Link>
        </li>
      ))}
      {chips.length > 1 && (
        <li>
          <Link href={basePath} className="text-xs text-primary hover:underline">
            {t('common.clearFilters')}
          </Link>
        </li>
      )}
    </ul>
  );
}
