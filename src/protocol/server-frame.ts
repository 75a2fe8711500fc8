import type { AttachmentFormat } from './attachments.ts';
import type { HandoffServerFrame } from './handoff-frames.ts';

/** Why the model ended its answer: Bedrock's own stop reasons, passed on unchanged. */
export type ModelEndReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'content_filtered'
  | 'guardrail_intervened';

/** Why a turn ended: the model's reason, or this service's (see docs/protocol.md). */
export type StopReason =
  | ModelEndReason
  | 'tool_limit'
  | 'size_limit'
  | 'timeout'
  | 'cancelled'
  | 'client_gone';

/** What went wrong, in an `error` frame (see docs/protocol.md for each code's meaning). */
export type ErrorCode =
  | 'INVALID_JSON'
  | 'INVALID_FRAME'
  | 'UNKNOWN_ACTION'
  | 'MESSAGE_TOO_LARGE'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'SESSION_EXPIRED'
  | 'SESSION_CONFLICT'
  | 'TURN_IN_PROGRESS'
  | 'MODEL_THROTTLED'
  | 'MODEL_REJECTED'
  | 'MODEL_STREAM_ERROR'
  | 'MODEL_TIMEOUT'
  | 'MODEL_UNAVAILABLE'
  | 'MODEL_FIXTURE_MISMATCH'
  | 'STORAGE_UNAVAILABLE'
  | 'ATTACHMENT_UNSUPPORTED'
  | 'ATTACHMENT_TOO_LARGE'
  | 'ATTACHMENT_NOT_FOUND'
  | 'ATTACHMENT_UNREADABLE'
  | 'UPLOADS_UNAVAILABLE'
  | 'TURN_TOO_LARGE'
  | 'TURN_NOT_FOUND'
  | 'TURN_NOT_IN_WINDOW'
  | 'INVALID_CURSOR'
  | 'HANDOFF_ALREADY_CLAIMED'
  | 'HANDOFF_NOT_FOUND'
  | 'HANDOFF_TOO_LONG'
  | 'INTERNAL';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from / written to the model's prompt cache; present when there were any. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** All of the above. */
  totalTokens: number;
}

/**
 * Token counts as frames carry them, with their total (the one place it is added up). Prompt-cache reads and
 * writes are billed apart from input, so they are counted apart, only when there were any, and in the total.
 */
export function toUsage(tokens: {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}): Usage {
  const cacheReadTokens = tokens.cacheReadTokens ?? 0;
  const cacheWriteTokens = tokens.cacheWriteTokens ?? 0;
  return {
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    ...(cacheReadTokens > 0 ? { cacheReadTokens } : {}),
    ...(cacheWriteTokens > 0 ? { cacheWriteTokens } : {}),
    totalTokens: tokens.inputTokens + tokens.outputTokens + cacheReadTokens + cacheWriteTokens,
  };
}

/**
 * The largest message API Gateway delivers to a client: PostToConnection's `Data` is at most 131,072 bytes
 * (botocore's apigatewaymanagementapi model, `Data` max; larger pushes get 413 PayloadTooLargeException).
 */
export const MAX_SERVER_MESSAGE_BYTES = 128 * 1024;

/** Every frame of a turn carries its turn id and a sequence number (0, 1, 2, ...) to order and de-duplicate. */
export interface TurnFrameBase {
  sessionId: string;
  turnId: string;
  seq: number;
}

export interface StatusFrame extends TurnFrameBase {
  type: 'status';
  /** Human text such as "Searching knowledge base…". */
  value: string;
  /** The tool that started. */
  tool: string;
}

export interface TokenFrame extends TurnFrameBase {
  type: 'token';
  value: string;
}

export interface DoneFrame extends TurnFrameBase {
  type: 'done';
  stopReason: StopReason;
  usage: Usage;
  modelCalls: number;
  toolCalls: number;
  /**
   * Set when the client froze the answer on Stop (`cancel` with `seenSeq`): the stored answer is the text of
   * this turn's token frames up to and including this seq; later token frames were not kept.
   */
  keptThroughSeq?: number;
  /** The turn was already answered (a retried turn id): these frames replay the stored answer, no model call. */
  replayed?: true;
  /** The passages the answer cites, as in the `sources` frame; absent when it cites none. */
  sources?: Source[];
}

