// A running run's progress as the worker reports it (runProgressSchema): the run's phase, the plugin's own
// phase (inventory, hosts, VMs…) and the objects read so far, with a bar when the total is known.
import { translateOr, type Translate } from '@/i18n';

export function RunProgress({ progress, t }: { progress: Record<string, unknown> | null; t: Translate }) {
  if (!progress || Object.keys(progress).length === 0) return null;
  const num = (k: string) => (typeof progress[k] === 'number' ? (progress[k] as number) : null);
  const objects = num('objects') ?? num('done') ?? num('assets');
  const total = num('total') ?? num('expected');
  const pct = num('percent') ?? (objects !== null && total ? Math.min(100, (objects / total) * 100) : null);
  const phase = typeof progress.phase === 'string' ? progress.phase : null;
  const pluginPhase = typeof progress.pluginPhase === 'string' ? progress.pluginPhase : null;
  return (
    <div
      className="flex min-w-32 flex-col gap-1"
      data-testid="run-progress"
      data-phase={phase ?? ''}
      data-objects={objects ?? ''}
    >
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
          pluginPhase && translateOr(t, `pluginPhase.${pluginPhase}`, pluginPhase),
          objects !== null &&
            (total ? t('run.objectsOf', { n: objects, total }) : t('run.objectsSoFar', { n: objects })),
        ]
          .filter(Boolean)
          .join(' · ')}
      </span>
    </div>
  );
}
