'use client';
// Ledger fields as asset-list columns (issue 13 §9): the chosen keys live in the URL (`lcols=owner,rack`),
// so a filtered, sorted view with its columns is a link. The cells format values like the Ledger card.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Columns3 } from 'lucide-react';
import { Checkbox } from '@/components/ui/input';
import { useLocale, useT } from '@/i18n/client';
import { fieldLabel, type LedgerFieldView } from './types';

export function LedgerColumnsPicker({ fields, selected }: { fields: LedgerFieldView[]; selected: string[] }) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  function toggle(key: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    const q = new URLSearchParams(sp.toString());
    const keys = fields.map((f) => f.key).filter((k) => next.has(k));
    if (keys.length) q.set('lcols', keys.join(','));
    else q.delete('lcols');
    router.push(`${pathname}?${q.toString()}`);
  }
  return (
    <details className="relative text-sm" data-testid="ledger-columns">
      <summary className="flex cursor-pointer list-none items-center gap-1 rounded-md border px-2 py-1 hover:bg-accent">
        <Columns3 className="size-4" /> {t('ledger.columns')}
      </summary>
      <div className="absolute right-0 z-10 mt-1 flex w-56 flex-col gap-1 rounded-md border bg-card p-2 shadow-md">
        {fields.map((f) => (
          <label key={f.key} className="flex items-center gap-2">
            <Checkbox
              checked={selected.includes(f.key)}
              onChange={(e) => toggle(f.key, e.target.checked)}
              data-testid={`ledger-column-${f.key}`}
            />
            {fieldLabel(f, locale)}
          </label>
        ))}
      </div>
    </details>
  );
}
