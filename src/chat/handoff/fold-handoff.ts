import type { HandoffEvent } from '../../protocol/handoff-frames.ts';
import type { Message } from '../messages.ts';
import { saveTurn } from '../save-turn.ts';
import type { TurnRecord } from '../turn-record.ts';
import type { HandoffDependencies } from './handoff-dependencies.ts';
import type { StoredHandoff } from './handoff-ports.ts';

/**
 * Writes what was said while a person had the conversation into the session's window, as one turn (the
 * user's words, then the agent's), so the assistant sees it when the conversation comes back and a reloaded
 * chat shows it. Nothing is written when nobody said anything. Idempotent: the turn's id comes from the
 * handoff, and a session that already holds it is left alone.
 */
export async function foldHandoff(
  deps: HandoffDependencies,
  handoff: StoredHandoff,
  closing: HandoffEvent,
): Promise<void> {
  const messages = handoffMessages(handoff.events);
  if (!messages) return;
  const session = await deps.sessions.load(handoff.sessionId);
  if (!session) return;
  const turnId = foldedTurnId(handoff);
  const record: TurnRecord = {
    messages: [{ ...messages[0], turnId }, messages[1]],
    usage: { inputTokens: 0, outputTokens: 0 },
    costMicroUsd: 0,
    lastTurn: { turnId, stopReason: 'end_turn', lastSeq: 0, runId: `${turnId}-${closing.kind}` },
    isNewTurn: true,
  };
  await saveTurn(deps, session, record);
}

/** The id of the turn a handoff's words become in the session's window. */
export const foldedTurnId = (handoff: Pick<StoredHandoff, 'queuedAt'>): string =>
  `handoff-${handoff.queuedAt}`;

/** The user's and the agent's words as a question and an answer, or undefined when there were none. */
export function handoffMessages(events: readonly HandoffEvent[]): [Message, Message] | undefined {
  const said = (kind: HandoffEvent['kind']) =>
    events.filter((event) => event.kind === kind && event.text !== undefined);
  const userWords = said('userMessage');
  const agentWords = said('agentMessage');
  if (userWords.length === 0 && agentWords.length === 0) return undefined;
  const question =
    userWords.length > 0
      ? userWords.map((event) => event.text).join('\n\n')
      : '(I waited for a person from support.)';
  const agents = [...new Set(agentWords.map((event) => event.by))].join(', ');
  const answer =
    agentWords.length > 0
      ? `A person from support (${agents}) answered:\n\n${agentWords.map((event) => event.text).join('\n\n')}`
      : '(No person answered before the conversation came back to the assistant.)';
  return [
    { role: 'user', content: [{ text: question }] },
    { role: 'assistant', content: [{ text: answer }] },
  ];
}
