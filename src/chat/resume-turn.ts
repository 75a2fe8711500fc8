import { RESUMABLE_STOP_REASONS } from '../protocol/stop-reasons.ts';
import { lastTurnAnswer, type Message, userText } from './messages.ts';
import type { Reply, StoredSession } from './ports.ts';
import { historyFrameOf, unstoredHistoryFrame } from './read-history.ts';
import { assertUsable } from './session.ts';
import { streamTurn } from './stream-turn.ts';
import type { TurnDependencies, TurnSummary } from './turn.ts';
import { recordContinuation } from './turn-record.ts';
import { repairWindow } from './window.ts';

export interface ResumeRequest {
  sessionId: string;
  turnId: string;
  userId?: string;
  /** Time left before the Lambda deadline. */
  remainingTimeMs?: () => number;
  /** Where the history and the rest of the answer go. */
  reply: Reply;
}

export interface ResumeSettings {
  /** How long to wait for the old run of the turn to stop and record itself. */
  waitMs: number;
  pollMs: number;
}

/**
 * Continues an answer cut off when the client's old connection dropped. The client gets a `history` frame (the
 * answer so far, `interruptedTurn.lastSeq`), then the rest of the answer as frames of the same turn with higher
 * `seq`, then `done`. If the old run is still going (it has not noticed the drop yet), it is asked to stop and
 * awaited. A turn that cannot be continued (finished, cancelled, unknown) just gets the `history` frame.
 */
export async function resumeTurn(
  deps: TurnDependencies,
  request: ResumeRequest,
  settings: ResumeSettings,
): Promise<TurnSummary | undefined> {
  const requestedAt = performance.now();
  let session = await deps.sessions.load(request.sessionId);
  if (session) assertUsable(session, request.userId, deps.clock.now());

  if (session?.lastTurn?.turnId !== request.turnId) {
    await deps.stopRequests.request(request.sessionId, request.turnId, {
      reason: 'client_gone',
      requestedAt: deps.clock.now(),
    });
    session = await waitForTurn(deps, request, settings);
  }
  const interrupted = session?.lastTurn;
  if (
    !session ||
    interrupted?.turnId !== request.turnId ||
    !RESUMABLE_STOP_REASONS.has(interrupted.stopReason)
  ) {
    await request.reply.send(
      session ? historyFrameOf(session) : unstoredHistoryFrame(request.sessionId, request.userId, deps.clock),
    );
    return undefined;
  }

  await request.reply.send(historyFrameOf(session));
  return streamTurn(deps, {
    reply: request.reply,
    turnId: request.turnId,
    session,
    conversation: continuationRequest(session.messages),
    earlierInTurn: lastTurnAnswer(session.messages),
    firstSeq: interrupted.lastSeq + 1,
    requestedAt,
    remainingTimeMs: request.remainingTimeMs,
    record: recordContinuation(request.turnId, deps.settings.prices),
  });
}

/**
 * The stored window plus, when it ends with the partial answer, a request to continue it. Newer models
 * refuse a conversation that ends with an assistant message (prefill), so the request is a user message;
 * it is sent, never stored: the continuation is saved as part of the same answer.
 */
export function continuationRequest(messages: readonly Message[]): Message[] {
  const window = repairWindow(messages);
  return window.at(-1)?.role === 'assistant' ? [...window, userText(CONTINUE_INSTRUCTION)] : window;
}

export const CONTINUE_INSTRUCTION =
  'Your previous answer was cut off by a connection problem. Continue it exactly where it stopped, without repeating anything.';

async function waitForTurn(
  deps: TurnDependencies,
  request: ResumeRequest,
  settings: ResumeSettings,
): Promise<StoredSession | undefined> {
  const deadline = deps.clock.now() + settings.waitMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, settings.pollMs));
    const session = await deps.sessions.load(request.sessionId);
    if (session?.lastTurn?.turnId === request.turnId || deps.clock.now() >= deadline) return session;
  }
}
