'use client';
// Chooses the asset list's columns — observed fields and ledger fields alike; the choice is saved on the
// server for this user (PUT /api/v1/auth/me/preferences), so it survives a reload and follows them to
// another browser.
import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Columns3 } from 'lucide-react';
import { Popover } from 'radix-ui';
import { api } from '@/components/api';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/input';
import { useT } from '@/i18n/client';

export function ColumnChooser({
  choices,
  selected,
  defaults,
}: {
  /** Field keys and their labels (already in the reader's language), in dictionary order; ledger
   *  fields (`ledger.<key>`) after the observed ones. */
  choices: { key: string; label: string; ledger?: boolean }[];
  selected: string[];
  /** What "default columns" restores. */
  defaults: string[];
}) {
  const t = useT();
  const router = useRouter();
  const [cols, setCols] = useState(selected);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const save = (next: string[] | null) => {
    setError(null);
    start(async () => {
      try {
        const saved = await api<{ assetColumns: string[] | null }>('/api/v1/auth/me/preferences', {
          method: 'PUT',
          body: { assetColumns: next },
        });
        setCols(saved.assetColumns ?? defaults);
        router.refresh();
      } catch (e) {
        setError(t('common.error', { message: (e as Error).message }));
      }
    });
  };
  const toggle = (key: string, on: boolean) => {
    // Keep dictionary order, so a column appears where a reader expects it.
    const next = choices.map((c) => c.key).filter((k) => (k === key ? on : cols.includes(k)));
    setCols(next);
    save(next);
  };
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <Button variant="outline" size="sm" data-testid="column-chooser">
          <Columns3 /> {t('assets.columns')}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={4}
          className="z-50 w-72 rounded-lg border bg-card p-3 shadow-md"
          data-testid="column-chooser-panel"
        >
          <p className="mb-2 text-xs text-muted-foreground">{t('assets.columnsHint')}</p>
          <div className="max-h-96 overflow-y-auto">
            {[false, true].map((ledger) => {
              const group = choices.filter((c) => Boolean(c.ledger) === ledger);
              if (!group.length) return null;
              return (
                <div key={String(ledger)} data-testid={ledger ? 'column-group-ledger' : undefined}>
                  {ledger && (
                    <p className="mb-1 mt-2 border-t pt-2 text-xs font-medium">{t('ledger.columns')}</p>
                  )}
                  <ul className="grid grid-cols-2 gap-x-3 gap-y-1">
                    {group.map((c) => (
                      <li key={c.key}>
                        <label className="flex items-center gap-2 text-xs" title={c.label}>
                          <Checkbox
                            checked={cols.includes(c.key)}
                            disabled={c.key === 'name' || pending}
                            onChange={(e) => toggle(c.key, e.target.checked)}
                            data-column-choice={c.key}
                          />
                          <span className="truncate">{c.label}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
          </div>
          <div className="mt-3 flex items-center justify-between">
            <Button variant="ghost" size="sm" onClick={() => save(null)} disabled={pending}>
              {t('assets.columnsDefault')}
            </Button>
            {pending && <span className="text-xs text-muted-foreground">{t('common.saving')}</span>}
          </div>
          {error && <p className="mt-2 text-xs text-destructive">{error}</p>}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
