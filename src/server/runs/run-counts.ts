// What a run did, from its stats, whatever spelling the worker used (flat, or nested under
// `ingest`/`assets`): shown in the runs list and on the run page.
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
    new: pick('new', 'created', 'assets_new', 'assetsNew', 'assetsCreated', 'assets_created'),
    changed: pick('changed', 'updated', 'assets_changed', 'assetsChanged'),
    unchanged: pick('unchanged', 'assets_unchanged', 'assetsUnchanged'),
    missing: pick('missing', 'went_missing', 'assets_missing', 'assetsMissing', 'wentMissing'),
    assets: pick('assets', 'assetsSeen', 'assets_seen', 'objects'),
    relations: pick('relations', 'relationsSeen', 'relations_seen'),
  };
}

/**
 * Whether the run will be tried again, told truthfully: a failed run is final (the worker only fails a
 * run when it will not retry it), a queued one waiting after a failure retries at `not_before`.
 */
export function retryState(run: {
  status: string;
  attempt: number;
  max_attempts: number;
  progress: Record<string, unknown> | null;
}): 'final' | 'retrying' | 'none' {
  if (run.status === 'failed') return 'final';
  if (run.status === 'queued' && run.progress?.phase === 'retry_wait') return 'retrying';
  return 'none';
}
