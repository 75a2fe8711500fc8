import type {
  ErrorFrame,
  HistoryFrame,
  ServerFrame,
  StopReason,
  TurnFrame,
} from '../../../src/protocol/server-frame.ts';

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  /** Tools the assistant called while answering, in call order. */
  tools: string[];
  /** Why the answer ended, when it was cut short (Stop, a dropped connection, a deadline). */
  stopReason?: StopReason;
  /** Part of a turn that failed. The server did not save it, so it leaves the view with the next question. */
  failed?: boolean;
}

/** The turn being answered right now. */
export interface ActiveTurn {
  turnId: string;
  /** What was asked, for a retry; unknown for a turn picked up again after a page reload. */
  question?: string;
  /** The highest `seq` applied to the answer; frames at or below it are duplicates. */
  lastSeq: number;
  /** Frames that arrived ahead of a missing `seq`, applied once the gap is filled. */
  early: TurnFrame[];
  /** The tool running right now, from the last `status` frame. */
  tool?: { name: string; status: string };
  /** The connection dropped mid-answer: the answer continues after `resume` on the next connection. */
  detached: boolean;
  /** Stop was pressed; the server ends the turn with `done`. */
  stopping: boolean;
}

/** Something that went wrong, in plain words. */
export interface ChatProblem {
  message: string;
  /** The question to send again, when trying again may help. */
  retryQuestion?: string;
}

export interface ConversationState {
  sessionId: string;
  messages: ChatMessage[];
  turn?: ActiveTurn;
  problem?: ChatProblem;
  /** Information that is not an error, such as "a new chat was started". */
  notice?: string;
  /** The stored history arrived (until then an empty list means "loading", not "new chat"). */
  loaded: boolean;
}

export type ConversationEvent =
  | { type: 'frameReceived'; frame: ServerFrame }
  | { type: 'questionSent'; turnId: string; question: string }
  | { type: 'stopRequested' }
  | { type: 'connectionLost' }
  /** Continue an answer that was cut off (after a reload, a deadline, or a Stop while offline). */
  | { type: 'resumeRequested'; turnId: string }
  | { type: 'sessionStarted'; sessionId: string; notice?: string }
  | { type: 'problemDismissed' }
  | { type: 'noticeDismissed' };

/** Stop reasons after which `resume` continues the answer (a cancelled answer was stopped on purpose). */
export const RESUMABLE_STOP_REASONS: ReadonlySet<StopReason> = new Set(['client_gone', 'timeout']);

/** A conversation before its history arrived; `activeTurnId` is a turn that was streaming before a reload. */
export function createConversation(sessionId: string, activeTurnId?: string): ConversationState {
  return {
    sessionId,
    messages: [],
    loaded: false,
    ...(activeTurnId ? { turn: detachedTurn(activeTurnId) } : {}),
  };
}

/** The conversation after one event. Pure, so ordering, de-duplication and reconnects are unit-tested. */
export function updateConversation(state: ConversationState, event: ConversationEvent): ConversationState {
  switch (event.type) {
    case 'frameReceived':
      return receiveFrame(state, event.frame);
    case 'questionSent':
      return {
        ...state,
        // A failed turn was never saved; dropping it keeps the view equal to what the model sees.
        messages: [
          ...state.messages.filter((message) => !message.failed),
          { id: questionId(event.turnId), role: 'user', text: event.question, tools: [] },
          { id: event.turnId, role: 'assistant', text: '', tools: [] },
        ],
        turn: {
          turnId: event.turnId,
          question: event.question,
          lastSeq: -1,
          early: [],
          detached: false,
          stopping: false,
        },
        problem: undefined,
      };
    case 'stopRequested':
      if (!state.turn) return state;
      // Offline, the answer ends here: the server stops the turn itself when it finds the connection gone.
      if (state.turn.detached) return endTurn(state, 'cancelled');
      return { ...state, turn: { ...state.turn, stopping: true } };
    case 'connectionLost':
      if (!state.turn) return state;
      if (state.turn.stopping) return endTurn(state, 'cancelled');
      return { ...state, turn: { ...state.turn, detached: true, tool: undefined } };
    case 'resumeRequested':
      return state.turn ? state : { ...state, turn: detachedTurn(event.turnId), problem: undefined };
    case 'sessionStarted':
      return { ...createConversation(event.sessionId), loaded: true, notice: event.notice };
    case 'problemDismissed':
      return { ...state, problem: undefined };
    case 'noticeDismissed':
      return { ...state, notice: undefined };
  }
}

function receiveFrame(state: ConversationState, frame: ServerFrame): ConversationState {
  if (frame.sessionId !== null && frame.sessionId !== state.sessionId) return state; // a chat left behind
  switch (frame.type) {
    case 'history':
      return receiveHistory(state, frame);
    case 'error':
      return receiveError(state, frame);
    case 'status':
    case 'token':
    case 'done':
      return receiveTurnFrame(state, frame);
    default:
      return state; // reports that leave the conversation as it is (usage)
  }
}

/**
 * Frames are applied in `seq` order exactly once: a repeated `seq` is dropped, one that arrives early waits for
 * the gap before it to fill. While the turn is detached, frames wait for the `history` that resets `lastSeq`.
 */
function receiveTurnFrame(state: ConversationState, frame: TurnFrame): ConversationState {
  const { turn } = state;
  if (!turn || frame.turnId !== turn.turnId || frame.seq <= turn.lastSeq) return state;
  if (turn.early.some((waiting) => waiting.seq === frame.seq)) return state;
  const early = [...turn.early, frame].sort((a, b) => a.seq - b.seq);
  const next = { ...state, turn: { ...turn, early } };
  return turn.detached ? next : applyReadyFrames(next);
}

