import { type Message, trimTrailingWhitespace, userText } from './messages.ts';
import { assertUsable, createSession, INTERRUPTED_STOP_REASONS } from './session.ts';
import { streamTurn, type TurnDependencies, type TurnSummary } from './stream-turn.ts';
import type { ToolLoopResult } from './tool-loop.ts';
import { repairWindow } from './window.ts';

export interface TurnRequest {
  connectionId: string;
  sessionId: string;
  message: string;
  /** The authenticated user; absent when auth is off. */
  userId?: string;
  turnId?: string;
  /** The Lambda context's getRemainingTimeInMillis. */
  remainingTimeMs?: () => number;
}

/**
 * One chat turn: load the session, stream the model's answer (running tools as asked) to the client, record
 * the whole exchange with one conditional write, then send `done`. A turn is recorded whole or not at all; an
 * interrupted answer is recorded as far as it got and marked, so `resume` can continue it.
 *
 * Throws (before anything is streamed) when the user is over their turn rate, for a foreign or expired
 * session, or when storage is unreachable.
 */
export async function runTurn(deps: TurnDependencies, request: TurnRequest): Promise<TurnSummary> {
  const requestedAt = performance.now();
  const turnId = request.turnId ?? (deps.newId ?? crypto.randomUUID.bind(crypto))();
  const [stored] = await Promise.all([
    deps.sessions.load(request.sessionId),
    deps.rateLimiter.acquire(request.userId ?? `connection:${request.connectionId}`),
  ]);
  if (stored) assertUsable(stored, request.userId, deps.clock.now());
  const session = stored ?? createSession(request.sessionId, request.userId, deps.clock.now());
  const question = userText(request.message);

  return streamTurn(deps, {
    connectionId: request.connectionId,
    turnId,
    session,
    conversation: repairWindow([...session.messages, question]),
    firstSeq: 0,
    requestedAt,
    remainingTimeMs: request.remainingTimeMs,
    record: (result, lastSeq) => ({
      messages: [question, ...answerToRecord(result)],
      usage: result.usage,
      lastTurn: { turnId, stopReason: result.stopReason, lastSeq },
      isNewTurn: true,
    }),
  });
}

/**
 * The loop's messages as stored. An interrupted answer loses trailing whitespace: Bedrock rejects an
 * assistant message that ends in whitespace as the last message, which is how `resume` continues it.
 */
export function answerToRecord(result: ToolLoopResult): Message[] {
  return INTERRUPTED_STOP_REASONS.has(result.stopReason)
    ? trimTrailingWhitespace(result.messages)
    : result.messages;
}
