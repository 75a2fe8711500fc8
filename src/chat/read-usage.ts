import { toUsage, type UsageFrame, type UsageReport } from '../protocol/server-frame.ts';
import {
  ANONYMOUS_USER,
  type Clock,
  type SessionStore,
  type UsageLedger,
  type UsageTotals,
  utcDayOf,
} from './ports.ts';
import { assertUsable } from './session.ts';

/** The user's token and cost totals, and one session's if asked (the session must be theirs). */
export async function readUsage(
  deps: { sessions: SessionStore; usage: UsageLedger; clock: Clock },
  request: { userId?: string; sessionId?: string },
): Promise<UsageFrame> {
  const userId = request.userId ?? ANONYMOUS_USER;
  const day = utcDayOf(deps.clock.now());
  const [user, today, session] = await Promise.all([
    deps.usage.totals(userId),
    deps.usage.dayTotals(userId, day),
    request.sessionId ? deps.sessions.load(request.sessionId) : undefined,
  ]);
  if (session) assertUsable(session, request.userId, deps.clock.now());
  return {
    type: 'usage',
    sessionId: request.sessionId ?? null,
    user: toReport(user),
    today: { ...toReport(today), day },
    ...(session
      ? {
          session: toReport({
            turns: session.turns,
            ...session.usage,
            costMicroUsd: session.costMicroUsd ?? 0,
          }),
        }
      : {}),
  };
}

function toReport(totals: UsageTotals): UsageReport {
  return { turns: totals.turns, ...toUsage(totals), estimatedCostUsd: totals.costMicroUsd / 1_000_000 };
}
