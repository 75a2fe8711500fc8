/**
 * Latency histograms that add up: each value counts in one bucket, so hourly counts can be summed with atomic
 * ADDs and merged over any range, and a percentile is read back from the merged counts. Bucket bounds grow
 * by 20%: 10 ms, 12 ms, 14 ms … 60 s, so an interpolated percentile is within about 10% of the exact value.
 */

/** Upper bounds (inclusive, ms) of the buckets; values above the last fall in an overflow bucket. */
export const BUCKET_BOUNDS_MS: readonly number[] = Object.freeze(
  Array.from({ length: 49 }, (_, i) => Math.round(10 * 1.2 ** i)),
);

/** Bucket counts by index (absent: 0); index BUCKET_BOUNDS_MS.length is the overflow bucket. */
export type BucketCounts = Readonly<Record<number, number>>;

/** The bucket a value falls in. */
export function bucketOf(valueMs: number): number {
  const index = BUCKET_BOUNDS_MS.findIndex((bound) => valueMs <= bound);
  return index === -1 ? BUCKET_BOUNDS_MS.length : index;
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of the counted values, interpolated linearly inside its bucket;
 * undefined when nothing was counted. In the overflow bucket it is the last bound (a lower limit).
 */
export function percentileOf(counts: BucketCounts, p: number): number | undefined {
  const entries = Object.entries(counts)
    .map(([index, count]) => [Number(index), count] as const)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a - b);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = (p / 100) * total;
  let below = 0;
  for (const [index, count] of entries) {
    if (below + count >= rank) {
      const upper = BUCKET_BOUNDS_MS[index];
      if (upper === undefined) return BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.length - 1];
      const lower = index === 0 ? 0 : (BUCKET_BOUNDS_MS[index - 1] as number);
      return lower + ((upper - lower) * (rank - below)) / count;
    }
    below += count;
  }
  return BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.length - 1];
}

/** An exact percentile of plain values (nearest rank), for distributions the aggregates hold whole. */
export function exactPercentileOf(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
