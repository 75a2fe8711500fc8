import type { UsageFrame, UsageReport } from '../protocol/server-frame.ts';
import type { Clock, SessionStore, UsageLedger, UsageTotals } from './ports.ts';
import { assertUsable } from './session.ts';
import { ANONYMOUS_USER } from './stream-turn.ts';

/** The user's token and cost totals, and one session's if asked (the session must be theirs). */
export async function readUsage(
  deps: { sessions: SessionStore; usage: UsageLedger; clock: Clock },
  request: { userId?: string; sessionId?: string },
): Promise<UsageFrame> {
  const [user, session] = await Promise.all([
    deps.usage.totals(request.userId ?? ANONYMOUS_USER),
    request.sessionId ? deps.sessions.load(request.sessionId) : undefined,
  ]);
  if (session) assertUsable(session, request.userId, deps.clock.now());
  return {
    type: 'usage',
    sessionId: request.sessionId ?? null,
    user: toReport(user),
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
  return {
    turns: totals.turns,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    totalTokens: totals.inputTokens + totals.outputTokens,
    estimatedCostUsd: totals.costMicroUsd / 1_000_000,
  };
}
