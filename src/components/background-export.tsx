'use client';
// A long export that keeps running while the user works (issue 14): the download is fetched by the app
// shell, not by the page that started it, so its progress panel and the file survive moving to another
// page of the app. Progress is rows for CSV (one line per asset) and bytes received for the workbook
// (a compressed stream: its rows cannot be counted on the way). The file is saved when complete.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { X } from 'lucide-react';
import { useLocale, useT } from '@/i18n/client';
import { Button } from './ui/button';

export type ExportFormat = 'CSV' | 'Excel';

export interface ExportRequest {
  format: ExportFormat;
  href: string;
  /** The file name when the response names none. */
  fallback: string;
  /** Assets in the list as filtered (the CSV's progress is measured against it). */
  total: number;
}

type Job = ExportRequest &
  (
    | { state: 'running'; done: number; bytes: number }
    | { state: 'done'; file: string }
    | { state: 'failed'; error: string }
  );

interface BackgroundExport {
  job: Job | null;
  start(req: ExportRequest): void;
}

const Ctx = createContext<BackgroundExport | null>(null);

// Progress is repainted at most this often: a fast stream delivers hundreds of chunks a second.
const REPAINT_MS = 150;

export function useBackgroundExport(): BackgroundExport {
  const c = useContext(Ctx);
  if (!c) throw new Error('useBackgroundExport needs <BackgroundExportProvider> (the app shell has one)');
  return c;
}

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

/** Newlines in a chunk: CSV rows (quoted cells never hold a raw newline from our writer). */
function countLines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Reads the response to its end, reporting rows (CSV) and bytes as they arrive. */
async function download(
  req: ExportRequest,
  signal: AbortSignal,
  progress: (done: number, bytes: number) => void,
): Promise<string> {
  const res = await fetch(req.href, { credentials: 'same-origin', signal });
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
    if (req.format === 'CSV') lines += countLines(value);
    progress(Math.max(0, lines - 1), bytes);
  }
  const file = fileName(res, req.fallback);
  save(new Blob(chunks, { type: res.headers.get('content-type') ?? undefined }), file);
  return file;
}

export function BackgroundExportProvider({ children }: { children: React.ReactNode }) {
  const [job, setJob] = useState<Job | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = useCallback((req: ExportRequest) => {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setJob({ ...req, state: 'running', done: 0, bytes: 0 });
    let painted = 0;
    const progress = (done: number, bytes: number) => {
      const now = performance.now();
      if (now - painted < REPAINT_MS) return;
      painted = now;
      setJob({ ...req, state: 'running', done, bytes });
    };
    download(req, ctl.signal, progress).then(
      (file) => setJob({ ...req, state: 'done', file }),
      (err: unknown) => {
        if (ctl.signal.aborted) setJob(null);
        else setJob({ ...req, state: 'failed', error: err instanceof Error ? err.message : String(err) });
      },
    );
  }, []);

  // Leaving the app (not a page of it) ends the download with it.
  useEffect(() => () => abort.current?.abort(), []);

  return (
    <Ctx.Provider value={{ job, start }}>
      {children}
      {job && (
        <ExportPanel job={job} onCancel={() => abort.current?.abort()} onDismiss={() => setJob(null)} />
      )}
    </Ctx.Provider>
  );
}

function ExportPanel({
  job,
  onCancel,
  onDismiss,
}: {
  job: Job;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const total = job.total.toLocaleString(locale);
  return (
    <div
      className="fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2 rounded-lg border bg-card p-3 text-sm shadow-lg"
      role="status"
      aria-live="polite"
      data-testid="export-progress"
      data-state={job.state}
    >
      {job.state === 'running' ? (
        <>
          <span>{t('assetExport.preparing', { format: job.format, total })}</span>
          <div
            className="h-1.5 w-full overflow-hidden rounded bg-muted"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={job.format === 'CSV' ? Math.round((job.done / job.total) * 100) : undefined}
          >
            <div
              // The workbook's size is not known ahead: a pale pulsing bar, not a full one that reads "done".
              className={`h-full transition-all ${job.format === 'CSV' ? 'bg-primary' : 'animate-pulse bg-primary/30'}`}
              style={{
                width: job.format === 'CSV' ? `${Math.min(100, (job.done / job.total) * 100)}%` : '100%',
              }}
            />
          </div>
          <span className="text-xs text-muted-foreground" data-testid="export-progress-count">
            {job.format === 'CSV'
              ? t('assetExport.rows', { done: job.done.toLocaleString(locale), total })
              : t('assetExport.received', { size: formatSize(job.bytes) })}
            {' · '}
            {t('assetExport.background')}
          </span>
          <Button size="sm" variant="ghost" onClick={onCancel} data-testid="export-cancel">
            {t('assetExport.cancel')}
          </Button>
        </>
      ) : (
        <div className="flex items-start justify-between gap-2">
          <span className={job.state === 'failed' ? 'text-destructive' : undefined}>
            {job.state === 'done'
              ? t('assetExport.done', { format: job.format, file: job.file })
              : t('assetExport.failed', { format: job.format, error: job.error })}
          </span>
          <button type="button" aria-label={t('assetExport.dismiss')} onClick={onDismiss}>
            <X className="size-4" />
          </button>
        </div>
      )}
    </div>
  );
}
