import type { Clock } from '../chat/ports.ts';
import { MAX_STATS_RANGE_MS } from '../protocol/client-frame.ts';
import type { StatsFrame } from '../protocol/server-frame.ts';
import { AdminOnlyError, StatsRangeError } from './errors.ts';
import { reportFigures } from './figures.ts';
import { hourOf, type StatsLedger } from './stats-ledger.ts';
import { viewOf } from './stats-view.ts';

/** The group whose members may read usage statistics (Cognito `cognito:groups`; the dev issuer's `groups`). */
export const ADMIN_GROUP = 'admins';

export interface StatsRequest {
  /** The caller's groups, from their token. */
  groups: readonly string[];
  /** ISO 8601; `until` defaults to now. */
  since: string;
  until?: string;
  userId?: string;
}

/** Every usage figure over whole hours of a range, for an admin; anyone else gets FORBIDDEN. */
export async function readStats(
  deps: { stats: StatsLedger; clock: Clock },
  request: StatsRequest,
): Promise<StatsFrame> {
  if (!request.groups.includes(ADMIN_GROUP)) throw new AdminOnlyError();
  const until = request.until === undefined ? deps.clock.now() : Date.parse(request.until);
  const since = hourOf(Date.parse(request.since));
  if (!(since < until)) throw new StatsRangeError('since must be before until.');
  if (until - since > MAX_STATS_RANGE_MS) {
    throw new StatsRangeError(
      `The range is too long: at most ${MAX_STATS_RANGE_MS / 86_400_000} days at once.`,
    );
  }
  return statsFrameOf(deps.stats, { since, until, userId: request.userId });
}

/** The figures of a range, read from the ledger (also what `npm run usage` prints). */
export async function statsFrameOf(
  stats: StatsLedger,
  query: { since: number; until: number; userId?: string },
): Promise<StatsFrame> {
  const view = viewOf(await stats.read(query), query);
  return {
    type: 'stats',
    sessionId: null,
    since: new Date(hourOf(query.since)).toISOString(),
    until: new Date(query.until).toISOString(),
    ...(query.userId === undefined ? {} : { userId: query.userId }),
    hours: view.hours,
    figures: reportFigures(view),
  };
}
