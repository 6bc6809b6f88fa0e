'use client';
// The asset list's export (issue 14): CSV or the RVTools-style Excel workbook of the list as filtered.
// Both are plain links (they work without JavaScript, and a small export is just a download). An export of
// more than BACKGROUND_ROWS assets is fetched in the background instead: a panel shows how far it is (rows
// for CSV, bytes for the compressed workbook), the page stays usable, and the file is saved when complete.
import { useRef, useState } from 'react';
import { Download, FileSpreadsheet, X } from 'lucide-react';
import { Button, buttonVariants } from '@/components/ui/button';
import { useLocale, useT } from '@/i18n/client';

const BACKGROUND_ROWS = 2000;

type Format = 'CSV' | 'Excel';
type Job =
  | { state: 'running'; format: Format; done: number; bytes: number }
  | { state: 'done'; format: Format; file: string }
  | { state: 'failed'; format: Format; error: string };

function fileName(res: Response, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return m?.[1] ?? fallback;
}

function formatSize(n: number): string {
  return n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function save(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function ExportMenu({ query, total }: { query: string; total: number }) {
  const t = useT();
  const locale = useLocale();
  const [job, setJob] = useState<Job | null>(null);
  const abort = useRef<AbortController | null>(null);
  const params = new URLSearchParams(query);
  if (locale !== 'en') params.set('lang', locale);
  const qs = params.toString() ? `?${params}` : '';
  const csvHref = `/api/v1/exports/assets${qs}`;
  const xlsxHref = `/api/v1/exports/assets.xlsx${qs}`;

  async function runInBackground(format: Format, href: string, fallback: string) {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setJob({ state: 'running', format, done: 0, bytes: 0 });
    try {
      const res = await fetch(href, { credentials: 'same-origin', signal: ctl.signal });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => null);
        throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      }
      const reader = res.body.getReader();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      let lines = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        bytes += value.byteLength;
        // CSV: one line per asset (after the header); quoted cells never hold a raw newline from us.
        if (format === 'CSV') for (const b of value) if (b === 10) lines++;
        setJob({ state: 'running', format, done: Math.max(0, lines - 1), bytes });
      }
      const file = fileName(res, fallback);
      save(new Blob(chunks, { type: res.headers.get('content-type') ?? undefined }), file);
      setJob({ state: 'done', format, file });
    } catch (err) {
      if (ctl.signal.aborted) setJob(null);
      else setJob({ state: 'failed', format, error: err instanceof Error ? err.message : String(err) });
    }
  }

  const onClick = (format: Format, href: string, fallback: string) => (e: React.MouseEvent) => {
    if (total <= BACKGROUND_ROWS) return; // a plain download
    e.preventDefault();
    void runInBackground(format, href, fallback);
  };

  const running = job?.state === 'running';
  return (
    <div className="flex items-center gap-2" role="group" aria-label={t('assetExport.menu')}>
      <a
        href={csvHref}
        className={buttonVariants({ variant: 'outline', size: 'sm' })}
        data-testid="export-csv"
        aria-disabled={running}
        onClick={onClick('CSV', csvHref, 'assets.csv')}
      >
        <Download /> {t('assets.exportCsv')}
      </a>
      <a
        href={xlsxHref}
        className={buttonVariants({ variant: 'outline', size: 'sm' })}
        data-testid="export-xlsx"
        aria-disabled={running}
        onClick={onClick('Excel', xlsxHref, 'estate.xlsx')}
      >
        <FileSpreadsheet /> {t('assetExport.excel')}
      </a>
      {job && (
        <div
          className="fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2 rounded-lg border bg-card p-3 text-sm shadow-lg"
          role="status"
          aria-live="polite"
          data-testid="export-progress"
          data-state={job.state}
        >
          {job.state === 'running' && (
            <>
              <span>
                {t('assetExport.preparing', { format: job.format, total: total.toLocaleString(locale) })}
              </span>
              <div
                className="h-1.5 w-full overflow-hidden rounded bg-muted"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={job.format === 'CSV' ? Math.round((job.done / total) * 100) : undefined}
              >
                <div
                  className={`h-full bg-primary transition-all ${job.format === 'CSV' ? '' : 'animate-pulse'}`}
                  style={{
                    width: job.format === 'CSV' ? `${Math.min(100, (job.done / total) * 100)}%` : '100%',
                  }}
                />
              </div>
              <span className="text-xs text-muted-foreground">
                {job.format === 'CSV'
                  ? t('assetExport.rows', {
                      done: job.done.toLocaleString(locale),
                      total: total.toLocaleString(locale),
                    })
                  : t('assetExport.received', { size: formatSize(job.bytes) })}
                {' · '}
                {t('assetExport.background')}
              </span>
              <Button
                size="sm"
                variant="ghost"
                onClick={() => abort.current?.abort()}
                data-testid="export-cancel"
              >
                {t('assetExport.cancel')}
              </Button>
            </>
          )}
          {job.state !== 'running' && (
            <div className="flex items-start justify-between gap-2">
              <span className={job.state === 'failed' ? 'text-destructive' : undefined}>
                {job.state === 'done'
                  ? t('assetExport.done', { format: job.format, file: job.file })
                  : t('assetExport.failed', { format: job.format, error: job.error })}
              </span>
              <button type="button" aria-label={t('assetExport.dismiss')} onClick={() => setJob(null)}>
                <X className="size-4" />
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
