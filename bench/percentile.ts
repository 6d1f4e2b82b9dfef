/**
 * The `p`-th percentile of `sorted` (ascending), by nearest rank: the smallest value with at
 * least `p` % of the values at or below it; the 50th is the lower of the two middle values for
 * an even count. NaN for no values. The benches' one way to read medians and p95s.
 */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** The median of `values`, in any order: {@link percentile}'s 50th. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
