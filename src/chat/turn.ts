/**
 * The turn's vocabulary: what a turn needs, how it reports, and what one run of it is. Types only; the engine
 * is stream-turn.ts, the entry points run-turn.ts and resume-turn.ts.
 */
import type { ErrorCode, StopReason } from '../protocol/server-frame.ts';
import type { FlushPolicy } from './frame-stream.ts';
import type { Message, TokenUsage } from './messages.ts';
import type {
  AttachmentStore,
  Clock,
  ModelClient,
  Reply,
  SessionStore,
  StopRequests,
  StoredSession,
  TurnRateLimiter,
  UsageLedger,
} from './ports.ts';
import type { PriceTable } from './pricing.ts';
import type { WindowSettings } from './session.ts';
import type { ToolRegistry } from './tools/registry.ts';
import type { TurnRecorder } from './turn-record.ts';

export interface TurnSettings extends WindowSettings {
  prices: PriceTable;
  maxToolRounds: number;
  modelIdleTimeoutMs: number;
  /** Time kept in reserve before the Lambda deadline to save the turn and send `done`. */
  deadlineMarginMs: number;
  /** Conditional-write attempts before a SESSION_CONFLICT error. */
  saveAttempts: number;
  /** How often a running turn checks for a stop request (cancel, or resume elsewhere). */
  stopPollMs: number;
  flush: FlushPolicy;
}

/** Everything a turn uses, built once per container; the reply comes with each request. */
export interface TurnDependencies {
  sessions: SessionStore;
  stopRequests: StopRequests;
  rateLimiter: TurnRateLimiter;
  usage: UsageLedger;
  model: ModelClient;
  tools: ToolRegistry;
  /** Uploaded attachments; absent when no bucket is configured. */
  attachments?: AttachmentStore;
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
  outcome: 'completed' | 'interrupted' | 'failed';
  stopReason?: StopReason;
  errorCode?: ErrorCode;
  modelCalls: number;
  toolCalls: number;
  pushCount: number;
  usage: TokenUsage;
  /** The session version written by this turn, if it was saved. */
  savedVersion?: number;
  timings: FirstTokenTimings;
}

/** One run of the model loop, where its frames go, and how to record it. */
export interface TurnRun {
  reply: Reply;
  turnId: string;
  session: StoredSession;
  /** Exactly what the model sees. */
  conversation: Message[];
  firstSeq: number;
  /** performance.now() when the turn was asked for, before the session was loaded; timings count from here. */
  requestedAt: number;
  remainingTimeMs?: () => number;
  /** What to record for the loop's result (turn-record.ts). */
  record: TurnRecorder;
}
