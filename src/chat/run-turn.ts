import { type AttachmentBlock, userText } from './messages.ts';
import type { Reply } from './ports.ts';
import { assertUsable, createSession } from './session.ts';
import { streamTurn } from './stream-turn.ts';
import type { TurnDependencies, TurnSummary } from './turn.ts';
import { recordNewTurn } from './turn-record.ts';
import { repairWindow } from './window.ts';

export interface TurnRequest {
  sessionId: string;
  message: string;
  /** Files attached to the question, already checked (attachments.ts). */
  attachments?: AttachmentBlock[];
  /** The authenticated user; absent when auth is off. */
  userId?: string;
  /** The caller's connection, as data: it counts the caller's turns when there is no user (auth off). */
  connectionId: string;
  turnId?: string;
  /** Time left before the Lambda deadline. */
  remainingTimeMs?: () => number;
  /** Where the answer goes. */
  reply: Reply;
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
  const question = userText(request.message, request.attachments);

  return streamTurn(deps, {
    reply: request.reply,
    turnId,
    session,
    conversation: repairWindow([...session.messages, question]),
    firstSeq: 0,
    requestedAt,
    remainingTimeMs: request.remainingTimeMs,
    record: recordNewTurn(turnId, question, deps.settings.prices),
  });
}
