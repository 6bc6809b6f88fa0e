'use client';
// Upload a CSV, preview what it would do (a dry run: nothing is written), filter the preview by outcome,
// then apply the same file and download the result report.
import { useState } from 'react';
import Link from 'next/link';
import { Download, Eye, Upload } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button, buttonVariants } from '@/components/ui/button';
import { Checkbox, Label, Select } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useLocale, useT } from '@/i18n/client';
import { fieldByKey, formatField, type FieldDef } from '@/server/fields/dictionary';

type Outcome = 'matched' | 'unmatched' | 'ambiguous' | 'invalid';
type Result = {
  importId: string | null;
  status: 'dry_run' | 'applied' | 'rejected';
  encoding: string;
  delimiter: string;
  summary: Record<Outcome | 'rows' | 'changed', number>;
  applied: number;
  rows: {
    row: number;
    outcome: Outcome;
    assetUuid: string | null;
    assetName: string | null;
    reason: string | null;
    changes: { field: string; old: unknown; new: unknown }[];
  }[];
  rowsListed: number;
};

const BADGE: Record<Outcome, 'success' | 'secondary' | 'warning' | 'destructive'> = {
  matched: 'success',
  unmatched: 'secondary',
  ambiguous: 'warning',
  invalid: 'destructive',
};
const PREVIEW_ROWS = 2000;
const DELIMITER_NAMES: Record<string, 'comma' | 'semicolon' | 'tab'> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
};
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '∅' : String(v));

