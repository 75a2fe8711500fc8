import { ForbiddenError, SessionExpiredError } from '../errors.ts';
import type { HistoryEntry, HistoryFrame } from '../protocol/server-frame.ts';
import { isToolUseBlock, isTurnStart, type Message, ROUND_SEPARATOR, textOf } from './messages.ts';
import type { Clock, SessionStore } from './ports.ts';
import { isExpired } from './session.ts';

/**
 * The stored window as a reconnecting client redraws it: one entry per question and one per answer, the
 * answer's text as it was streamed and the tools it used. An unknown session has an empty history.
 */
export async function readHistory(
  deps: { sessions: SessionStore; clock: Clock },
  request: { sessionId: string; userId?: string },
): Promise<HistoryFrame> {
  const session = await deps.sessions.load(request.sessionId);
  const empty: HistoryFrame = {
    type: 'history',
    sessionId: request.sessionId,
    turns: 0,
    messages: [],
    usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  };
  if (!session) return empty;
  if (session.ownerId !== undefined && session.ownerId !== request.userId) throw new ForbiddenError();
  if (isExpired(session, deps.clock.now())) throw new SessionExpiredError();
  return {
    ...empty,
    turns: session.turns,
    messages: toHistoryEntries(session.messages),
    usage: { ...session.usage, totalTokens: session.usage.inputTokens + session.usage.outputTokens },
    ...(session.interruptedTurn ? { interruptedTurn: session.interruptedTurn } : {}),
  };
}

export function toHistoryEntries(messages: readonly Message[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let answer: { texts: string[]; tools: string[] } | undefined;
  const closeAnswer = () => {
    if (answer) {
      entries.push({
        role: 'assistant',
        text: answer.texts.join(ROUND_SEPARATOR),
        ...(answer.tools.length ? { tools: answer.tools } : {}),
      });
    }
    answer = undefined;
  };
  for (const message of messages) {
    if (isTurnStart(message)) {
      closeAnswer();
      entries.push({ role: 'user', text: textOf(message) });
    } else if (message.role === 'assistant') {
      answer ??= { texts: [], tools: [] };
      const text = textOf(message);
      if (text !== '') answer.texts.push(text);
      answer.tools.push(...message.content.filter(isToolUseBlock).map((block) => block.toolUse.name));
    }
  }
  closeAnswer();
  return entries;
}
