/** Summaries of a sample of latencies: nearest-rank percentiles, so every reported value was observed. */

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * The nearest-rank percentile (the smallest value with at least p% of the sample at or below it)
 * of a sample sorted ascending; undefined for an empty sample.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`a percentile is in (0, 100], got ${p}`);
  if (sorted.length === 0) return undefined;
  // Without the tolerance 0.999 * 1000 would round up past 999 (it is 999.0000000000001 in binary).
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9));
  return sorted[rank - 1];
}

export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    p50: percentile(sorted, 50)!,
    p90: percentile(sorted, 90)!,
    p99: percentile(sorted, 99)!,
    p999: percentile(sorted, 99.9)!,
    max: sorted[sorted.length - 1]!,
  };
}