export function ImportForm({ fields }: { fields: FieldDef[] }) {
  const t = useT();
  const locale = useLocale();
  const defOf = (key: string) =>
    key.startsWith('override.') ? fieldByKey(key) : fields.find((f) => f.key === `ledger.${key}`);
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState('auto');
  const [delimiter, setDelimiter] = useState('auto');
  const [strict, setStrict] = useState(true);
  const [clearEmpty, setClearEmpty] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [preview, setPreview] = useState<Result | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(mode: 'dry-run' | 'apply') {
    if (!file) return;
    setBusy(true);
    setError(null);
    const q = new URLSearchParams({
      mode,
      encoding,
      delimiter,
      strict: String(strict),
      clearEmpty: String(clearEmpty),
      fileName: file.name.slice(0, 255),
      limit: String(PREVIEW_ROWS),
    });
    const form = new FormData();
    form.set('file', file);
    try {
      const res = await fetch(`/api/v1/imports/ledger?${q}`, {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      if (mode === 'apply') setResult(body as Result);
      else {
        setPreview(body as Result);
        setResult(null);
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const rows = (preview?.rows ?? []).filter((r) => !outcome || r.outcome === outcome);
  return (
    <div className="flex flex-col gap-4">
      <form
        className="flex flex-col gap-3 rounded-lg border bg-card p-4"
        onSubmit={(e) => {
          e.preventDefault();
          void send('dry-run');
        }}
      >
        <div className="flex flex-wrap items-end gap-4">
          <div className="flex flex-col gap-1">
            <Label htmlFor="import-file">{t('ledger.file')}</Label>
            {/* The browser's own picker says "Choose File / No file chosen" in its UI language, not ours:
                the input stays (keyboard, drop, tests) but is drawn as our button and the chosen name. */}
            <div className="flex h-9 items-center gap-2">
              <input
                id="import-file"
                type="file"
                accept=".csv,.txt,text/csv"
                data-testid="import-file"
                className="peer sr-only"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setPreview(null);
                  setResult(null);
                }}
              />
              <label
                htmlFor="import-file"
                className={`${buttonVariants({ variant: 'outline', size: 'sm' })} cursor-pointer peer-focus-visible:ring-2 peer-focus-visible:ring-ring`}
              >
                <Upload className="size-4" />
                {t('ledger.chooseFile')}
              </label>
              <span
                className="max-w-64 truncate text-sm text-muted-foreground"
                data-testid="import-file-name"
              >
                {file ? file.name : t('ledger.noFile')}
              </span>
            </div>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="import-encoding">{t('ledger.encoding')}</Label>
            <Select id="import-encoding" value={encoding} onChange={(e) => setEncoding(e.target.value)}>
              <option value="auto">{t('ledger.encodingAuto')}</option>
              <option value="utf-8">UTF-8</option>
              <option value="gb18030">GB18030 / GBK</option>
            </Select>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="import-delimiter">{t('ledger.delimiter')}</Label>
            <Select id="import-delimiter" value={delimiter} onChange={(e) => setDelimiter(e.target.value)}>
              {(['auto', 'comma', 'semicolon', 'tab'] as const).map((d) => (
                <option key={d} value={d}>
                  {t(`ledger.delimiters.${d}`)}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <Checkbox
              checked={strict}
              onChange={(e) => setStrict(e.target.checked)}
              data-testid="import-strict"
            />
            {t('ledger.strict')}
          </label>
          <label className="flex items-center gap-2">
            <Checkbox checked={clearEmpty} onChange={(e) => setClearEmpty(e.target.checked)} />
            {t('ledger.clearEmpty')}
          </label>
        </div>
        <div>
          <Button type="submit" disabled={!file || busy} data-testid="import-preview">
            <Eye /> {t('ledger.preview')}
          </Button>
        </div>
      </form>

      {error && (
        <Alert variant="destructive" data-testid="import-error">
          {error}
        </Alert>
      )}

      {preview && (
        <section className="flex flex-col gap-3" data-testid="import-preview-result">
          <p className="text-sm" data-testid="import-summary">
            {t('ledger.summary', preview.summary)} · {preview.encoding === 'gb18030' ? 'GB18030' : 'UTF-8'} ·{' '}
            {t(`ledger.delimiters.${DELIMITER_NAMES[preview.delimiter] ?? 'comma'}`)}
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <Select
              aria-label={t('ledger.allOutcomes')}
              value={outcome}
              onChange={(e) => setOutcome(e.target.value as Outcome | '')}
              className="w-auto"
              data-testid="import-outcome-filter"
            >
              <option value="">{t('ledger.allOutcomes')}</option>
              {(['matched', 'unmatched', 'ambiguous', 'invalid'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`ledger.outcome.${o}`)} ({preview.summary[o]})
                </option>
              ))}
            </Select>
            {!result && (
              <Button
                onClick={() => void send('apply')}
                disabled={busy || preview.summary.changed === 0 || (strict && preview.summary.invalid > 0)}
                data-testid="import-apply"
              >
                <Upload /> {t('ledger.apply', { n: preview.summary.changed })}
              </Button>
            )}
          </div>
          {result && (
            <Alert variant={result.status === 'applied' ? 'default' : 'warning'} data-testid="import-result">
              <span>
                {result.status === 'applied'
                  ? t('ledger.applied', { n: result.applied })
                  : t('ledger.rejected', { n: result.summary.invalid })}
              </span>{' '}
              {result.importId && (
                <a
                  href={`/api/v1/imports/ledger/${result.importId}/report`}
                  className={buttonVariants({ variant: 'outline', size: 'sm' })}
                  data-testid="import-report"
                >
                  <Download /> {t('ledger.report')}
                </a>
              )}
            </Alert>
          )}
          {preview.summary.rows > preview.rowsListed && (
            <p className="text-xs text-muted-foreground">
              {t('ledger.shownRows', { shown: preview.rowsListed, total: preview.summary.rows })}
            </p>
          )}
          <Table data-testid="import-rows">
            <TableHeader>
              <TableRow>
                <TableHead>{t('ledger.row')}</TableHead>
                <TableHead>{t('assets.status')}</TableHead>
                <TableHead>{t('ledger.asset')}</TableHead>
                <TableHead>{t('ledger.changes')}</TableHead>
                <TableHead>{t('ledger.reason')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.row} data-testid="import-row" data-outcome={r.outcome}>
                  <TableCell>{r.row}</TableCell>
                  <TableCell>
                    <Badge variant={BADGE[r.outcome]}>{t(`ledger.outcome.${r.outcome}`)}</Badge>
                  </TableCell>
                  <TableCell>
                    {r.assetUuid ? (
                      <Link href={`/assets/${r.assetUuid}`} className="text-primary hover:underline">
                        {r.assetName ?? r.assetUuid}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell className="text-xs">
                    {r.changes.length === 0 && r.outcome === 'matched' ? (
                      <span className="text-muted-foreground">{t('ledger.noChanges')}</span>
                    ) : (
                      <ul>
                        {r.changes.map((c) => {
                          const def = defOf(c.field);
                          const fmt = (v: unknown) => (def ? formatField(def, v, locale) : show(v));
                          return (
                            <li key={c.field} data-field={c.field}>
                              <span className="font-medium">{def ? def.label[locale] : c.field}</span>:{' '}
                              {fmt(c.old)} → {fmt(c.new)}
                            </li>
                          );
                        })}
                      </ul>
                    )}
                  </TableCell>
                  <TableCell className="max-w-96 text-xs">{r.reason ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      )}
    </div>
  );
}
