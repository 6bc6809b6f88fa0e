'use client';
// The asset page's Ledger card: every ledger field that applies to the asset's kind, edited in place, and
// the overrides of observed facts shown beside what the sources observe ("observed: …"). Each save is a
// PATCH carrying the version this card last read; a stale version shows the current values instead of
// overwriting someone else's change.
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Check, Pencil, X } from 'lucide-react';
import { api, ApiError } from '@/components/api';
import { fmtDateTime } from '@/components/format';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { useLocale, useT } from '@/i18n/client';
import { fieldLabel, showValue, type AssetLedgerView, type LedgerFieldView, type Overrides } from './types';
import { fromInputText, toInputText, ValueInput } from './value-input';

type Editing = { kind: 'value'; key: string } | { kind: 'override'; key: keyof Overrides } | null;

export function LedgerCard({
  initial,
  fields,
  canEdit,
}: {
  initial: AssetLedgerView;
  fields: LedgerFieldView[];
  canEdit: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const [ledger, setLedger] = useState(initial);
  const [editing, setEditing] = useState<Editing>(null);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const applicable = fields.filter((f) => f.kinds.includes(ledger.kind) && !f.archived);

  function start(e: Editing, current: unknown) {
    setEditing(e);
    setDraft(toInputText(current));
    setError(null);
  }

  async function save() {
    if (!editing) return;
    setBusy(true);
    setError(null);
    const body =
      editing.kind === 'value'
        ? {
            version: ledger.version,
            values: {
              [editing.key]: fromInputText(
                fields.find((f) => f.key === editing.key)!,
                draft,
              ),
            },
          }
        : { version: ledger.version, overrides: { [editing.key]: draft.trim() === '' ? null : draft } };
    try {
      const next = await api<AssetLedgerView>(`/api/v1/assets/${ledger.assetUuid}/ledger`, {
        method: 'PATCH',
        body,
      });
      setLedger(next);
      setEditing(null);
      router.refresh(); // the header, history and list show the change too
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const res = await api<AssetLedgerView>(`/api/v1/assets/${ledger.assetUuid}/ledger`);
        setLedger(res);
        setEditing(null);
        setError(t('ledger.stale'));
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const controls = (
    <span className="flex gap-1">
      <Button
        size="sm"
        onClick={save}
        disabled={busy}
        data-testid="ledger-save"
        aria-label={t('common.save')}
      >
        <Check />
      </Button>
      <Button size="sm" variant="ghost" onClick={() => setEditing(null)} aria-label={t('common.cancel')}>
        <X />
      </Button>
    </span>
  );
  const editButton = (label: string, onClick: () => void, testId: string) =>
    canEdit && (
      <Button
        size="sm"
        variant="ghost"
        className="h-7 px-2 opacity-60 hover:opacity-100"
        onClick={onClick}
        aria-label={t('ledger.editField', { field: label })}
        data-testid={testId}
      >
        <Pencil className="size-3.5" />
      </Button>
    );

  return (
    <Card data-testid="ledger-card">
      <CardHeader>
        <CardTitle>{t('ledger.card')}</CardTitle>
        <CardDescription>{canEdit ? t('ledger.cardHint') : t('ledger.readOnly')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {error && (
          <Alert variant="destructive" data-testid="ledger-error">
            {error}
          </Alert>
        )}
        <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] items-center gap-x-4 gap-y-1 text-sm">
          {applicable.map((f) => {
            const label = fieldLabel(f, locale);
            const isEditing = editing?.kind === 'value' && editing.key === f.key;
            return (
              <div key={f.key} className="contents" data-testid={`ledger-field-${f.key}`}>
                <dt className="text-muted-foreground">{label}</dt>
                <dd className="flex min-h-8 items-center gap-2">
                  {isEditing ? (
                    <>
                      <ValueInput
                        field={f}
                        id={`ledger-${f.key}`}
                        value={draft}
                        onChange={setDraft}
                        autoFocus
                      />
                      {controls}
                    </>
                  ) : (
                    <>
                      <span className="whitespace-pre-wrap break-words" data-testid={`ledger-value-${f.key}`}>
                        {showValue(t, f, ledger.values[f.key])}
                      </span>
                      {editButton(
                        label,
                        () => start({ kind: 'value', key: f.key }, ledger.values[f.key]),
                        `ledger-edit-${f.key}`,
                      )}
                    </>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
        <section className="flex flex-col gap-1">
          <h3 className="text-sm font-medium">{t('ledger.overrides')}</h3>
          <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] items-center gap-x-4 gap-y-1 text-sm">
            {(['name', 'primaryIp', 'os'] as const).map((k) => {
              const label = t(`ledger.override.${k}`);
              const isEditing = editing?.kind === 'override' && editing.key === k;
              const asserted = ledger.overrides[k];
              return (
                <div key={k} className="contents" data-testid={`ledger-override-${k}`}>
                  <dt className="text-muted-foreground">{label}</dt>
                  <dd className="flex min-h-8 flex-wrap items-center gap-2">
                    {isEditing ? (
                      <>
                        <Input
                          id={`override-${k}`}
                          value={draft}
                          onChange={(e) => setDraft(e.target.value)}
                          autoFocus
                          className="max-w-72"
                          data-testid={`override-input-${k}`}
                        />
                        {controls}
                      </>
                    ) : (
                      <>
                        <span data-testid={`override-value-${k}`}>
                          {asserted ?? ledger.observed[k] ?? t('ledger.empty')}
                        </span>
                        {asserted !== null && <Badge variant="secondary">{t('ledger.overridden')}</Badge>}
                        {asserted !== null && (
                          <span className="text-xs text-muted-foreground" data-testid={`observed-${k}`}>
                            {t('ledger.observed', { value: ledger.observed[k] ?? t('ledger.empty') })}
                          </span>
                        )}
                        {editButton(
                          label,
                          () => start({ kind: 'override', key: k }, asserted ?? ''),
                          `override-edit-${k}`,
                        )}
                      </>
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
        {ledger.updatedBy && ledger.updatedAt && (
          <p className="text-xs text-muted-foreground">
            {t('ledger.lastChange', { user: ledger.updatedBy, time: fmtDateTime(ledger.updatedAt, locale) })}
          </p>
        )}
      </CardContent>
    </Card>
  );
}
