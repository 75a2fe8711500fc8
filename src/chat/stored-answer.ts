import type { Source, StopReason } from '../protocol/server-frame.ts';
import { isTurnStart, type Message } from './messages.ts';
import type { StoredSession } from './ports.ts';
import { toHistoryEntries } from './read-history.ts';

/** A turn's answer as the session stores it, as a client shows it. */
export interface StoredAnswer {
  text: string;
  tools: string[];
  stopReason: StopReason;
  /** The passages the answer cites, rebuilt from the stored turn (decision 22); empty when it cites none. */
  sources: Source[];
}

/**
 * The stored answer of turn `turnId`, found by the turn id its question carries (or, in sessions stored
 * before questions carried one, as the last turn). Undefined when the window does not hold the turn. Only the
 * last turn's stop reason is kept; an earlier turn's is reported as `end_turn`.
 */
export function storedAnswerOf(session: StoredSession, turnId: string): StoredAnswer | undefined {
  const turn = storedTurnOf(session, turnId);
  if (!turn) return undefined;
  const answer = toHistoryEntries(turn).find((entry) => entry.role === 'assistant');
  const isLast = session.lastTurn?.turnId === turnId;
  return {
    text: answer?.text ?? '',
    tools: answer?.tools ?? [],
    stopReason: isLast && session.lastTurn ? session.lastTurn.stopReason : 'end_turn',
    sources: answer?.sources ?? [],
  };
}

/**
 * The stored messages of turn `turnId`: its question, then its answer with the tool calls and results. Found
 * as in `storedAnswerOf`; undefined when the window does not hold the turn.
 */
export function storedTurnOf(session: StoredSession, turnId: string): Message[] | undefined {
  const { messages } = session;
  let start = messages.findLastIndex((message) => message.turnId === turnId);
  if (start === -1 && session.lastTurn?.turnId === turnId) start = messages.findLastIndex(isTurnStart);
  if (start === -1) return undefined;
  const next = messages.findIndex((message, index) => index > start && isTurnStart(message));
  return messages.slice(start, next === -1 ? undefined : next);
}
