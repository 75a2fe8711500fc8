import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-delay.ts';

const policy = { baseMs: 500, maxMs: 15_000 };

describe('reconnectDelay', () => {
  it('doubles the ceiling with every attempt', () => {
    const ceilings = [0, 1, 2, 3].map((attempt) => reconnectDelay(attempt, policy, () => 1));
    expect(ceilings).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(reconnectDelay(30, policy, () => 1)).toBe(15_000);
    expect(reconnectDelay(1_000, policy, () => 1)).toBe(15_000);
  });

  it('waits at least half the ceiling, so retries never come in a tight loop', () => {
    expect(reconnectDelay(0, policy, () => 0)).toBe(250);
    expect(reconnectDelay(4, policy, () => 0)).toBe(4_000);
  });

  it('spreads clients that retry at the same attempt across the upper half of the ceiling', () => {
    const delays = [0, 0.25, 0.5, 0.75, 0.999].map((r) => reconnectDelay(3, policy, () => r));
    expect(new Set(delays).size).toBe(delays.length);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(4_000);
  });
});
