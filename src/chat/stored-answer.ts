import type { StopReason } from '../protocol/server-frame.ts';
import { isTurnStart } from './messages.ts';
import type { StoredSession } from './ports.ts';
import { toHistoryEntries } from './read-history.ts';

/** A turn's answer as the session stores it, as a client shows it. */
export interface StoredAnswer {
  text: string;
  tools: string[];
  stopReason: StopReason;
}

/**
 * The stored answer of turn `turnId`, found by the turn id its question carries (or, in sessions stored
 * before questions carried one, as the last turn). Undefined when the window does not hold the turn. Only the
 * last turn's stop reason is kept; an earlier turn's is reported as `end_turn`.
 */
export function storedAnswerOf(session: StoredSession, turnId: string): StoredAnswer | undefined {
  const { messages } = session;
  const isLast = session.lastTurn?.turnId === turnId;
  let start = messages.findLastIndex((message) => message.turnId === turnId);
  if (start === -1 && isLast) start = messages.findLastIndex(isTurnStart);
  if (start === -1) return undefined;
  const next = messages.findIndex((message, index) => index > start && isTurnStart(message));
  const answer = toHistoryEntries(messages.slice(start, next === -1 ? undefined : next)).find(
    (entry) => entry.role === 'assistant',
  );
  return {
    text: answer?.text ?? '',
    tools: answer?.tools ?? [],
    stopReason: isLast && session.lastTurn ? session.lastTurn.stopReason : 'end_turn',
  };
}
