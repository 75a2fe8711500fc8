import { useEffect, useReducer } from 'react';
import type { ErrorCode } from '../../../src/errors.ts';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import { type ConversationState, createConversation, updateConversation } from './conversation.ts';
import type { SessionStore } from './session-store.ts';
import { type ConnectionState, type CreateSocket, useChatSocket } from './use-chat-socket.ts';

export interface ChatOptions {
  getSocketUrl: () => Promise<string>;
  store: SessionStore;
  createSocket?: CreateSocket;
}

export interface Chat {
  conversation: ConversationState;
  connection: ConnectionState;
  /** Connected, history loaded and no turn running. */
  canSend: boolean;
  /** Sends a question as a new turn; false if it cannot be sent now. */
  send(question: string): boolean;
  /** Ends the running answer, on the server too. */
  stop(): void;
  /** Continues an answer that was cut off. */
  continueAnswer(turnId: string): void;
  newChat(): void;
  /** Sends the question of the failed turn again. */
  retry(): void;
  dismissProblem(): void;
  dismissNotice(): void;
  reconnectNow(): void;
}

/** Errors after which the session id is of no more use: a new session starts and the user is told why. */
export const NEW_SESSION_NOTICES: Partial<Record<ErrorCode, string>> = {
  SESSION_EXPIRED: 'Your previous chat expired after 24 hours without activity, so a new chat has started.',
  FORBIDDEN: 'The previous chat belongs to another account, so a new chat has started.',
};

/**
 * The conversation over the chat socket: loads the history on connect (or resumes the answer that was streaming
 * when the connection dropped), turns frames into conversation state, and sends questions, stops and retries.
 */
export function useChat(options: ChatOptions): Chat {
  const { store } = options;
  const [conversation, dispatch] = useReducer(updateConversation, store, (initial) =>
    createConversation(initial.sessionId(), initial.activeTurnId()),
  );

  const socket = useChatSocket({
    getSocketUrl: options.getSocketUrl,
    createSocket: options.createSocket,
    onOpen: () => {
      const { sessionId, turn } = conversation;
      socket.send(
        turn ? { action: 'resume', sessionId, turnId: turn.turnId } : { action: 'getHistory', sessionId },
      );
    },
    onFrame: (frame) => receive(frame),
    onDrop: () => dispatch({ type: 'connectionLost' }),
  });

  // Kept per tab, so a reload in the middle of an answer resumes it.
  const activeTurnId = conversation.turn?.turnId;
  useEffect(() => store.rememberActiveTurn(activeTurnId), [store, activeTurnId]);

  const receive = (frame: ServerFrame) => {
    const notice = frame.type === 'error' ? NEW_SESSION_NOTICES[frame.code] : undefined;
    if (notice && frame.sessionId === conversation.sessionId) {
      // The question that met the error is asked again in the new session.
      const { turn } = conversation;
      const unanswered = turn && !turn.detached && turn.lastSeq < 0 ? turn.question : undefined;
      const sessionId = startSession(notice);
      if (unanswered) sendQuestion(unanswered, sessionId);
      return;
    }
    dispatch({ type: 'frameReceived', frame });
  };

  const startSession = (notice?: string) => {
    const sessionId = store.startNew();
    dispatch({ type: 'sessionStarted', sessionId, notice });
    return sessionId;
  };

  const sendQuestion = (question: string, sessionId = conversation.sessionId) => {
    const turnId = crypto.randomUUID();
    if (!socket.send({ action: 'sendMessage', sessionId, message: question, turnId })) return false;
    dispatch({ type: 'questionSent', turnId, question });
    return true;
  };

  const { turn } = conversation;
  const canSend = socket.connection.status === 'open' && conversation.loaded && !turn;

  return {
    conversation,
    connection: socket.connection,
    canSend,
    send: (question) => {
      const text = question.trim();
      return canSend && text !== '' && sendQuestion(text);
    },
    stop: () => {
      if (!turn || turn.stopping) return;
      dispatch({ type: 'stopRequested' });
      if (!turn.detached)
        socket.send({ action: 'cancel', sessionId: conversation.sessionId, turnId: turn.turnId });
    },
    continueAnswer: (turnId) => {
      if (turn) return;
      dispatch({ type: 'resumeRequested', turnId });
      socket.send({ action: 'resume', sessionId: conversation.sessionId, turnId });
    },
    newChat: () => {
      if (turn && !turn.detached) {
        socket.send({ action: 'cancel', sessionId: conversation.sessionId, turnId: turn.turnId });
      }
      startSession();
    },
    retry: () => {
      const question = conversation.problem?.retryQuestion;
      if (question && canSend) sendQuestion(question);
    },
    dismissProblem: () => dispatch({ type: 'problemDismissed' }),
    dismissNotice: () => dispatch({ type: 'noticeDismissed' }),
    reconnectNow: socket.reconnectNow,
  };
}
