import type { RegionEndpoint } from './socket-url.ts';

/** How a connection attempt ended: it never opened, or it opened and later dropped. */
export type AttemptEnd = 'refused' | 'dropped';

/** Whether to try the next connection at once (another region) or after the usual backoff. */
export type NextAttempt = 'now' | 'later';

/**
 * Which region the chat connects to. The first in the ranking (the nearest, see region-latency.ts) until it
 * fails: a connection that cannot be made moves on to the next region at once; when every region failed in a
 * row, the usual backoff applies and the next round starts from the first again. A connection that drops
 * after it was open is retried in the same region first (after the backoff): most drops are not outages, and
 * a dead region refuses the retry. Once connected, the chat stays in that region until it fails (no flapping
 * back mid-conversation); a reload ranks the regions afresh.
 */
export interface RegionFailover {
  /** Where the next connection goes. */
  current(): RegionEndpoint;
  /** Replaces the order (nearest first) and starts again from the first. */
  rank(order: readonly RegionEndpoint[]): void;
  opened(): void;
  ended(how: AttemptEnd): NextAttempt;
}

export function createRegionFailover(endpoints: readonly RegionEndpoint[]): RegionFailover {
  if (endpoints.length === 0) throw new Error('No chat endpoint is configured');
  let order = [...endpoints];
  let index = 0;
  /** Regions that refused a connection since the last one that opened. */
  let refused = 0;
  return {
    current: () => order[index] as RegionEndpoint,
    rank(next) {
      if (next.length > 0) order = [...next];
      index = 0;
      refused = 0;
    },
    opened() {
      refused = 0;
    },
    ended(how) {
      if (how === 'dropped') return 'later';
      refused++;
      index = (index + 1) % order.length;
      if (refused < order.length) return 'now';
      refused = 0;
      index = 0;
      return 'later';
    },
  };
}
