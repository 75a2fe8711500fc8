import { joinHistoryParts } from '../../../src/protocol/history-parts.ts';
import type {
  AttachmentInfo,
  DoneFrame,
  ErrorFrame,
  FeedbackFrame,
  HistoryFrame,
  ServerFrame,
  Source,
  StopReason,
  TurnFeedback,
  TurnFrame,
} from '../../../src/protocol/server-frame.ts';
import { RESUMABLE_STOP_REASONS } from '../../../src/protocol/stop-reasons.ts';
import { type HandoffState, receiveHandoffFrame } from './handoff-state.ts';

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  /** Files attached to a question. */
  attachments?: AttachmentInfo[];
  /** Tools the assistant called while answering, in call order. */
  tools: string[];
  /** The knowledge-base passages the answer cites as `[n]` (known once the answer is complete). */
  sources?: Source[];
  /** Why the answer ended, when it was cut short (Stop, a dropped connection, a deadline). */
  stopReason?: StopReason;
  /** Part of a turn that failed. The server did not save it, so it leaves the view with the next question. */
  failed?: boolean;
  /** The turn the message belongs to, when known (feedback names it). */
  turnId?: string;
  /** The user's rating of this answer, as the server stored it. */
  feedback?: TurnFeedback;
  /** Said by a person from support (this agent), not the assistant. */
  agentId?: string;
  /** On a question with other versions (regenerated or edited): which one this is, 0-based, of how many. */
  siblings?: { index: number; count: number };
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
  /**
   * A new version of an earlier turn (regenerate, editMessage): should it fail, the stored conversation is
   * loaded again, since the view was cut where the new version began.
   */
  version?: true;
  /** The connection dropped mid-answer: the answer continues after `resume` on the next connection. */
  detached: boolean;
  /** Stop was pressed; the server ends the turn with `done`. */
  stopping: boolean;
  /**
   * Frames that came after Stop was pressed: the answer is frozen at once, and `done` says which of them the
   * server kept (`keptThroughSeq`), so what is shown is what is stored.
   */
  held: TurnFrame[];
}

/** Something that went wrong, in plain words. */
export interface ChatProblem {
  message: string;
  /** The question to send again, when trying again may help. */
  retryQuestion?: string;
  /** The turn id to send it with: a turn the server did store after all comes back as stored, not twice. */
  retryTurnId?: string;
  /**
   * Sent again at once, without a click: the answer had begun, so the server got the question, but the run
   * answering it was lost with its connection (another region's, after a failover). Once per turn.
   */
  resendAtOnce?: boolean;
  /** What trying again does otherwise: ask for the history again, or send Stop again. */
  retry?: 'load' | 'stop';
}

/** What the client waits for the server to do; each has a deadline (see use-chat.ts). */
export type Wait = 'load' | 'answer' | 'stop';

export interface ConversationState {
  sessionId: string;
  messages: ChatMessage[];
  turn?: ActiveTurn;
  problem?: ChatProblem;
  /** Information that is not an error, such as "a new chat was started". */
  notice?: string;
  /** The stored history arrived (until then an empty list means "loading", not "new chat"). */
  loaded: boolean;
  /** A history was asked for (`getHistory`, or `resume`, whose first frame is one) and has not arrived. */
  loading: boolean;
  /** A question asked before the conversation had loaded; it is sent as soon as it has. */
  queued?: string;
  /** Parts of a history that came in several frames, until the last of them arrives. */
  historyParts?: HistoryFrame[];
  /** The session's title, from its history or a `sessionUpdated` frame. */
  title?: string;
  /** Waiting for, or with, a person from support (docs/protocol.md, "Handing off to a person"). */
  handoff?: HandoffState;
  /**
   * A person's words that arrived while a history was loading (the history replaces what is shown): shown again
   * with the open handoff's frame that follows the history; a handoff that closed meanwhile has them in it.
   */
  heldAgentMessages?: ChatMessage[];
  /** Earlier turns the server folded into the conversation's summary (history.summarizedTurns). */
  summarizedTurns?: number;
}

