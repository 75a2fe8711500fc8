import { useEffect, useEffectEvent, useReducer, useRef, useState } from 'react';
import type { AttachmentReference, CreateUploadFrame } from '../../../src/protocol/client-frame.ts';
import type {
  AttachmentInfo,
  ErrorCode,
  ErrorFrame,
  FeedbackRating,
  MemoriesFrame,
  ServerFrame,
  UploadFrame,
  UsageFrame,
} from '../../../src/protocol/server-frame.ts';
import { createChats, currentConversation, needsHistory, updateChats } from './chats.ts';
import type { ConversationEvent, ConversationState, Wait } from './conversation.ts';
import type { RegionFailover } from './region-failover.ts';
import { createSessionList, type SessionListState, updateSessionList } from './session-list.ts';
import type { SessionStore } from './session-store.ts';
import { type ConnectionState, type CreateSocket, useChatSocket } from './use-chat-socket.ts';

export interface ChatOptions {
  getSocketUrl: () => Promise<string>;
  store: SessionStore;
  createSocket?: CreateSocket;
  /** With several regions: which one to connect to, and where to go when it fails. */
  regions?: RegionFailover;
  /** How long to wait for the server before saying it is not answering (defaults: WAIT_TIMEOUTS_MS). */
  waitTimeoutsMs?: Partial<Record<Wait, number>>;
}

/**
 * How long each wait may go without a word from the server. The history route's Lambda gives up after 10 s
 * and a turn's after 28 s (API Gateway's own limit is 29 s), so past these the request is lost, even if the
 * failure frame API Gateway sends never arrived. An answer's clock restarts with every frame; the server sends
 * one at least every 15 s (its model idle timeout). Stop takes effect within about a second.
 */
export const WAIT_TIMEOUTS_MS: Record<Wait, number> = { load: 15_000, answer: 30_000, stop: 10_000 };

/** How long a connection to one of several regions may take to open before the next region is tried. */
export const REGION_CONNECT_TIMEOUT_MS = 5_000;

export interface Chat {
  conversation: ConversationState;
  connection: ConnectionState;
  /** Connected, history loaded and no turn running. */
  canSend: boolean;
  /** The conversation is still loading: a question asked now waits, and is sent once it has loaded. */
  canQueue: boolean;
  /**
   * Sends a question as a new turn (or queues it while the conversation loads); false if it cannot. A
   * question with attachments is only sent, never queued.
   */
  send(question: string, attachments?: SentAttachment[]): boolean;
  /** Attachment uploads: asks for presigned POSTs and hears their answers (attachments/use-attachments.ts). */
  uploads: UploadChannel;
  /** Ends the running answer, on the server too. */
  stop(): void;
  /** Continues an answer that was cut off. */
  continueAnswer(turnId: string): void;
  newChat(): void;
  /** Does again what failed: the question, loading the conversation, or Stop. */
  retry(): void;
  dismissProblem(): void;
  dismissNotice(): void;
  reconnectNow(): void;
  /** The list of the user's conversations (the sidebar). */
  sessions: SessionListState;
  /** Lists the conversations again, searched by `query` ('' for all). */
  searchSessions(query: string): void;
  /** The next page of the list. */
  loadMoreSessions(): void;
  /** Shows another conversation; an answer streaming in the one shown keeps streaming. */
  openSession(sessionId: string): void;
  renameSession(sessionId: string, title: string): void;
  deleteSession(sessionId: string): void;
  /** A new answer to the last question, shown as its newest version (`regenerate`). */
  regenerate(): boolean;
  /** Asks the question of turn `turnId` again as `question`: the conversation continues from it. */
  editQuestion(turnId: string, question: string): boolean;
  /** Shows version `index` (0-based) of turn `turnId` and what followed it (`switchBranch`). */
  switchVersion(turnId: string, index: number): boolean;
  /** Rates an answer (and comments on it); the stored rating comes back in a `feedback` frame. */
  sendFeedback(turnId: string, rating: FeedbackRating, comment?: string): void;
  /** The tokens and estimated cost of this chat and of the user's day, from `getUsage`. */
  usage?: UsageFrame;
  /** Leaves the queue (or the person) and goes back to the assistant. */
  cancelHandoff(): void;
  /** What the model remembers about the user, once asked for (`listMemories`). */
  memories?: MemoriesFrame;
  /** Asks for the memories; false when not connected. */
  requestMemories(): boolean;
  /** Deletes one memory, or all of them without an id; the answer is the list that is left. */
  deleteMemory(memoryId?: string): boolean;
}

/** An uploaded file named in a question: its key for the server, what it is for the view. */
export type SentAttachment = AttachmentReference & AttachmentInfo;

