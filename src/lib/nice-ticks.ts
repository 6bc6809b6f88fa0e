/**
 * Axis ticks for counts from 0 to at least `max`: evenly spaced at 1, 2 or 5 × a power of ten, at most five
 * of them, the last one at or above `max` (3 runs: 0, 1, 2, 3 — not 0, 2, 3; 41: 0, 20, 40, 60).
 */
export function niceTicks(max: number): number[] {
  const raw = Math.max(1, max) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!,
  );
  const top = Math.ceil(Math.max(1, max) / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}
