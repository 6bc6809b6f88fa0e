// Shared by the benchmarks: their tables show medians of repeated runs (shared 2-core machines are noisy).

/** The median; of an even count, the lower of the two middle values (a value that was measured). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
