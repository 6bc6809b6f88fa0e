// A small stacked bar chart in plain SVG (no chart library): succeeded and failed runs per day.
import { niceTicks } from '@/lib/nice-ticks';

export function RunsBarChart({
  data,
  labels,
  title,
}: {
  data: { day: string; succeeded: number; failed: number }[];
  labels: { succeeded: string; failed: string };
  title: string;
}) {
  const W = 560;
  const H = 180;
  const pad = { top: 12, bottom: 28, left: 28, right: 8 };
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.succeeded + d.failed)));
  const top = ticks.at(-1)!;
  const step = (W - pad.left - pad.right) / Math.max(1, data.length);
  const bar = Math.min(48, step * 0.6);
  const y = (v: number) => ((H - pad.top - pad.bottom) * v) / top;
  return (
    <figure className="w-full">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="h-auto w-full max-w-2xl">
        <title>{title}</title>
        {ticks.map((tv) => (
          <g key={tv}>
            <line
              x1={pad.left}
              x2={W - pad.right}
              y1={H - pad.bottom - y(tv)}
              y2={H - pad.bottom - y(tv)}
              className="stroke-border"
            />
            <text
              x={pad.left - 6}
              y={H - pad.bottom - y(tv) + 4}
              textAnchor="end"
              className="fill-muted-foreground text-[10px]"
            >
              {tv}
            </text>
          </g>
        ))}
        {data.map((d, i) => {
          const x = pad.left + i * step + (step - bar) / 2;
          const hs = y(d.succeeded);
          const hf = y(d.failed);
          const base = H - pad.bottom;
          return (
            // Each day's bars open that day's runs.
            <a
              key={d.day}
              href={`/runs?day=${d.day}`}
              data-day={d.day}
              aria-label={`${d.day}: ${labels.succeeded} ${d.succeeded}, ${labels.failed} ${d.failed}`}
            >
              <rect x={x} y={base - hs} width={bar} height={hs} className="fill-success" rx={2}>
                <title>{`${d.day}: ${labels.succeeded} ${d.succeeded}`}</title>
              </rect>
              <rect x={x} y={base - hs - hf} width={bar} height={hf} className="fill-destructive" rx={2}>
                <title>{`${d.day}: ${labels.failed} ${d.failed}`}</title>
              </rect>
              <text
                x={x + bar / 2}
                y={H - 10}
                textAnchor="middle"
                className="fill-muted-foreground text-[10px]"
              >
                {d.day.slice(5)}
              </text>
            </a>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex gap-4 text-xs text-muted-foreground">
        <span className="flex items-center gap-1">
          <span className="inline-block size-3 rounded-sm bg-success" /> {labels.succeeded}
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block size-3 rounded-sm bg-destructive" /> {labels.failed}
        </span>
      </figcaption>
    </figure>
  );
}
