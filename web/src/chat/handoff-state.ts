import type { AgentFrame, HandoffFrame } from '../../../src/protocol/handoff-frames.ts';
import type { ChatMessage, ConversationState } from './conversation.ts';

/** The conversation and a person from support: waiting in line, or with one. Absent: with the assistant. */
export interface HandoffState {
  status: 'queued' | 'claimed';
  /** Queued: 1 for the next in line. */
  position?: number;
  /** Claimed: who. */
  agentId?: string;
}

/**
 * A `handoff` or `agent` frame applied to the conversation. A `handoff` frame carrying the running turn's id
 * answers a message sent while a person has the conversation: the message went to them, so the turn ends
 * without an answer from the assistant. An `agent` frame is a person's words, shown as their message; the
 * `handoff` frame after a history carries those said so far, shown once each.
 */
export function receiveHandoffFrame(
  state: ConversationState,
  frame: HandoffFrame | AgentFrame,
): ConversationState {
  if (frame.type === 'agent') {
    const said = agentMessage(frame.agentId, frame.at, frame.message);
    const shown = withMessages(state, [said]);
    // Arrived while a history loads, which replaces the messages shown: kept for the handoff frame after it.
    return state.loading
      ? { ...shown, heldAgentMessages: [...(state.heldAgentMessages ?? []), said] }
      : shown;
  }
  const handoff: HandoffState | undefined =
    frame.status === 'queued' || frame.status === 'claimed'
      ? {
          status: frame.status,
          ...(frame.position === undefined ? {} : { position: frame.position }),
          ...(frame.agentId === undefined ? {} : { agentId: frame.agentId }),
        }
      : undefined;
  const { turn } = state;
  if (frame.turnId !== undefined && turn?.turnId === frame.turnId) {
    // Delivered to the person: no answer of the assistant's will come for this question.
    return {
      ...state,
      handoff,
      turn: undefined,
      messages: state.messages.filter((message) => message.id !== frame.turnId),
    };
  }
  if (frame.messages === undefined) return { ...state, handoff };
  // After a history (a reload, another tab): what was said with the person so far, in order, each once; then a
  // person's words that came live around the history (newer than what the server read), in arrival order.
  const said = frame.messages.map((event) =>
    event.kind === 'agentMessage'
      ? agentMessage(event.by, event.at, event.text ?? '')
      : { id: `handoff-user-${event.at}`, role: 'user' as const, text: event.text ?? '', tools: [] },
  );
  const live = [
    ...(state.heldAgentMessages ?? []),
    ...state.messages.filter((message) => message.agentId !== undefined),
  ];
  const base = state.messages.filter((message) => message.agentId === undefined);
  return withMessages({ ...state, handoff, heldAgentMessages: undefined, messages: base }, [
    ...said,
    ...live,
  ]);
}

/** A person's words: the same id whether they came live (`agent` frame) or after a history. */
const agentMessage = (agentId: string, at: number, text: string): ChatMessage => ({
  id: `agent-${agentId}-${at}`,
  role: 'assistant',
  text,
  tools: [],
  agentId,
});

/** The messages added after those shown, each id once. */
function withMessages(state: ConversationState, added: ChatMessage[]): ConversationState {
  const known = new Set(state.messages.map((message) => message.id));
  const fresh = added.filter((message) => !known.has(message.id) && known.add(message.id));
  return fresh.length === 0 ? state : { ...state, messages: [...state.messages, ...fresh] };
}