/**
 * A knowledge-base passage an answer cites as `[n]`. Only passages retrieved in the same turn are sources: a
 * citation of anything else is dropped by the server.
 */
export interface Source {
  /** The number the answer cites it by: `[n]`. */
  n: number;
  /** The passage's stable id (the knowledge base's chunk id). */
  passageId: string;
  /** The document's title. */
  title: string;
  /** Where the document lives, e.g. `s3://bucket/account-security.md`. */
  uri: string;
  /** A web address for the document (http or https), when it has one. */
  url?: string;
  /** The start of the passage's text. */
  snippet: string;
  /** The retrieval score, on the knowledge base's scale (higher is closer). */
  score: number;
}

/** The sources of the answer just streamed, sent once after its text and before `done`. */
export interface SourcesFrame extends TurnFrameBase {
  type: 'sources';
  sources: Source[];
}

export interface ErrorFrame {
  type: 'error';
  sessionId: string | null;
  turnId?: string;
  /** Set when the error answers a `createUpload`. */
  uploadId?: string;
  seq?: number;
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** A file attached to a question, as the client shows it. */
export interface AttachmentInfo {
  name: string;
  format: AttachmentFormat;
  size: number;
}

export type FeedbackRating = 'up' | 'down';

/** What the user said about one answer (`sendFeedback`). */
export interface TurnFeedback {
  rating: FeedbackRating;
  comment?: string;
}

export interface HistoryEntry {
  role: 'user' | 'assistant';
  text: string;
  /** Files attached to a question. */
  attachments?: AttachmentInfo[];
  /** Tools the assistant called while answering, in order. */
  tools?: string[];
  /** The turn the entry belongs to (question and answer alike), where it is known. */
  turnId?: string;
  /** On an answer that was cut short (Stop, a dropped connection, a deadline): why. */
  stopReason?: StopReason;
  /** On an answer the user rated. */
  feedback?: TurnFeedback;
  /** The passages the answer cites (assistant entries only). */
  sources?: Source[];
  /**
   * On a question with more than one version (regenerated or edited, docs/decisions/0027): which one this is
   * (0-based, oldest first) of how many; `switchBranch` shows another.
   */
  siblings?: { index: number; count: number };
}

export interface HistoryFrame {
  type: 'history';
  sessionId: string;
  turns: number;
  messages: HistoryEntry[];
  usage: Usage;
  /** The session's title, once it has one (generated after the first answer, or set by `renameSession`). */
  title?: string;
  /**
   * Turns before `messages` that were folded into the conversation's summary (the model still knows them from
   * it); absent when none were.
   */
  summarizedTurns?: number;
  /** Set when the last answer was cut short (client gone, deadline, cancel); `resume` continues after `lastSeq`. */
  interruptedTurn?: { turnId: string; stopReason: StopReason; lastSeq: number };
  /**
   * `false` when nothing is stored for this session id: a chat not started yet, or one that is gone (deleted
   * after expiry, a reset dev database). Absent when the session is stored.
   */
  stored?: false;
  /**
   * A history too large for one WebSocket message comes in `parts` frames, oldest messages first; this is
   * part number `part` (0, 1, …). Each part repeats every other field. Absent: the whole history in one frame.
   */
  part?: number;
  parts?: number;
}

/** Token totals and the estimated model cost (on-demand prices from config). */
export interface UsageReport extends Usage {
  turns: number;
  estimatedCostUsd: number;
}

export interface UsageFrame {
  type: 'usage';
  sessionId: string | null;
  /** Everything the signed-in user has used, across sessions. */
  user: UsageReport;
  /** This session's share, when the request named one. */
  session?: UsageReport;
  /** The user's usage today (UTC), across sessions. */
  today?: UsageReport & { day: string };
}

/** One conversation in the `sessions` list. */
export interface SessionSummary {
  sessionId: string;
  /** Absent until the first answer's title is generated (or the user names it). */
  title?: string;
  turns: number;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: the last saved turn; the list is ordered by it, newest first. */
  updatedAt: string;
}

/** The answer to `listSessions`: one page of the user's sessions, newest activity first. */
export interface SessionsFrame {
  type: 'sessions';
  sessionId: null;
  sessions: SessionSummary[];
  /** Send it back in `listSessions` for the next page; absent on the last page. */
  cursor?: string;
  /** The query this page answers, as sent. */
  query?: string;
}

/** A session's title changed: the answer to `renameSession`, and sent after a generated title. */
export interface SessionUpdatedFrame {
  type: 'sessionUpdated';
  sessionId: string;
  title: string;
}

/** The answer to `deleteSession`: the session and everything stored for it are gone. */
export interface SessionDeletedFrame {
  type: 'sessionDeleted';
  sessionId: string;
}

/** The answer to `sendFeedback`: the feedback as stored with the turn. */
export interface FeedbackFrame extends TurnFeedback {
  type: 'feedback';
  sessionId: string;
  turnId: string;
}

/**
 * Answers `createUpload`: an S3 presigned POST. The client posts a multipart form with every `fields` entry
 * and then the file (as `file`, last) to `url`; S3 refuses another key, content type or a larger size. The
 * question then names the file by `key` in `sendMessage.attachments`.
 */
export interface UploadFrame {
  type: 'upload';
  sessionId: string;
  uploadId: string;
  key: string;
  url: string;
  fields: Record<string, string>;
  format: AttachmentFormat;
  maxBytes: number;
  /** Epoch ms after which the POST is refused. */
  expiresAt: number;
}

/** How a figure's numbers read: a count, milliseconds, US dollars, a percentage, turns or minutes. */
export type FigureUnit = 'count' | 'ms' | 'usd' | 'percent' | 'turns' | 'minutes' | 'tokens';

/** One usage figure over the asked range, self-describing so a client can show figures it does not know. */
export interface FigureReport {
  id: string;
  title: string;
  description: string;
  unit: FigureUnit;
  /** Headline numbers (total, average, p50, p95…); null when there was nothing to measure. */
  values: Array<{ label: string; value: number | null }>;
  /** Per hour, aligned with the frame's `hours`; one line each. */
  series?: Array<{ label: string; values: Array<number | null> }>;
  /** By key (tool, error code, stop reason, user), largest first. */
  breakdown?: Array<{ key: string; value: number }>;
}

/** The answer to `getStats` (admins only): every usage figure over a range of whole hours. */
export interface StatsFrame {
  type: 'stats';
  /** A stats frame belongs to no conversation (a chat client ignores it). */
  sessionId: null;
  /** Start of the first hour and end of the range, ISO 8601. */
  since: string;
  until: string;
  /** Present when the figures are one user's. */
  userId?: string;
  /** Start of each hour of the series (epoch ms). */
  hours: number[];
  figures: FigureReport[];
}

/** One fact the model keeps about the signed-in user across sessions. */
export interface MemoryEntry {
  memoryId: string;
  text: string;
  /** ISO time it was saved. */
  createdAt: string;
}

/** Answers `listMemories` and `deleteMemory`: every memory the user has now, oldest first. */
export interface MemoriesFrame {
  type: 'memories';
  /** Always null: memories belong to the user, not to a session (every frame names one or null). */
  sessionId: null;
  memories: MemoryEntry[];
  /** How many memories a user may keep. */
  max: number;
}

export type TurnFrame = StatusFrame | TokenFrame | SourcesFrame | DoneFrame;
export type ServerFrame =
  | TurnFrame
  | ErrorFrame
  | HistoryFrame
  | UsageFrame
  | SessionsFrame
  | SessionUpdatedFrame
  | SessionDeletedFrame
  | FeedbackFrame
  | StatsFrame
  | MemoriesFrame
  | UploadFrame
  | HandoffServerFrame;

/** An `error` frame for a failure that knows its code, message and whether a retry may help. */
export function errorFrame(
  failure: Pick<ErrorFrame, 'code' | 'message' | 'retryable'>,
  address: { sessionId: string | null; turnId?: string; uploadId?: string; seq?: number },
): ErrorFrame {
  return {
    type: 'error',
    ...address,
    code: failure.code,
    message: failure.message,
    retryable: failure.retryable,
  };
}