export interface UploadChannel {
  /** Sends a `createUpload`; false when the socket is not open. */
  request(frame: Omit<CreateUploadFrame, 'action'>): boolean;
  /** Hears every `upload` frame and every `error` frame that answers an upload; returns the unsubscribe. */
  listen(listener: (frame: UploadFrame | ErrorFrame) => void): () => void;
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
  const [chats, dispatchChats] = useReducer(updateChats, store, (initial) =>
    createChats(initial.sessionId(), initial.activeTurnId()),
  );
  const conversation = currentConversation(chats);
  const dispatch = (event: ConversationEvent) => {
    if (event.type === 'connectionLost') dispatchChats({ type: 'connectionLost' });
    else dispatchChats({ type: 'current', event });
  };
  const [sessions, dispatchList] = useReducer(updateSessionList, undefined, createSessionList);
  const [usage, setUsage] = useState<UsageFrame>();
  /** The list was asked for on this connection. */
  const listed = useRef(false);

  /** The history, or the rest of the answer that was streaming (whose first frame is the history). */
  const requestHistory = () => {
    const { sessionId, turn } = conversation;
    const sent = socket.send(
      turn ? { action: 'resume', sessionId, turnId: turn.turnId } : { action: 'getHistory', sessionId },
    );
    if (sent) dispatch({ type: 'historyRequested' });
  };

  const socket = useChatSocket({
    getSocketUrl: options.getSocketUrl,
    createSocket: options.createSocket,
    regions: options.regions,
    // A region that does not answer is given up on sooner when there is another to go to.
    connectTimeoutMs: options.regions ? REGION_CONNECT_TIMEOUT_MS : undefined,
    // Only the conversation at first: API Gateway's failure frames name no request, so while the history
    // loads it is the one request in flight, and a failure is surely its own. The rest follows the history.
    onOpen: () => {
      listed.current = false;
      requestHistory();
    },
    onFrame: (frame) => receive(frame),
    onGatewayError: () => dispatch({ type: 'requestFailed' }),
    onDrop: () => dispatch({ type: 'connectionLost' }),
  });

  // Kept per tab, so a reload in the middle of an answer resumes it.
  const activeTurnId = conversation.turn?.turnId;
  useEffect(() => store.rememberActiveTurn(activeTurnId), [store, activeTurnId]);

  const [memories, setMemories] = useState<MemoriesFrame>();

  const requestSessions = (query: string, more: boolean) => {
    const cursor = more ? sessions.cursor : undefined;
    if (more && !cursor) return;
    const sent = socket.send({
      action: 'listSessions',
      ...(cursor ? { cursor } : {}),
      ...(query ? { query } : {}),
    });
    if (sent) dispatchList({ type: 'pageRequested', query, more });
  };

  const requestUsage = (sessionId: string) => socket.send({ action: 'getUsage', sessionId });

  const uploadListeners = useRef(new Set<(frame: UploadFrame | ErrorFrame) => void>());
  const receive = (frame: ServerFrame) => {
    if (frame.type === 'memories') {
      setMemories(frame);
      return;
    }
    if (frame.type === 'upload' || (frame.type === 'error' && frame.uploadId !== undefined)) {
      for (const listener of uploadListeners.current) listener(frame);
      return;
    }
    if (frame.type === 'sessions' || frame.type === 'sessionUpdated' || frame.type === 'sessionDeleted') {
      dispatchList({ type: 'frameReceived', frame });
    }
    if (frame.type === 'usage') {
      if (frame.sessionId === conversation.sessionId) setUsage(frame);
      return;
    }
    if (frame.type === 'done') requestUsage(frame.sessionId);
    if (frame.type === 'sessionDeleted') {
      if (frame.sessionId === conversation.sessionId) startSession();
      else dispatchChats({ type: 'forgotten', sessionId: frame.sessionId });
      return;
    }
    // A new version that failed left the view cut where it began: the stored conversation comes back.
    const failedVersion =
      frame.type === 'error' &&
      conversation.turn?.version === true &&
      frame.sessionId === conversation.sessionId &&
      (frame.turnId === conversation.turn.turnId || frame.turnId === undefined);
    const notice = frame.type === 'error' ? NEW_SESSION_NOTICES[frame.code] : undefined;
    if (notice && frame.sessionId === conversation.sessionId) {
      // The question that met the error is asked again in the new session.
      const { turn } = conversation;
      const unanswered = turn && !turn.detached && turn.lastSeq < 0 ? turn.question : undefined;
      const sessionId = startSession(notice);
      if (unanswered) sendQuestion(unanswered, sessionId, { automatic: true });
      return;
    }
    dispatchChats({ type: 'frameReceived', frame });
    if (failedVersion && socket.send({ action: 'getHistory', sessionId: conversation.sessionId })) {
      dispatch({ type: 'historyRequested' });
    }
  };

