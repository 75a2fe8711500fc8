import type { AgentFrame, HandoffFrame } from '../../../src/protocol/handoff-frames.ts';
import type { ConversationState } from './conversation.ts';

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
 * without an answer from the assistant. An `agent` frame is a person's words, shown as their message.
 */
export function receiveHandoffFrame(
  state: ConversationState,
  frame: HandoffFrame | AgentFrame,
): ConversationState {
  if (frame.type === 'agent') {
    const id = `agent-${frame.agentId}-${frame.at}`;
    if (state.messages.some((message) => message.id === id)) return state;
    return {
      ...state,
      messages: [
        ...state.messages,
        { id, role: 'assistant', text: frame.message, tools: [], agentId: frame.agentId },
      ],
    };
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
  return { ...state, handoff };
}
