/** How long to wait between reconnect attempts. */
export interface ReconnectPolicy {
  /** The first retry waits between half of this and all of it. */
  baseMs: number;
  /** Retries never wait longer than this. */
  maxMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = { baseMs: 500, maxMs: 15_000 };

/**
 * Exponential backoff with "equal jitter": the ceiling doubles per attempt (0, 1, 2…) up to `maxMs`, and the
 * delay is a random point in its upper half. The jitter spreads out many tabs that lost the same server at
 * once; the lower bound keeps a flapping connection from being retried in a tight loop.
 */
export function reconnectDelay(
  attempt: number,
  policy: ReconnectPolicy = DEFAULT_RECONNECT_POLICY,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