function applyReadyFrames(state: ConversationState): ConversationState {
  let current = state;
  for (;;) {
    const turn = current.turn;
    const [frame, ...rest] = turn?.early ?? [];
    if (!turn || !frame || frame.seq !== turn.lastSeq + 1) return current;
    current = applyTurnFrame({ ...current, turn: { ...turn, early: rest, lastSeq: frame.seq } }, frame);
  }
}

function applyTurnFrame(state: ConversationState, frame: TurnFrame): ConversationState {
  const turn = state.turn as ActiveTurn;
  switch (frame.type) {
    case 'status':
      return {
        ...updateAnswer(state, turn.turnId, (answer) => ({
          ...answer,
          tools: [...answer.tools, frame.tool],
        })),
        turn: { ...turn, tool: { name: frame.tool, status: frame.value } },
      };
    case 'token':
      return {
        ...updateAnswer(state, turn.turnId, (answer) => ({ ...answer, text: answer.text + frame.value })),
        turn: { ...turn, tool: undefined },
      };
    case 'done':
      return endTurn(state, frame.stopReason);
  }
}

function receiveHistory(state: ConversationState, history: HistoryFrame): ConversationState {
  const messages = messagesFromHistory(history);
  const { turn } = state;
  const loaded = { ...state, loaded: true, messages };
  // History asked for before this turn started: it goes above the turn.
  if (!turn) return loaded;
  if (!turn.detached) return { ...loaded, messages: [...messages, ...turnMessages(state, turn.turnId)] };

  // The answer to `resume`: the answer so far, then the rest as frames with a higher seq.
  const interrupted = history.interruptedTurn;
  if (interrupted?.turnId === turn.turnId && RESUMABLE_STOP_REASONS.has(interrupted.stopReason)) {
    const lastSeq = interrupted.lastSeq;
    return applyReadyFrames({
      ...loaded,
      messages: withAnswer(messages, turn.turnId),
      turn: { ...turn, detached: false, lastSeq, early: turn.early.filter((frame) => frame.seq > lastSeq) },
    });
  }
  // The turn ended while the connection was down (it finished, or was stopped), or it never reached the server.
  const lastQuestion = messages.findLast((message) => message.role === 'user')?.text;
  const lost =
    turn.question !== undefined && interrupted?.turnId !== turn.turnId && lastQuestion !== turn.question;
  return {
    ...loaded,
    turn: undefined,
    problem: lost
      ? { message: 'The connection dropped before your question was answered.', retryQuestion: turn.question }
      : state.problem,
  };
}

function receiveError(state: ConversationState, error: ErrorFrame): ConversationState {
  const { turn } = state;
  // `resume` failed: what was said is saved (cut off), so the answer can still be continued later.
  if (turn?.detached && error.turnId === undefined) {
    return { ...endTurn(state, 'client_gone'), problem: { message: error.message } };
  }
  // Errors raised before a turn starts (rate limit, invalid message) carry no turnId.
  const endsTurn =
    turn !== undefined && (error.turnId === turn.turnId || (error.turnId === undefined && turn.lastSeq < 0));
  if (!endsTurn) {
    if (error.turnId !== undefined) return state; // a turn already over
    return { ...state, problem: { message: error.message } };
  }
  const failed = state.messages.flatMap((message) => {
    if (message.id !== turn.turnId && message.id !== questionId(turn.turnId)) return [message];
    return message.role === 'assistant' && message.text === '' ? [] : [{ ...message, failed: true }];
  });
  return {
    ...state,
    messages: failed,
    turn: undefined,
    problem: {
      message: error.message,
      ...(error.retryable && turn.question ? { retryQuestion: turn.question } : {}),
    },
  };
}

function endTurn(state: ConversationState, stopReason: StopReason): ConversationState {
  const turnId = state.turn?.turnId ?? '';
  return { ...updateAnswer(state, turnId, (answer) => ({ ...answer, stopReason })), turn: undefined };
}

function updateAnswer(
  state: ConversationState,
  turnId: string,
  update: (answer: ChatMessage) => ChatMessage,
): ConversationState {
  return {
    ...state,
    messages: state.messages.map((message) => (message.id === turnId ? update(message) : message)),
  };
}

function messagesFromHistory(history: HistoryFrame): ChatMessage[] {
  const messages: ChatMessage[] = history.messages.map((entry, index) => ({
    id: `history-${index}`,
    role: entry.role,
    text: entry.text,
    tools: entry.tools ?? [],
  }));
  const interrupted = history.interruptedTurn;
  const last = messages.at(-1);
  if (!interrupted || last?.role !== 'assistant') return messages;
  // Named after its turn, so "Continue" can resume it.
  return [...messages.slice(0, -1), { ...last, id: interrupted.turnId, stopReason: interrupted.stopReason }];
}

/** The history's last answer becomes the running turn's answer (an empty one if nothing was said yet). */
function withAnswer(messages: ChatMessage[], turnId: string): ChatMessage[] {
  const last = messages.at(-1);
  const answer: ChatMessage =
    last?.role === 'assistant'
      ? { id: turnId, role: 'assistant', text: last.text, tools: last.tools }
      : { id: turnId, role: 'assistant', text: '', tools: [] };
  return last?.role === 'assistant' ? [...messages.slice(0, -1), answer] : [...messages, answer];
}

function turnMessages(state: ConversationState, turnId: string): ChatMessage[] {
  return state.messages.filter((message) => message.id === turnId || message.id === questionId(turnId));
}

function detachedTurn(turnId: string): ActiveTurn {
  return { turnId, lastSeq: -1, early: [], detached: true, stopping: false };
}

function questionId(turnId: string): string {
  return `${turnId}:question`;
}
