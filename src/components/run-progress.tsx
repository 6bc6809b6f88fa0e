// A running run's progress as the worker reports it (free-form JSON): a bar when there is a fraction,
// otherwise the reported phase and counters.
import { translateOr, type Translate } from '@/i18n';

export function RunProgress({ progress, t }: { progress: Record<string, unknown> | null; t: Translate }) {
  if (!progress || Object.keys(progress).length === 0) return null;
  const num = (k: string) => (typeof progress[k] === 'number' ? (progress[k] as number) : null);
  const done = num('done') ?? num('completed') ?? num('objects') ?? num('assets');
  const total = num('total') ?? num('expected');
  const pct = num('percent') ?? (done !== null && total ? Math.min(100, (done / total) * 100) : null);
  const phase =
    typeof progress.phase === 'string'
      ? progress.phase
      : typeof progress.step === 'string'
        ? progress.step
        : null;
  const rest = Object.entries(progress)
    .filter(
      ([k, v]) =>
        !['phase', 'step', 'percent'].includes(k) && (typeof v === 'number' || typeof v === 'string'),
    )
    .slice(0, 4);
  return (
    <div className="flex min-w-32 flex-col gap-1" data-testid="run-progress">
      {pct !== null && (
        <div
          className="h-1.5 w-full overflow-hidden rounded bg-muted"
          role="progressbar"
          aria-valuenow={Math.round(pct)}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="h-full bg-primary transition-all" style={{ width: `${pct}%` }} />
        </div>
      )}
      <span className="text-xs text-muted-foreground">
        {[
          phase && translateOr(t, `phase.${phase}`, phase),
          ...rest.map(([k, v]) => `${translateOr(t, `run.${k}`, k)}: ${v}`),
        ]
          .filter(Boolean)
          .join(' · ')}
      </span>
    </div>
  );
}
