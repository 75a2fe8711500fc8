import { ForbiddenError } from './errors.ts';
import type { Clock, SessionStore, TurnStore } from './ports.ts';
import { assertUsable } from './session.ts';
import { mayUseTurn } from './turn-ownership.ts';

export interface CancelRequest {
  sessionId: string;
  turnId: string;
  userId?: string;
  /** The last `seq` the client showed when Stop was pressed: the answer is kept up to that frame. */
  seenSeq?: number;
}

/**
 * Asks a running turn to stop (the Stop button). The turn, polling in its own invocation, ends with `done`
 * and stopReason `cancelled`, keeping what it said (as far as the client showed it, given `seenSeq`).
 * Cancelling a turn that already ended changes nothing.
 *
 * Only the turn's owner may stop it, and only a turn that exists is written to: Stop pressed right after Send
 * can reach the server before the turn has claimed its id, so a turn not found yet is looked for again, with
 * backoff, for up to `waitMs`. A cancel for a turn that never appears writes nothing (decision 18).
 */
export async function cancelTurn(
  deps: { sessions: SessionStore; turns: TurnStore; clock: Clock; waitMs: number },
  request: CancelRequest,
): Promise<void> {
  const { sessionId, turnId, userId } = request;
  const session = await deps.sessions.load(sessionId);
  if (session) assertUsable(session, userId, deps.clock.now());
  // Real time: the waits below are real, whatever clock stamps the request.
  const giveUpAt = performance.now() + deps.waitMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 400)) {
    const turn = await deps.turns.find(sessionId, turnId);
    if (turn) {
      if (!mayUseTurn(turn, userId)) throw new ForbiddenError();
      const outcome = await deps.turns.requestStop(sessionId, turnId, userId, {
        reason: 'cancelled',
        requestedAt: deps.clock.now(),
        ...(request.seenSeq === undefined ? {} : { seenSeq: request.seenSeq }),
      });
      if (outcome === 'forbidden') throw new ForbiddenError();
      if (outcome === 'requested') return;
    }
    if (performance.now() + delayMs > giveUpAt) return;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}
