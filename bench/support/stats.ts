/** Percentiles and extremes of a sample, in the sample's unit (milliseconds here). Null when it is empty. */
export interface Summary {
  n: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  min: number | null;
  max: number | null;
}

/** Nearest-rank percentiles (no interpolation: every figure is a latency that was actually measured). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n, mean: null, p50: null, p95: null, p99: null, min: null, max: null };
  const at = (p: number) => round(sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)] as number);
  return {
    n,
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / n),
    p50: at(50),
    p95: at(95),
    p99: at(99),
    min: round(sorted[0] as number),
    max: round(sorted[n - 1] as number),
  };
}

/** The median of a sample, or null when it is empty. */
export function median(samples: readonly number[]): number | null {
  return summarize(samples).p50;
}

/** Two decimals: microsecond noise is not a result. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** a / b rounded, or null when b is zero (a ratio over nothing is not a figure). */
export function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : round(a / b, 3);
}