export type ConversationEvent =
  | { type: 'frameReceived'; frame: ServerFrame }
  /** `automatic`: sent for the user (a question re-asked in a new session), so a notice stays unread. */
  | {
      type: 'questionSent';
      turnId: string;
      question: string;
      attachments?: AttachmentInfo[];
      automatic?: boolean;
    }
  /**
   * A new version of the turn whose question is `replaces` (absent: the last question) was asked for: the view
   * is cut there and the new version streams in its place (regenerate, editMessage).
   */
  | { type: 'versionSent'; turnId: string; question: string; replaces?: string }
  /** Another version of a turn was asked for (switchBranch); its answer is a `history`. */
  | { type: 'branchSwitchRequested' }
  | { type: 'questionQueued'; question: string }
  | { type: 'historyRequested' }
  /** API Gateway answered a request with its failure frame (the Lambda threw or timed out). */
  | { type: 'requestFailed' }
  /** The server said nothing for too long while the client waited. */
  | { type: 'waitTimedOut'; wait: Wait }
  | { type: 'stopRequested' }
  | { type: 'connectionLost' }
  /** Continue an answer that was cut off (after a reload, a deadline, or a Stop while offline). */
  | { type: 'resumeRequested'; turnId: string }
  | { type: 'sessionStarted'; sessionId: string; notice?: string }
  | { type: 'problemDismissed' }
  | { type: 'noticeDismissed' };

// The server's own set (a cancelled answer was stopped on purpose), kept here for the components.
export { RESUMABLE_STOP_REASONS };

/** A conversation before its history arrived; `activeTurnId` is a turn that was streaming before a reload. */
export function createConversation(sessionId: string, activeTurnId?: string): ConversationState {
  return {
    sessionId,
    messages: [],
    loaded: false,
    loading: false,
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
          {
            id: questionId(event.turnId),
            role: 'user',
            text: event.question,
            tools: [],
            turnId: event.turnId,
            ...(event.attachments?.length ? { attachments: event.attachments } : {}),
          },
          { id: event.turnId, role: 'assistant', text: '', tools: [], turnId: event.turnId },
        ],
        turn: {
          turnId: event.turnId,
          question: event.question,
          lastSeq: -1,
          early: [],
          detached: false,
          stopping: false,
          held: [],
        },
        problem: undefined,
        // A notice (e.g. "a new chat has started") has been read once the user asks something.
        notice: event.automatic ? state.notice : undefined,
        queued: undefined,
      };
    case 'versionSent':
      return sendVersion(state, event);
    case 'branchSwitchRequested':
      return { ...state, loading: true, problem: undefined };
    case 'questionQueued':
      return { ...state, queued: event.question };
    case 'historyRequested':
      return {
        ...state,
        loading: true,
        historyParts: undefined,
        heldAgentMessages: undefined,
        problem: state.problem?.retry === 'load' ? undefined : state.problem,
      };
    case 'requestFailed':
      return failRequest(state);
    case 'waitTimedOut':
      return timeOut(state, event.wait);
    case 'stopRequested': {
      if (!state.turn) return state;
      const problem = state.problem?.retry === 'stop' ? undefined : state.problem;
      // Offline, the answer ends here: the server stops the turn itself when it finds the connection gone.
      if (state.turn.detached) return { ...endTurn(state, 'cancelled'), problem };
      return { ...state, turn: { ...state.turn, stopping: true }, problem };
    }
    case 'connectionLost':
      if (!state.turn) return state;
      if (state.turn.stopping) return endTurn(state, 'cancelled');
      return { ...state, turn: { ...state.turn, detached: true, tool: undefined } };
    case 'resumeRequested':
      return state.turn ? state : { ...state, turn: detachedTurn(event.turnId), problem: undefined };
    case 'sessionStarted':
      // A question waiting for the old conversation to load is asked in the new one.
      return {
        ...createConversation(event.sessionId),
        loaded: true,
        notice: event.notice,
        queued: state.queued,
      };
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
      return receiveHistoryPart(state, frame);
    case 'error':
      return receiveError(state, frame);
    case 'status':
    case 'token':
    case 'sources':
    case 'done':
      return receiveTurnFrame(state, frame);
    case 'feedback':
      return receiveFeedback(state, frame);
    case 'sessionUpdated':
      return { ...state, title: frame.title };
    case 'handoff':
    case 'agent':
      return receiveHandoffFrame(state, frame);
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
  // Stop was pressed: the answer stays as it was shown until `done` says what the server kept.
  if (turn.stopping && frame.type !== 'done')
    return { ...state, turn: { ...turn, held: [...turn.held, frame] } };
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
    case 'sources':
      return withSources(state, turn.turnId, frame.sources);
    case 'done':
      return endTurn(
        applyKept(frame.sources ? withSources(state, turn.turnId, frame.sources) : state, frame),
        frame.stopReason,
      );
  }
}