  /** Sends a new version of a turn (regenerate, editMessage) and shows it streaming in its place. */
  const sendVersion = (
    frame: { action: 'regenerate' } | { action: 'editMessage'; turnId: string; message: string },
  ) => {
    const { sessionId, messages } = conversation;
    const replaced =
      frame.action === 'editMessage'
        ? messages.find((message) => message.role === 'user' && message.turnId === frame.turnId)
        : messages.findLast((message) => message.role === 'user');
    if (!canSend || !replaced?.turnId) return false;
    const newTurnId = crypto.randomUUID();
    if (!socket.send({ ...frame, sessionId, newTurnId })) return false;
    dispatch({
      type: 'versionSent',
      turnId: newTurnId,
      question: frame.action === 'editMessage' ? frame.message : replaced.text,
      replaces: replaced.turnId,
    });
    dispatchList({ type: 'activity', sessionId, at: new Date().toISOString() });
    return true;
  };

  const startSession = (notice?: string) => {
    const sessionId = store.startNew();
    dispatchChats({ type: 'opened', sessionId, fresh: true, notice });
    setUsage(undefined);
    return sessionId;
  };

  // The files each question was sent with, so a retry sends them again with its turn id.
  const sentFiles = useRef(new Map<string, SentAttachment[]>());

  /** Sends a question; a retry sends it with the turn id it had, so the server answers it once. */
  const sendQuestion = (
    question: string,
    sessionId = conversation.sessionId,
    {
      attachments = [],
      turnId = crypto.randomUUID(),
      automatic = false,
    }: { attachments?: SentAttachment[]; turnId?: string; automatic?: boolean } = {},
  ) => {
    const files = attachments.map(({ key, name }) => ({ key, name }));
    const frame = { action: 'sendMessage' as const, sessionId, message: question, turnId };
    if (!socket.send(files.length ? { ...frame, attachments: files } : frame)) return false;
    if (attachments.length) sentFiles.current.set(turnId, attachments);
    const shown = attachments.map(({ name, format, size }) => ({ name, format, size }));
    dispatch({
      type: 'questionSent',
      turnId,
      question,
      automatic,
      ...(shown.length ? { attachments: shown } : {}),
    });
    dispatchList({ type: 'activity', sessionId, at: new Date().toISOString() });
    return true;
  };

  const { turn, queued } = conversation;
  const open = socket.connection.status === 'open';
  const canSend = open && conversation.loaded && !conversation.loading && !turn && !queued;
  const canQueue = !canSend && !turn && !queued && (!conversation.loaded || conversation.loading);

  // The question asked while the conversation loaded goes out once it has.
  useEffect(() => {
    if (!queued || !open || !conversation.loaded || conversation.loading || turn) return;
    sendQuestion(queued);
  });

  useWaitDeadlines(conversation, open, dispatch, { ...WAIT_TIMEOUTS_MS, ...options.waitTimeoutsMs });

  /** A question sent again, under its turn id when it has one, with the files it was sent with. */
  const askAgain = (question: string, turnId: string | undefined) =>
    sendQuestion(question, conversation.sessionId, {
      turnId,
      attachments: turnId ? sentFiles.current.get(turnId) : undefined,
    });

  // A question whose answer had begun but whose run was lost (its region failed) goes out again by itself,
  // under the same turn id, once; if that fails too, the problem's Try again stays.
  const resentTurns = useRef(new Set<string>());
  useEffect(() => {
    const problem = conversation.problem;
    if (!problem?.resendAtOnce || !problem.retryQuestion || !problem.retryTurnId || !canSend) return;
    if (resentTurns.current.has(problem.retryTurnId)) return;
    resentTurns.current.add(problem.retryTurnId);
    askAgain(problem.retryQuestion, problem.retryTurnId);
  });

  // A session opened from the list that was not held loads its history.
  const loadOpened = useEffectEvent((_sessionId: string, connected: boolean) => {
    if (connected && needsHistory(chats)) requestHistory();
  });
  useEffect(() => loadOpened(chats.currentId, open), [chats.currentId, open]);

  // Once the conversation shown has loaded: its usage, and the list once per connection.
  const ready = open && conversation.loaded && !conversation.loading;
  const loadAround = useEffectEvent((sessionId: string) => {
    requestUsage(sessionId);
    if (listed.current) return;
    listed.current = true;
    requestSessions(sessions.query, false);
  });
  useEffect(() => {
    if (ready) loadAround(chats.currentId);
  }, [chats.currentId, ready]);

  const stop = () => {
    if (!turn || turn.stopping) return;
    dispatch({ type: 'stopRequested' });
    // The answer freezes here; the server keeps it as far as this seq (decision 19).
    if (!turn.detached)
      socket.send({
        action: 'cancel',
        sessionId: conversation.sessionId,
        turnId: turn.turnId,
        seenSeq: turn.lastSeq,
      });
  };

