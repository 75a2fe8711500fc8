import { RateLimitedError } from '../../chat/errors.ts';
import type { Clock, TurnRateLimiter } from '../../chat/ports.ts';

/** The DynamoDB limiter's fixed one-minute windows, in a Map; for unit tests and benchmarks. */
export function createMemoryRateLimiter(limitPerMinute: number, clock: Clock): TurnRateLimiter {
  const counts = new Map<string, number>();
  return {
    async acquire(key) {
      const now = clock.now();
      const window = Math.floor(now / 60_000);
      const id = `${key}@${window}`;
      const count = (counts.get(id) ?? 0) + 1;
      counts.set(id, count);
      if (count > limitPerMinute)
        throw new RateLimitedError(limitPerMinute, Math.ceil(((window + 1) * 60_000 - now) / 1000));
    },
  };
}
