// What a run did, from its stats as the API shows them (camelCase, RunDto; flat, or nested under
// `ingest`/`assets` in older runs): shown in the runs list and on the run page.
export type RunCounts = {
  new: number | null;
  changed: number | null;
  unchanged: number | null;
  missing: number | null;
  assets: number | null;
  relations: number | null;
};

export function runCounts(stats: Record<string, unknown> | null | undefined): RunCounts {
  const s = stats ?? {};
  const nested = [s, s.ingest, s.assets, s.counts].filter(
    (x): x is Record<string, unknown> => Boolean(x) && typeof x === 'object',
  );
  const pick = (...keys: string[]) => {
    for (const o of nested) for (const k of keys) if (typeof o[k] === 'number') return o[k] as number;
    return null;
  };
  return {
    new: pick('new', 'created', 'assetsNew', 'assetsCreated'),
    changed: pick('changed', 'updated', 'assetsChanged'),
    unchanged: pick('unchanged', 'assetsUnchanged'),
    missing: pick('missing', 'assetsMissing', 'wentMissing'),
    assets: pick('assets', 'assetsSeen', 'objects'),
    relations: pick('relations', 'relationsSeen'),
  };
}

/**
 * Whether the run will be tried again, told truthfully: a failed run is final (the worker only fails a
 * run when it will not retry it), a queued one waiting after a failure retries at `notBefore`.
 */
export function retryState(run: {
  status: string;
  attempt: number;
  maxAttempts: number;
  progress: Record<string, unknown> | null;
}): 'final' | 'retrying' | 'none' {
  if (run.status === 'failed') return 'final';
  if (run.status === 'queued' && run.progress?.phase === 'retry_wait') return 'retrying';
  return 'none';
}
