import type { Clock, SessionStore, StopRequests } from './ports.ts';
import { assertUsable } from './session.ts';

/**
 * Asks a running turn to stop (the Stop button). The turn, polling in its own invocation, ends with `done`
 * and stopReason `cancelled`, keeping what it said. Cancelling a turn that already ended changes nothing.
 */
export async function cancelTurn(
  deps: { sessions: SessionStore; stopRequests: StopRequests; clock: Clock },
  request: { sessionId: string; turnId: string; userId?: string },
): Promise<void> {
  const session = await deps.sessions.load(request.sessionId);
  if (session) assertUsable(session, request.userId, deps.clock.now());
  await deps.stopRequests.request(request.sessionId, request.turnId, {
    reason: 'cancelled',
    requestedAt: deps.clock.now(),
  });
}
