import { splitHistory } from '../protocol/history-parts.ts';
import {
  type HistoryEntry,
  type HistoryFrame,
  MAX_SERVER_MESSAGE_BYTES,
  toUsage,
} from '../protocol/server-frame.ts';
import { siblingsByTurn } from './branches.ts';
import { citeSources } from './citations/cite-sources.ts';
import type { FeedbackStore, StoredFeedback } from './conversation-ports.ts';
import {
  isAttachmentBlock,
  isToolUseBlock,
  isTurnStart,
  type Message,
  ROUND_SEPARATOR,
  textOf,
} from './messages.ts';
import type { Clock, Reply, SessionStore, StoredSession } from './ports.ts';
import { assertUsable, createSession, interruptedTurnOf } from './session.ts';

/**
 * The stored window as a reconnecting client redraws it: one entry per question and one per answer, the
 * answer's text as it was streamed and the tools it used. An unknown session has an empty history, marked
 * `stored: false` so a client that showed a conversation can say it is gone.
 */
export async function readHistory(
  deps: { sessions: SessionStore; clock: Clock; feedback?: FeedbackStore },
  request: { sessionId: string; userId?: string },
): Promise<HistoryFrame> {
  const session = await deps.sessions.load(request.sessionId);
  if (!session) return unstoredHistoryFrame(request.sessionId, request.userId, deps.clock);
  assertUsable(session, request.userId, deps.clock.now());
  const rated = session.turns > 0 ? await deps.feedback?.forSession(request.sessionId) : undefined;
  return historyFrameOf(session, rated);
}

/**
 * Sends a history to the client: in one frame, or in parts when it is over API Gateway's message limit
 * (docs/protocol.md), so a long conversation can always be redrawn and resumed.
 */
export async function sendHistory(reply: Reply, frame: HistoryFrame): Promise<void> {
  for (const part of splitHistory(frame, MAX_SERVER_MESSAGE_BYTES)) await reply.send(part);
}

export function historyFrameOf(
  session: StoredSession,
  feedback?: ReadonlyMap<string, StoredFeedback>,
): HistoryFrame {
  const interrupted = interruptedTurnOf(session);
  return {
    type: 'history',
    sessionId: session.sessionId,
    turns: session.turns,
    messages: toHistoryEntries(session.messages, feedback, siblingsByTurn(session)),
    usage: toUsage(session.usage),
    ...(session.summary ? { summarizedTurns: session.summary.turns } : {}),
    ...(session.title ? { title: session.title } : {}),
    ...(interrupted ? { interruptedTurn: interrupted } : {}),
  };
}

/** The history of a session id with nothing stored. */
export function unstoredHistoryFrame(
  sessionId: string,
  userId: string | undefined,
  clock: Clock,
): HistoryFrame {
  return { ...historyFrameOf(createSession(sessionId, userId, clock.now())), stored: false };
}

export function toHistoryEntries(
  messages: readonly Message[],
  feedback?: ReadonlyMap<string, StoredFeedback>,
  siblings?: ReadonlyMap<string, { index: number; count: number }>,
): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let answer: { texts: string[]; tools: string[]; turn: Message[] } | undefined;
  /** The question the answer being assembled belongs to: its turn id and how it ended. */
  let question: Message | undefined;
  const closeAnswer = () => {
    if (answer) {
      const turnId = question?.turnId;
      const rating = turnId === undefined ? undefined : feedback?.get(turnId);
      // The sources are rebuilt from what the turn stored: its numbered passages and the answer's citations.
      const { sources } = citeSources(answer.turn);
      entries.push({
        role: 'assistant',
        text: answer.texts.join(ROUND_SEPARATOR),
        ...(answer.tools.length ? { tools: answer.tools } : {}),
        ...(turnId ? { turnId } : {}),
        ...(question?.stopReason ? { stopReason: question.stopReason } : {}),
        ...(rating
          ? { feedback: { rating: rating.rating, ...(rating.comment ? { comment: rating.comment } : {}) } }
          : {}),
        ...(sources.length ? { sources } : {}),
      });
    }
    answer = undefined;
  };
  for (const message of messages) {
    if (isTurnStart(message)) {
      closeAnswer();
      question = message;
      const attachments = message.content
        .filter(isAttachmentBlock)
        .map(({ attachment: { name, format, size } }) => ({ name, format, size }));
      const versions = message.turnId === undefined ? undefined : siblings?.get(message.turnId);
      entries.push({
        role: 'user',
        text: textOf(message),
        ...(message.turnId ? { turnId: message.turnId } : {}),
        ...(attachments.length ? { attachments } : {}),
        ...(versions ? { siblings: versions } : {}),
      });
      continue;
    }
    answer?.turn.push(message);
    if (message.role === 'assistant') {
      answer ??= { texts: [], tools: [], turn: [message] };
      const text = textOf(message);
      if (text !== '') answer.texts.push(text);
      answer.tools.push(...message.content.filter(isToolUseBlock).map((block) => block.toolUse.name));
    }
  }
  closeAnswer();
  return entries;
}
