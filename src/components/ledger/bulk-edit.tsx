'use client';
// The asset list's bulk edit (issue 13 §4): for the selected rows, or for all N assets matching the
// list's filter, set (or clear) one or more ledger fields or overrides (display name, primary IP, OS) in
// one request.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { PencilLine, Plus, Trash2 } from 'lucide-react';
import { api } from '@/components/api';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Checkbox, Select } from '@/components/ui/input';
import { useLocale, useT } from '@/i18n/client';
import { useSelection } from './selection';
import { fieldLabel, type LedgerFieldView } from './types';
import { fromInputText, ValueInput } from './value-input';

type Row = { key: string; value: string; clear: boolean };

const OVERRIDES = ['name', 'primaryIp', 'os'] as const;

/** An override as the value input takes it: free text under the key `override.<name>`. */
const overrideField = (k: (typeof OVERRIDES)[number], label: string): LedgerFieldView => ({
  key: `override.${k}`,
  label: { en: label, zhCN: label },
  type: 'text',
  options: [],
  kinds: ['host', 'cluster', 'vm'],
  unique: false,
  builtin: true,
  archived: false,
});

/** The list filter as the bulk endpoint takes it ({cluster, kind, …, ledger: {key: value}}). */
export type BulkFilter = Record<string, string | Record<string, string | string[]>>;

export function BulkEditBar({
  fields,
  total,
  filter,
}: {
  fields: LedgerFieldView[];
  total: number;
  filter: BulkFilter;
}) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const selection = useSelection();
  const overrideFields = OVERRIDES.map((k) => overrideField(k, t(`ledger.override.${k}`)));
  const active = [...fields.filter((f) => !f.archived), ...overrideFields];
  const selected = selection ? [...selection.selected] : [];
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<'selection' | 'filter'>('selection');
  const [rows, setRows] = useState<Row[]>([{ key: active[0]?.key ?? '', value: '', clear: false }]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit() {
    setBusy(true);
    setError(null);
    const set: Record<string, unknown> = {};
    const overrides: Record<string, string | null> = {};
    for (const r of rows) {
      const f = active.find((x) => x.key === r.key);
      if (!f) continue;
      if (f.key.startsWith('override.'))
        overrides[f.key.slice('override.'.length)] = r.clear ? null : r.value;
      else set[f.key] = r.clear ? null : fromInputText(f, r.value);
    }
    const body = scope === 'selection' ? { ids: selected, set, overrides } : { filter, set, overrides };
    try {
      const res = await api<{ matched: number; changed: number }>('/api/v1/assets/ledger/bulk', { body });
      setDone(t('ledger.bulkDone', res));
      selection?.clear();
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex items-center gap-3" data-testid="bulk-bar">
      <span className="text-sm text-muted-foreground" data-testid="selected-count">
        {t('ledger.selected', { n: selected.length })}
      </span>
      <Dialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (o) {
            setScope(selected.length ? 'selection' : 'filter');
            setError(null);
            setDone(null);
          }
        }}
      >
        <DialogTrigger asChild>
          <Button variant="outline" size="sm" data-testid="bulk-edit" disabled={total === 0}>
            <PencilLine /> {t('ledger.bulkEdit')}
          </Button>
        </DialogTrigger>
        <DialogContent closeLabel={t('common.close')} data-testid="bulk-dialog">
          <DialogTitle>{t('ledger.bulkTitle')}</DialogTitle>
          <DialogDescription>{t('ledger.bulkHint')}</DialogDescription>
          <fieldset className="flex flex-col gap-1 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="scope"
                checked={scope === 'selection'}
                disabled={!selected.length}
                onChange={() => setScope('selection')}
                data-testid="scope-selection"
              />
              {t('ledger.scopeSelection', { n: selected.length })}
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="scope"
                checked={scope === 'filter'}
                onChange={() => setScope('filter')}
                data-testid="scope-filter"
              />
              {t('ledger.scopeFilter', { n: total })}
            </label>
          </fieldset>
          <div className="flex flex-col gap-2">
            {rows.map((r, i) => {
              const f = active.find((x) => x.key === r.key);
              const update = (patch: Partial<Row>) =>
                setRows(rows.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <div key={i} className="flex flex-wrap items-center gap-2" data-testid="bulk-row">
                  <Select
                    aria-label={t('ledger.field')}
                    value={r.key}
                    onChange={(e) => update({ key: e.target.value, value: '' })}
                    className="w-52"
                    data-testid="bulk-field"
                  >
                    {active
                      .filter((x) => !x.key.startsWith('override.'))
                      .map((x) => (
                        <option key={x.key} value={x.key}>
                          {fieldLabel(x, locale)}
                        </option>
                      ))}
                    <optgroup label={t('ledger.overrides')}>
                      {overrideFields.map((x) => (
                        <option key={x.key} value={x.key}>
                          {fieldLabel(x, locale)}
                        </option>
                      ))}
                    </optgroup>
                  </Select>
                  {f && !r.clear && (
                    <div className="min-w-40 flex-1">
                      <ValueInput
                        field={f}
                        id={`bulk-${i}`}
                        value={r.value}
                        onChange={(v) => update({ value: v })}
                      />
                    </div>
                  )}
                  <label className="flex items-center gap-1 text-xs">
                    <Checkbox checked={r.clear} onChange={(e) => update({ clear: e.target.checked })} />
                    {t('ledger.clearValue')}
                  </label>
                  {rows.length > 1 && (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={t('common.delete')}
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                    >
                      <Trash2 />
                    </Button>
                  )}
                </div>
              );
            })}
            <Button
              size="sm"
              variant="ghost"
              className="self-start"
              onClick={() => setRows([...rows, { key: active[0]?.key ?? '', value: '', clear: false }])}
            >
              <Plus /> {t('ledger.addField')}
            </Button>
          </div>
          {error && (
            <p role="alert" className="text-sm text-destructive" data-testid="bulk-error">
              {t('common.error', { message: error })}
            </p>
          )}
          {done && <Alert data-testid="bulk-done">{done}</Alert>}
          <div className="flex justify-end gap-2">
            <Button variant="outline" onClick={() => setOpen(false)}>
              {t('common.close')}
            </Button>
            <Button
              onClick={submit}
              disabled={busy || (scope === 'selection' && !selected.length)}
              data-testid="bulk-submit"
            >
              {busy ? t('common.saving') : t('common.apply')}
            </Button>
          </div>
        </DialogContent>
      </Dialog>
    </div>
  );
}
