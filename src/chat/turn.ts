/**
 * The turn's vocabulary: what a turn needs, how it reports, and what one run of it is. Types only; the engine
 * is stream-turn.ts, the entry points run-turn.ts and resume-turn.ts.
 */
import type { ErrorCode, StopReason } from '../protocol/server-frame.ts';
import type { SessionDirectory } from './conversation-ports.ts';
import type { FlushPolicy } from './frame-stream.ts';
import type { MemorySettings } from './memory/memory-settings.ts';
import type { Message, TokenUsage } from './messages.ts';
import type {
  AttachmentStore,
  Clock,
  MemoryStore,
  ModelClient,
  Reply,
  SessionStore,
  StoredSession,
  TurnRateLimiter,
  TurnStore,
  UsageLedger,
} from './ports.ts';
import type { PriceTable } from './pricing.ts';
import type { WindowSettings } from './session.ts';
import type { TitleSettings } from './title/generate-title.ts';
import type { ToolRegistry } from './tools/registry.ts';
import type { TurnRecorder } from './turn-record.ts';

export interface TurnSettings extends WindowSettings {
  memory: MemorySettings;
  /** Absent: sessions are not named by the model (CHAT_TITLES=off). */
  titles?: TitleSettings;
  prices: PriceTable;
  maxToolRounds: number;
  modelIdleTimeoutMs: number;
  /** Time kept in reserve before the Lambda deadline to save the turn and send `done`. */
  deadlineMarginMs: number;
  /** Time kept before the Lambda deadline to send the last frame: a save still unanswered then is given up. */
  replyMarginMs: number;
  /** Conditional-write attempts before a SESSION_CONFLICT error. */
  saveAttempts: number;
  /** How often a running turn checks for a stop request (cancel, or resume elsewhere). */
  stopPollMs: number;
  /** How often a request waiting for another run of its turn (a retry, a second resume) looks again. */
  attachPollMs: number;
  /**
   * Most a turn may store (question, answer, tool calls and results), in bytes of JSON. A longer answer ends
   * with `size_limit`, so a turn always fits the session item and a history frame.
   */
  maxTurnBytes: number;
  flush: FlushPolicy;
}

/** Everything a turn uses, built once per container; the reply comes with each request. */
export interface TurnDependencies {
  sessions: SessionStore;
  turns: TurnStore;
  rateLimiter: TurnRateLimiter;
  usage: UsageLedger;
  memories: MemoryStore;
  model: ModelClient;
  tools: ToolRegistry;
  /** Uploaded attachments; absent when no bucket is configured. */
  attachments?: AttachmentStore;
  /** Where a generated title is stored; absent: sessions are not named after their first answer. */
  titles?: Pick<SessionDirectory, 'setTitle'>;
  clock: Clock;
  settings: TurnSettings;
  newId?: () => string;
  observer?: TurnObserver;
}

/** Hooks for logs and metrics; the chat core stays free of any logging library. */
export interface TurnObserver {
  toolCalled?(call: { name: string; input: unknown; status: 'success' | 'error'; durationMs: number }): void;
  saveConflict?(attempt: number): void;
  /** Per-user usage could not be recorded (the turn itself was saved). */
  usageNotRecorded?(error: unknown): void;
  /** A frame could not be delivered for another reason than a closed connection; the turn stopped. */
  pushFailed?(error: unknown): void;
  /** Turns left the window into the session's summary, after `done`. */
  summaryFolded?(fold: { turns: number; usage: TokenUsage }): void;
  /** The summary call or its save failed; the turns stay in the window until one succeeds. */
  summaryFailed?(error: unknown): void;
  /** The session was named after its first answer, after `done`. */
  titleGenerated?(title: { usage: TokenUsage }): void;
  /** The title call or its write failed; the next turn tries again. */
  titleFailed?(error: unknown): void;
  /** The answer cited passage numbers that no passage of its turn has; they were dropped, never shown. */
  citationsDropped?(dropped: { turnId: string; numbers: number[] }): void;
  /** `durationMs` counts from the request, like `summary.timings`. */
  turnFinished?(summary: TurnSummary, durationMs: number): void;
}

/**
 * Where the time to the first token went, each figure counted from the request (before the session was
 * loaded), so `readyMs ≤ firstTextMs ≤ firstTokenMs`. Tells a slow model from slow storage from a slow push.
 */
export interface FirstTokenTimings {
  /** Ready to call the model: the session loaded and the rate limit passed (for a resume: the old run ended). */
  readyMs: number;
  /** The model's first text arrived (after any tool rounds). */
  firstTextMs?: number;
  /** The first token frame was delivered to the client. */
  firstTokenMs?: number;
}

export interface TurnSummary {
  turnId: string;
  /** `replayed`: the turn was already answered, and its stored answer was sent again (no model call). */
  outcome: 'completed' | 'interrupted' | 'failed' | 'replayed';
  stopReason?: StopReason;
  errorCode?: ErrorCode;
  modelCalls: number;
  toolCalls: number;
  pushCount: number;
  usage: TokenUsage;
  /** The estimated model cost of what was recorded, in micro-dollars (absent when nothing was). */
  costMicroUsd?: number;
  /** The session version written by this turn, if it was saved. */
  savedVersion?: number;
  /** What the calls after `done` used (the session's title, the summary fold): the owner's, not the answer's. */
  afterDone?: ModelSpend;
  timings: FirstTokenTimings;
}

/** What some model calls used and cost. */
export interface ModelSpend {
  usage: TokenUsage;
  costMicroUsd: number;
}

/** One run of the model loop, where its frames go, and how to record it. */
export interface TurnRun {
  reply: Reply;
  turnId: string;
  /** This run, holder of the turn's lease (decision 18); a failed run releases it. */
  runId: string;
  session: StoredSession;
  /** Exactly what the model sees: system blocks after the configured prompt, then the messages. */
  system: string[];
  conversation: Message[];
  /** Messages of `conversation` sent unchanged on the previous turn (a prompt-cache checkpoint may follow). */
  stableMessages?: number;
  /** Labels for the model calls (ModelRequest.metadata), e.g. which version of an answer this is. */
  metadata?: Record<string, string>;
  /** The turn's stored messages after its question, when this run continues it (resume). */
  earlierInTurn?: Message[];
  firstSeq: number;
  /** performance.now() when the turn was asked for, before the session was loaded; timings count from here. */
  requestedAt: number;
  remainingTimeMs?: () => number;
  /** What to record for the loop's result (turn-record.ts). */
  record: TurnRecorder;
  /** Most the run may add to the turn, in bytes of JSON (what is left of `maxTurnBytes`). */
  maxAnswerBytes: number;
}
