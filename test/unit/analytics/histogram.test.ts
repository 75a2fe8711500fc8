import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_BOUNDS_MS,
  bucketOf,
  exactPercentileOf,
  percentileOf,
} from '../../../src/analytics/histogram.ts';

const countsOf = (values: number[]) => {
  const counts: Record<number, number> = {};
  for (const value of values) counts[bucketOf(value)] = (counts[bucketOf(value)] ?? 0) + 1;
  return counts;
};

describe('latency histograms', () => {
  it('puts a value in the first bucket whose bound is not below it, and past the last in the overflow', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(10)).toBe(0);
    expect(bucketOf(10.5)).toBe(1);
    expect(bucketOf(BUCKET_BOUNDS_MS.at(-1) as number)).toBe(BUCKET_BOUNDS_MS.length - 1);
    expect(bucketOf(10 ** 7)).toBe(BUCKET_BOUNDS_MS.length);
  });

  it('spans 10 ms to about a minute in steps of about 20% (whole milliseconds)', () => {
    expect(BUCKET_BOUNDS_MS[0]).toBe(10);
    expect(BUCKET_BOUNDS_MS.at(-1)).toBeGreaterThan(60_000);
    for (let i = 1; i < BUCKET_BOUNDS_MS.length; i++) {
      const [low, high] = [BUCKET_BOUNDS_MS[i - 1] as number, BUCKET_BOUNDS_MS[i] as number];
      expect(high).toBeGreaterThan(low);
      expect(high / low).toBeLessThanOrEqual(1.25);
    }
  });

  it('reads a percentile back within 20% of the exact one, for any sample between 10 ms and 60 s', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 10, max: 60_000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(50, 95, 99),
        (values, p) => {
          const exact = exactPercentileOf(values, p) as number;
          const estimate = percentileOf(countsOf(values), p) as number;
          // The estimate lies in the exact value's bucket, which is at most 20% wide.
          expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(0.2);
        },
      ),
    );
  });

  it('merges by adding counts: the percentile of two hours is that of their values together', () => {
    const first = [120, 340, 800];
    const second = [95, 2_000, 2_100, 9_000];
    const merged: Record<number, number> = { ...countsOf(first) };
    for (const [bucket, count] of Object.entries(countsOf(second)))
      merged[Number(bucket)] = (merged[Number(bucket)] ?? 0) + count;
    expect(percentileOf(merged, 95)).toBe(percentileOf(countsOf([...first, ...second]), 95));
  });

  it('has no percentile for an empty histogram, and a lower limit for the overflow bucket', () => {
    expect(percentileOf({}, 50)).toBeUndefined();
    expect(percentileOf({ [BUCKET_BOUNDS_MS.length]: 3 }, 50)).toBe(BUCKET_BOUNDS_MS.at(-1));
    expect(exactPercentileOf([], 95)).toBeUndefined();
    expect(exactPercentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(exactPercentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  });
});