/** Said when the server has nothing stored for a conversation this page showed or was resuming. */
export const CONVERSATION_GONE_NOTICE =
  'This conversation is no longer stored on the server (it expired, or the local database was reset), so it cannot be shown or continued.';

/**
 * The frames held since Stop that the server kept: none beyond `keptThroughSeq` when it says so (it stored
 * what was shown), all of them otherwise (the answer ended before the stop reached it, or an older server).
 */
function applyKept(state: ConversationState, done: DoneFrame): ConversationState {
  const turn = state.turn as ActiveTurn;
  const kept = turn.held.filter(
    (frame) => done.keptThroughSeq === undefined || frame.seq <= done.keptThroughSeq,
  );
  return releaseHeld({ ...state, turn: { ...turn, held: kept } });
}

/** Applies the held frames, in order, as if Stop had not been pressed. */
function releaseHeld(state: ConversationState): ConversationState {
  const turn = state.turn as ActiveTurn;
  let current: ConversationState = { ...state, turn: { ...turn, stopping: false, held: [] } };
  for (const frame of turn.held) current = applyTurnFrame(current, frame);
  return { ...current, turn: { ...(current.turn as ActiveTurn), stopping: turn.stopping } };
}

/** A history in one frame, or one part of a history in several: applied once every part has arrived. */
function receiveHistoryPart(state: ConversationState, frame: HistoryFrame): ConversationState {
  if (frame.parts === undefined) return receiveHistory({ ...state, historyParts: undefined }, frame);
  const parts = [...(state.historyParts ?? []), frame];
  const whole = joinHistoryParts(parts);
  return whole
    ? receiveHistory({ ...state, historyParts: undefined }, whole)
    : { ...state, historyParts: parts };
}

/** The stored rating of an answer: shown on it, whichever way the answer got into view. */
function receiveFeedback(state: ConversationState, frame: FeedbackFrame): ConversationState {
  const feedback: TurnFeedback = {
    rating: frame.rating,
    ...(frame.comment !== undefined ? { comment: frame.comment } : {}),
  };
  return {
    ...state,
    messages: state.messages.map((message) =>
      message.role === 'assistant' && message.turnId === frame.turnId ? { ...message, feedback } : message,
    ),
  };
}

