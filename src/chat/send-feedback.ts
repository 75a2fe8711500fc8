import type { FeedbackFrame, FeedbackRating } from '../protocol/server-frame.ts';
import type { FeedbackStore } from './conversation-ports.ts';
import { SessionExpiredError, TurnNotFoundError } from './errors.ts';
import type { Clock, SessionStore } from './ports.ts';
import { assertUsable } from './session.ts';

/**
 * Stores the user's rating (and comment) of one answer with its turn; sending again replaces it. Only the
 * session's owner may, and only for a turn the conversation holds. Answers with the frame for the client and
 * the rating this one replaced (for the usage figures).
 */
export async function sendFeedback(
  deps: { sessions: SessionStore; feedback: FeedbackStore; clock: Clock },
  request: { sessionId: string; turnId: string; userId?: string; rating: FeedbackRating; comment?: string },
): Promise<{ frame: FeedbackFrame; replaced?: FeedbackRating }> {
  const session = await deps.sessions.load(request.sessionId);
  if (!session) throw new SessionExpiredError();
  assertUsable(session, request.userId, deps.clock.now());
  if (!session.messages.some((message) => message.turnId === request.turnId)) throw new TurnNotFoundError();
  const comment = request.comment?.trim() || undefined;
  const outcome = await deps.feedback.record(request.sessionId, request.turnId, {
    rating: request.rating,
    ...(comment ? { comment } : {}),
    at: deps.clock.now(),
  });
  if (outcome === 'absent') throw new TurnNotFoundError();
  const frame: FeedbackFrame = {
    type: 'feedback',
    sessionId: request.sessionId,
    turnId: request.turnId,
    rating: request.rating,
    ...(comment ? { comment } : {}),
  };
  return { frame, ...(outcome.replaced ? { replaced: outcome.replaced.rating } : {}) };
}
