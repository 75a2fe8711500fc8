import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import {
  type ConversationEvent,
  type ConversationState,
  createConversation,
  updateConversation,
} from './conversation.ts';

/**
 * Every conversation the tab holds: the one shown, and any whose answer is still streaming after the user
 * switched away, so that answer keeps arriving (in its own conversation) and is whole when they come back.
 */
export interface ChatsState {
  currentId: string;
  conversations: Record<string, ConversationState>;
}

export type ChatsEvent =
  /** An event of the conversation shown. */
  | { type: 'current'; event: ConversationEvent }
  /** A frame, for the conversation it names (the one shown when it names none). */
  | { type: 'frameReceived'; frame: ServerFrame }
  /**
   * Shows a session: one still held (an answer streaming in it) as it is, any other from its history. `fresh`:
   * a new chat, empty and loaded at once; a question queued in the old one moves with it.
   */
  | { type: 'opened'; sessionId: string; fresh?: boolean; notice?: string; activeTurnId?: string }
  /** The connection dropped: every conversation's turn is detached; only the shown one is resumed. */
  | { type: 'connectionLost' }
  /** The session was deleted: a held conversation of it is dropped. */
  | { type: 'forgotten'; sessionId: string };

export function createChats(sessionId: string, activeTurnId?: string): ChatsState {
  return {
    currentId: sessionId,
    conversations: { [sessionId]: createConversation(sessionId, activeTurnId) },
  };
}

export function currentConversation(state: ChatsState): ConversationState {
  return state.conversations[state.currentId] as ConversationState;
}

/** Whether the shown session has to ask for its history (it was not held). */
export function needsHistory(state: ChatsState): boolean {
  const conversation = currentConversation(state);
  return !conversation.loaded && !conversation.loading;
}

export function updateChats(state: ChatsState, event: ChatsEvent): ChatsState {
  switch (event.type) {
    case 'current':
      return withConversation(
        state,
        state.currentId,
        updateConversation(currentConversation(state), event.event),
      );
    case 'frameReceived': {
      const target = event.frame.sessionId ?? state.currentId;
      const conversation = state.conversations[target];
      if (!conversation) return state; // a chat left behind and not held
      return withConversation(
        state,
        target,
        updateConversation(conversation, { type: 'frameReceived', frame: event.frame }),
      );
    }
    case 'opened': {
      const previous = currentConversation(state);
      const held = heldConversations(state);
      if (event.fresh) {
        const next = updateConversation(previous, {
          type: 'sessionStarted',
          sessionId: event.sessionId,
          notice: event.notice,
        });
        return { currentId: event.sessionId, conversations: { ...held, [event.sessionId]: next } };
      }
      const existing = state.conversations[event.sessionId];
      return {
        currentId: event.sessionId,
        conversations: {
          ...held,
          [event.sessionId]: existing ?? createConversation(event.sessionId, event.activeTurnId),
        },
      };
    }
    case 'connectionLost': {
      // Held conversations are dropped (they load from the server when opened again); the shown one waits
      // for the reconnect, which resumes its answer.
      const current = updateConversation(currentConversation(state), { type: 'connectionLost' });
      return { currentId: state.currentId, conversations: { [state.currentId]: current } };
    }
    case 'forgotten': {
      const { [event.sessionId]: _gone, ...rest } = state.conversations;
      return event.sessionId === state.currentId ? state : { ...state, conversations: rest };
    }
  }
}

/** The conversations worth keeping while another is shown: those whose answer is still on its way. */
function heldConversations(state: ChatsState): Record<string, ConversationState> {
  return Object.fromEntries(
    Object.entries(state.conversations).filter(
      ([, conversation]) => conversation.turn && !conversation.turn.detached,
    ),
  );
}

function withConversation(state: ChatsState, sessionId: string, conversation: ConversationState): ChatsState {
  return { ...state, conversations: { ...state.conversations, [sessionId]: conversation } };
}