function receiveHistory(state: ConversationState, history: HistoryFrame): ConversationState {
  const messages = messagesFromHistory(history);
  const { turn } = state;
  const gone = history.stored === false && (state.messages.length > 0 || turn?.detached === true);
  const loaded = {
    ...state,
    loaded: true,
    loading: false,
    messages,
    // An open handoff is sent again right after the history (docs/protocol.md).
    handoff: undefined,
    ...(gone ? { notice: CONVERSATION_GONE_NOTICE } : {}),
    ...(history.title !== undefined ? { title: history.title } : {}),
    summarizedTurns: history.summarizedTurns,
  };
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
  // The turn ended while the connection was down (it finished, or was stopped), or it never reached the server,
  // or the run answering it was lost (its region failed): nothing of it was stored.
  const lastQuestion = messages.findLast((message) => message.role === 'user')?.text;
  const lost =
    turn.question !== undefined && interrupted?.turnId !== turn.turnId && lastQuestion !== turn.question;
  return {
    ...loaded,
    turn: undefined,
    problem: lost
      ? {
          message: 'The connection dropped before your question was answered.',
          retryQuestion: turn.question,
          retryTurnId: turn.turnId,
          ...(turn.lastSeq >= 0 ? { resendAtOnce: true } : {}),
        }
      : state.problem,
  };
}

function receiveError(state: ConversationState, error: ErrorFrame): ConversationState {
  const { turn } = state;
  // The history failed, or the `resume` that starts with one (its errors name the turn; an unreadable frame's
  // error names none).
  const answersLoad =
    (state.loading || turn?.detached) &&
    (error.turnId === undefined || (turn?.detached && error.turnId === turn.turnId));
  if (answersLoad) {
    if (error.retryable || turn?.detached) return failLoad(state, error.message);
    return { ...state, loading: false, problem: { message: error.message } };
  }
  // Errors raised before a turn starts (rate limit, invalid message) carry no turnId.
  const endsTurn =
    turn !== undefined && (error.turnId === turn.turnId || (error.turnId === undefined && turn.lastSeq < 0));
  if (!endsTurn) {
    if (error.turnId !== undefined) return state; // a turn already over
    return { ...state, problem: { message: error.message } };
  }
  return failTurn(state, error.message, error.retryable);
}

/**
 * The view cut at the replaced question, then the new version's question (the last of its versions) and its
 * answer, streaming. A question not in view (a stale page) changes nothing: the server refuses it too.
 */
function sendVersion(
  state: ConversationState,
  event: { turnId: string; question: string; replaces?: string },
): ConversationState {
  const messages = state.messages.filter((message) => !message.failed);
  const at =
    event.replaces === undefined
      ? messages.findLastIndex((message) => message.role === 'user')
      : messages.findIndex((message) => message.role === 'user' && message.turnId === event.replaces);
  const replaced = messages[at];
  if (!replaced || state.turn) return state;
  const count = (replaced.siblings?.count ?? 1) + 1;
  return {
    ...state,
    messages: [
      ...messages.slice(0, at),
      {
        id: questionId(event.turnId),
        role: 'user',
        text: event.question,
        tools: [],
        turnId: event.turnId,
        siblings: { index: count - 1, count },
        ...(replaced.attachments ? { attachments: replaced.attachments } : {}),
      },
      { id: event.turnId, role: 'assistant', text: '', tools: [], turnId: event.turnId },
    ],
    turn: { ...detachedTurn(event.turnId), detached: false, version: true },
    problem: undefined,
    notice: undefined,
  };
}

/** The running turn failed: its question and answer stay in view, marked, and may be asked again. */
function failTurn(state: ConversationState, message: string, retryable: boolean): ConversationState {
  const turn = state.turn as ActiveTurn;
  // A new version that failed was not stored: the stored conversation is loaded again (use-chat.ts).
  if (turn.version) return { ...state, turn: undefined, problem: { message } };
  const failed = state.messages.flatMap((entry) => {
    if (entry.id !== turn.turnId && entry.id !== questionId(turn.turnId)) return [entry];
    return entry.role === 'assistant' && entry.text === '' ? [] : [{ ...entry, failed: true }];
  });
  return {
    ...state,
    messages: failed,
    turn: undefined,
    problem: {
      message,
      ...(retryable && turn.question ? { retryQuestion: turn.question, retryTurnId: turn.turnId } : {}),
    },
  };
}

/**
 * The history did not come. Trying again asks for it again. An answer that was to be resumed ends as cut off:
 * what was said is saved, and "Continue" resumes it.
 */
