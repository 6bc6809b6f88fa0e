'use client';
// A list's filters apply as soon as one changes (no "Apply"); the search applies on Enter.
// Still a plain GET form underneath: without JavaScript the search button submits it all.
import { useRouter } from 'next/navigation';
import { Search } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { useT } from '@/i18n/client';

export type FilterDef = {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  /** Width class when the default cuts the label off (e.g. a list of user names). */
  width?: string;
};

export function ListFilters({
  basePath,
  search,
  filters,
  values,
  keep,
  dates = [],
}: {
  basePath: string;
  /** Placeholder of the free-text search (`q`); none: no search box. */
  search?: string;
  filters: FilterDef[];
  values: Record<string, string | undefined>;
  /** Query parameters the form does not show but keeps (sort, page size). */
  keep: Record<string, string | undefined>;
  /** Date inputs (YYYY-MM-DD), applied on change like the selects. */
  dates?: { name: string; label: string }[];
}) {
  const t = useT();
  const router = useRouter();
  const apply = (form: HTMLFormElement) => {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries())
      if (typeof v === 'string' && v.trim()) p.set(k, v.trim());
    const s = p.toString();
    router.push(s ? `${basePath}?${s}` : basePath);
  };
  return (
    <form
      method="get"
      action={basePath}
      role="search"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        apply(e.currentTarget);
      }}
      onChange={(e) => {
        if (
          e.target instanceof HTMLSelectElement ||
          (e.target instanceof HTMLInputElement && e.target.type === 'date')
        )
          apply(e.currentTarget);
      }}
    >
      {search !== undefined && (
        <div className="flex min-w-52 flex-1 gap-1">
          <Input
            name="q"
            type="search"
            defaultValue={values.q ?? ''}
            placeholder={search}
            aria-label={search}
            title={search}
            data-testid="asset-search"
            className="h-8 text-xs"
          />
          <Button
            type="submit"
            size="sm"
            variant="secondary"
            data-testid="asset-search-submit"
            aria-label={t('common.search')}
          >
            <Search />
          </Button>
        </div>
      )}
      {filters.map((f) => (
        <Select
          key={f.name}
          name={f.name}
          id={`f-${f.name}`}
          aria-label={f.label}
          defaultValue={values[f.name] ?? ''}
          className={`h-8 w-auto text-xs ${f.width ?? 'max-w-28'}`}
          data-testid={`filter-${f.name}`}
        >
          {/* The label alone when nothing is chosen: "Source: All" was cut off at its width (zh-CN
              above all) and the narrower selects leave the search its placeholder's room; the chips
              say in full what is chosen. */}
          <option value="">{f.label}</option>
          {f.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      ))}
      {dates.map((d) => (
        <label key={d.name} className="flex items-center gap-1 text-xs text-muted-foreground">
          {d.label}
          <Input
            type="date"
            name={d.name}
            defaultValue={values[d.name] ?? ''}
            className="h-8 w-36 text-xs"
            data-testid={`filter-${d.name}`}
          />
        </label>
      ))}
      {Object.entries(keep).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
    </form>
  );
}
