import type { FeedbackStore, StoredFeedback } from '../conversation-ports.ts';
import { isTurnStart, type Message, textOf } from '../messages.ts';
import type { HandoffDependencies } from './handoff-dependencies.ts';
import { type HandoffRuleRequest, requestHandoff } from './request-handoff.ts';

/** The reason of a handoff the server asks for after repeated thumbs-down. */
export const NEGATIVE_FEEDBACK_REASON = 'negative_feedback';

/**
 * How many of the session's latest ratings in a row, in the order they were given, are thumbs-down: a
 * thumbs-up ends the run, and so does `since` (ratings given at or before it do not count). Each answer counts
 * once, as rated last (rating one again replaces its rating and its time).
 */
export function downRatingsInARow(
  ratings: Iterable<StoredFeedback>,
  since: number = Number.NEGATIVE_INFINITY,
): number {
  const given = [...ratings].filter((rating) => rating.at > since).sort((a, b) => a.at - b.at);
  let run = 0;
  while (run < given.length && given[given.length - 1 - run]?.rating === 'down') run++;
  return run;
}

/**
 * The server's "repeated negative feedback" rule (issue 16): after a thumbs-down, when the user's latest
 * `afterDownRatings` ratings of the session's answers in a row are all down, the conversation goes to a person
 * with the reason `negative_feedback` (unless it already is with one). Ratings given before the session's last
 * handoff came back belong to that one: the count starts again after it. Two ratings at once queue one
 * handoff (opening one is a conditional write). Returns whether this call queued it.
 */
export async function handOffOnNegativeFeedback(
  deps: HandoffDependencies & { feedback: FeedbackStore },
  request: HandoffRuleRequest & { afterDownRatings: number },
): Promise<boolean> {
  if (request.afterDownRatings < 1) return false;
  const ratings = await deps.feedback.forSession(request.sessionId);
  if (downRatingsInARow(ratings.values()) < request.afterDownRatings) return false;
  if (await deps.queue.find(request.sessionId)) return false;
  const run = downRatingsInARow(ratings.values(), await deps.queue.lastClosedAt(request.sessionId));
  if (run < request.afterDownRatings) return false;
  const session = await deps.sessions.load(request.sessionId);
  if (!session || session.ownerId !== request.userId) return false;
  await request.beforeHandoff?.();
  const { alreadyOpen } = await requestHandoff(deps, {
    sessionId: request.sessionId,
    userId: request.userId,
    reason: NEGATIVE_FEEDBACK_REASON,
    summary: summaryOf(session.messages, ratings, run),
    expiresAt: request.expiresAt,
  });
  return !alreadyOpen;
}

/** For the agent: the questions whose answers were rated down, oldest first, with the user's comments. */
function summaryOf(
  messages: readonly Message[],
  ratings: ReadonlyMap<string, StoredFeedback>,
  run: number,
): string {
  const questions = new Map(
    messages.filter(isTurnStart).map((message) => [message.turnId, textOf(message)] as const),
  );
  const rated = [...ratings]
    .sort(([, a], [, b]) => a.at - b.at)
    .slice(-run)
    .map(([turnId, rating]) => {
      const question = `“${(questions.get(turnId) ?? 'an earlier question').slice(0, 200)}”`;
      return rating.comment ? `${question} (“${rating.comment.slice(0, 200)}”)` : question;
    });
  return `The user rated the last ${run} answers down: ${rated.join(' · ')}`.slice(0, 2_000);
}