function failLoad(state: ConversationState, message: string): ConversationState {
  if (!state.turn?.detached) return { ...state, loading: false, problem: { message, retry: 'load' } };
  const reload = state.loaded ? {} : { retry: 'load' as const };
  return { ...endTurn(state, 'client_gone'), loading: false, problem: { message, ...reload } };
}

/** Stop did not take: the answer goes on (what came meanwhile is shown), and Stop can be pressed again. */
function failStop(state: ConversationState, message: string): ConversationState {
  const released = releaseHeld(state);
  const turn = released.turn as ActiveTurn;
  return { ...released, turn: { ...turn, stopping: false }, problem: { message, retry: 'stop' } };
}

/**
 * API Gateway's failure frame names no request, so it answers the one the client is waiting for: the history
 * (nothing else is sent until it arrives), else a Stop, else the running answer.
 */
function failRequest(state: ConversationState): ConversationState {
  const { turn } = state;
  if (state.loading) return failLoad(state, FAILURES.load);
  if (turn?.stopping) return failStop(state, FAILURES.stop);
  if (turn && !turn.detached) return failTurn(state, FAILURES.answer, true);
  return { ...state, problem: { message: FAILURES.other } };
}

/** A wait ran past its deadline; a wait already over (a stale timer) changes nothing. */
function timeOut(state: ConversationState, wait: Wait): ConversationState {
  const { turn } = state;
  if (wait === 'load' && state.loading) return failLoad(state, SILENCES.load);
  if (wait === 'stop' && turn?.stopping) return failStop(state, SILENCES.stop);
  if (wait === 'answer' && turn && !turn.detached) return failTurn(state, SILENCES.answer, true);
  return state;
}

const FAILURES = {
  load: 'Your conversation could not be loaded: the server failed.',
  stop: 'Stop did not reach the server because it failed; the answer goes on.',
  answer: 'The server failed while answering.',
  other: 'The server failed to handle a request. Try again in a moment.',
};

const SILENCES = {
  load: 'Your conversation did not load: the server has not answered.',
  stop: 'The answer has not stopped: the server has not confirmed it.',
  answer: 'The answer stopped coming: the server has not sent anything for a while.',
};

function endTurn(state: ConversationState, stopReason: StopReason): ConversationState {
  const turnId = state.turn?.turnId ?? '';
  return { ...updateAnswer(state, turnId, (answer) => ({ ...answer, stopReason })), turn: undefined };
}

function withSources(state: ConversationState, turnId: string, sources: Source[]): ConversationState {
  return updateAnswer(state, turnId, (answer) => ({ ...answer, sources }));
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
    ...(entry.turnId ? { turnId: entry.turnId } : {}),
    ...(entry.stopReason ? { stopReason: entry.stopReason } : {}),
    ...(entry.feedback ? { feedback: entry.feedback } : {}),
    ...(entry.attachments?.length ? { attachments: entry.attachments } : {}),
    ...(entry.sources?.length ? { sources: entry.sources } : {}),
    ...(entry.siblings ? { siblings: entry.siblings } : {}),
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
      ? {
          id: turnId,
          role: 'assistant',
          text: last.text,
          tools: last.tools,
          turnId,
          ...(last.sources ? { sources: last.sources } : {}),
        }
      : { id: turnId, role: 'assistant', text: '', tools: [], turnId };
  return last?.role === 'assistant' ? [...messages.slice(0, -1), answer] : [...messages, answer];
}

function turnMessages(state: ConversationState, turnId: string): ChatMessage[] {
  return state.messages.filter((message) => message.id === turnId || message.id === questionId(turnId));
}

function detachedTurn(turnId: string): ActiveTurn {
  return { turnId, lastSeq: -1, early: [], detached: true, stopping: false, held: [] };
}

function questionId(turnId: string): string {
  return `${turnId}:question`;
}