  return {
    conversation,
    connection: socket.connection,
    canSend,
    canQueue,
    send: (question, attachments = []) => {
      const text = question.trim();
      if (text === '') return false;
      if (attachments.length > 0)
        return canSend && sendQuestion(text, conversation.sessionId, { attachments });
      if (canQueue) {
        dispatch({ type: 'questionQueued', question: text });
        return true;
      }
      return canSend && sendQuestion(text);
    },
    uploads: {
      request: (frame) => socket.send({ action: 'createUpload', ...frame }),
      listen: (listener) => {
        uploadListeners.current.add(listener);
        return () => uploadListeners.current.delete(listener);
      },
    },
    stop,
    continueAnswer: (turnId) => {
      if (turn) return;
      dispatch({ type: 'resumeRequested', turnId });
      // Its first frame is the history: until then, the load's deadline applies.
      if (socket.send({ action: 'resume', sessionId: conversation.sessionId, turnId })) {
        dispatch({ type: 'historyRequested' });
      }
    },
    // An answer still streaming goes on in its own conversation (see chats.ts).
    newChat: () => {
      startSession();
    },
    retry: () => {
      const problem = conversation.problem;
      if (problem?.retry === 'load') requestHistory();
      else if (problem?.retry === 'stop') stop();
      else if (problem?.retryQuestion && canSend) askAgain(problem.retryQuestion, problem.retryTurnId);
    },
    dismissProblem: () => dispatch({ type: 'problemDismissed' }),
    dismissNotice: () => dispatch({ type: 'noticeDismissed' }),
    reconnectNow: socket.reconnectNow,
    sessions,
    searchSessions: (query) => requestSessions(query.trim(), false),
    loadMoreSessions: () => requestSessions(sessions.query, true),
    openSession: (sessionId) => {
      if (sessionId === conversation.sessionId) return;
      store.open(sessionId);
      setUsage(undefined);
      dispatchChats({ type: 'opened', sessionId });
    },
    renameSession: (sessionId, title) => {
      const name = title.trim();
      if (name) socket.send({ action: 'renameSession', sessionId, title: name });
    },
    deleteSession: (sessionId) => {
      socket.send({ action: 'deleteSession', sessionId });
    },
    regenerate: () => sendVersion({ action: 'regenerate' }),
    editQuestion: (turnId, question) => {
      const message = question.trim();
      return message !== '' && sendVersion({ action: 'editMessage', turnId, message });
    },
    switchVersion: (turnId, index) => {
      if (!canSend) return false;
      const sent = socket.send({ action: 'switchBranch', sessionId: conversation.sessionId, turnId, index });
      if (sent) dispatch({ type: 'branchSwitchRequested' });
      return sent;
    },
    sendFeedback: (turnId, rating, comment) => {
      socket.send({
        action: 'sendFeedback',
        sessionId: conversation.sessionId,
        turnId,
        rating,
        ...(comment?.trim() ? { comment: comment.trim() } : {}),
      });
    },
    usage,
    cancelHandoff: () => {
      socket.send({ action: 'cancelHandoff', sessionId: conversation.sessionId });
    },
    memories,
    requestMemories: () => socket.send({ action: 'listMemories' }),
    deleteMemory: (memoryId) =>
      socket.send(memoryId === undefined ? { action: 'deleteMemory' } : { action: 'deleteMemory', memoryId }),
  };
}

/**
 * Gives each wait a deadline: the history while it is on its way, the answer from its last frame, Stop until
 * the turn ends. Only while connected: a dropped connection has its own state and retries.
 */
function useWaitDeadlines(
  conversation: ConversationState,
  open: boolean,
  dispatch: (event: { type: 'waitTimedOut'; wait: Wait }) => void,
  timeoutsMs: Record<Wait, number>,
) {
  const { turn } = conversation;
  const answering = open && turn !== undefined && !turn.detached;
  const expire = (wait: Wait) => () => dispatch({ type: 'waitTimedOut', wait });
  useDeadline(open && conversation.loading ? 'loading' : undefined, timeoutsMs.load, expire('load'));
  // Any new frame of the answer (applied, or early and waiting for a gap) restarts its clock.
  useDeadline(
    answering ? `${turn.turnId}:${turn.lastSeq}:${turn.early.length}` : undefined,
    timeoutsMs.answer,
    expire('answer'),
  );
  useDeadline(answering && turn.stopping ? turn.turnId : undefined, timeoutsMs.stop, expire('stop'));
}

/** Calls `onExpired` after `ms`, unless `key` changes first; an undefined key has no deadline. */
function useDeadline(key: string | undefined, ms: number, onExpired: () => void) {
  const expire = useEffectEvent(onExpired);
  useEffect(() => {
    if (key === undefined) return;
    const timer = setTimeout(() => expire(), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
}
