/**
 * The ports the chat core talks through. Adapters in `src/adapters/` implement them with the AWS SDK; unit
 * tests pass small fakes. Nothing here imports an SDK.
 */
import type { ModelEndReason, ServerFrame, StopReason } from '../protocol/server-frame.ts';
import type { JsonObject, Message, TokenUsage } from './messages.ts';

export interface StoredSession {
  sessionId: string;
  /** The user who created the session; only they may read or extend it. Absent when auth is off. */
  ownerId?: string;
  /** Incremented by every saved turn; 0 means the session is not stored yet. */
  version: number;
  /** Turns ever recorded (the window keeps only the newest messages). */
  turns: number;
  messages: Message[];
  usage: TokenUsage;
  /** Estimated model cost of every turn so far, in micro-dollars (see pricing.ts). */
  costMicroUsd?: number;
  createdAt: string;
  updatedAt: string;
  /** Epoch seconds; DynamoDB's TTL attribute. */
  expiresAt: number;
  /** How the newest turn ended, so a reconnecting client can tell whether its answer was cut short. */
  lastTurn?: LastTurn;
  /** A short name for the list of conversations: generated after the first answer, or set by the user. */
  title?: string;
  /** The rolling summary of turns that left the window (docs/decisions/0025). */
  summary?: ConversationSummary;
  /**
   * Turns with more than one version (regenerated or edited): each list holds the versions' turn ids, oldest
   * first. The one whose question is in `messages` is active; the others are stored branches (decision 27).
   */
  versions?: string[][];
}

/**
 * A branch left for another version of its first turn: the window from that turn's question on, as it was
 * when it was left (`SESSION#<id>` / `BRANCH#<turnId>`, docs/decisions/0027).
 */
export interface StoredBranch {
  /** The turn the branch starts with. */
  turnId: string;
  messages: Message[];
  /** The session's `lastTurn`, when it is a turn of this branch. */
  lastTurn?: LastTurn;
  /** Epoch seconds; DynamoDB's TTL attribute (the session's expiry when it was left). */
  expiresAt: number;
}

/** What a save also writes, in one transaction with the session: the branch it leaves, the one it takes up. */
export interface BranchChange {
  /** Stored as `BRANCH#<turnId>`. */
  leave: StoredBranch;
  /** The branch item now in the window again, deleted. */
  takeUp?: string;
}

export interface SessionSaveOptions extends StorageCallOptions {
  branch?: BranchChange;
}

export interface ConversationSummary {
  /** `- ` lines, as the model wrote them; sent as a system block. */
  text: string;
  /** Turns folded into it so far. */
  turns: number;
}

export interface LastTurn {
  turnId: string;
  stopReason: StopReason;
  /** The last frame sequence number the turn used; a resumed answer continues after it. */
  lastSeq: number;
  /** The run that recorded it; its lease on the turn ended with this write (absent in older sessions). */
  runId?: string;
}

/** Lets a caller give up on a storage call (the Lambda deadline is near). */
export interface StorageCallOptions {
  signal?: AbortSignal;
}

export interface SessionStore {
  /** The stored session, expired or not (the caller decides what expiry means), or undefined. */
  load(sessionId: string, options?: StorageCallOptions): Promise<StoredSession | undefined>;
  /**
   * Stores a new session (version 0, no turns yet) unless one exists: how a session is claimed for its owner
   * before its first answer streams. False when the session already exists.
   */
  create(session: StoredSession): Promise<boolean>;
  /**
   * Writes the session only if the stored version is still `expectedVersion` (0: not stored yet, or only
   * claimed). Throws VersionConflictError when someone else wrote first.
   */
  save(session: StoredSession, expectedVersion: number, options?: SessionSaveOptions): Promise<void>;
  /** A branch left for another version of its first turn, or undefined. */
  loadBranch(sessionId: string, turnId: string): Promise<StoredBranch | undefined>;
}

/** Why a running turn was asked to stop from outside: the Stop button, or a resume from a new connection. */
export type StopRequestReason = 'cancelled' | 'client_gone';

/** A request to stop one run of a turn. */
export interface StopRequest {
  reason: StopRequestReason;
  /** Epoch ms. */
  requestedAt: number;
  /** The run it stops: the one holding the turn's lease when it was made. A later run ignores it. */
  runId: string;
  /** Cancel only: the last `seq` the client showed; the answer is kept up to that frame. */
  seenSeq?: number;
}

/** A run's hold on a turn: only the holder streams it. */
export interface TurnLease {
  runId: string;
  /** Epoch ms; the run's Lambda deadline, 0 once the run failed and released it. */
  leaseUntil: number;
}

/**
 * A turn as its own small item, claimed before anything streams: whose it is, which run may stream it, and
 * a request to stop that run (docs/decisions/0018).
 */
export interface StoredTurn extends TurnLease {
  sessionId: string;
  turnId: string;
  /** The user who asked; absent when auth is off. Only they may stop or resume it. */
  ownerId?: string;
  /** Epoch ms of the first claim. */
  createdAt: number;
  /** Epoch seconds; DynamoDB's TTL attribute. */
  expiresAt: number;
  stop?: StopRequest;
}

/** What a stop request found: the caller's turn (stop written), someone else's, or none (nothing written). */
export type StopRequestOutcome = 'requested' | 'forbidden' | 'absent';

export interface TurnStore {
  /**
   * Creates the turn's item unless it exists. False when the turn id is taken (a retry, or a stranger); true
   * when it exists already for this very run (a storage call retried after its first attempt landed).
   */
  claim(turn: StoredTurn): Promise<boolean>;
  /** The turn's item, read consistently, or undefined. */
  find(sessionId: string, turnId: string): Promise<StoredTurn | undefined>;
  /**
   * Hands the lease from run `fromRunId` to `lease.runId` (one resume at a time, or a retry after a failed
   * run), clearing any stop request. False when the lease is no longer `fromRunId`'s, unless it is already
   * `lease.runId`'s (the same hand-over, retried).
   */
  takeOver(sessionId: string, turnId: string, fromRunId: string, lease: TurnLease): Promise<boolean>;
  /** Ends run `runId`'s lease now (it failed without recording the turn); no-op if it no longer holds it. */
  release(sessionId: string, turnId: string, runId: string): Promise<void>;
  /** Deletes the turn's item while run `runId` holds it: a refused request leaves nothing behind. */
  discard(sessionId: string, turnId: string, runId: string): Promise<void>;
  /**
   * Asks the run holding the turn's lease to stop, if `ownerId` may (the turn is theirs, or has no owner).
   * Writes nothing unless the outcome is 'requested'.
   */
  requestStop(
    sessionId: string,
    turnId: string,
    ownerId: string | undefined,
    request: Omit<StopRequest, 'runId'>,
  ): Promise<StopRequestOutcome>;
  /** The stop request on the turn, if any: the small read a running turn polls. */
  findStop(sessionId: string, turnId: string): Promise<StopRequest | undefined>;
  /**
   * The session's turns whose lease runs past `nowMs` (a run may be streaming them; a finished run keeps its
   * lease until its deadline, so the caller checks what the session recorded). One Query of the session.
   */
  leased(sessionId: string, nowMs: number): Promise<StoredTurn[]>;
}

/** Running totals of one user's turns, tokens and estimated cost. */
export interface UsageTotals extends TokenUsage {
  turns: number;
  costMicroUsd: number;
}

/** Per-user usage analytics. */
export interface UsageLedger {
  /**
   * Adds to the user's totals and to their totals of the day (UTC, by the ledger's clock); turns of sessions
   * without an owner (auth off) count towards ANONYMOUS_USER.
   */
  record(userId: string, delta: UsageTotals): Promise<void>;
  totals(userId: string): Promise<UsageTotals>;
  /** The user's totals of one UTC day (`YYYY-MM-DD`): zeros for a day without usage. */
  dayTotals(userId: string, day: string): Promise<UsageTotals>;
}

/** The UTC day (`YYYY-MM-DD`) of an instant, as the usage ledger files a day's totals. */
export const utcDayOf = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/** Whose usage turns of sessions without an owner (auth off) count towards. */
export const ANONYMOUS_USER = 'anonymous';

/** A short statement about a user that the model saved to remember in every session (docs/decisions/0025). */
export interface Memory {
  memoryId: string;
  text: string;
  /** ISO time it was saved. */
  createdAt: string;
}

/** Per-user memories, kept under the user: never read or written for anyone but the user named. */
export interface MemoryStore {
  /** The user's memories, oldest first (none: an empty list). */
  list(userId: string): Promise<Memory[]>;
  /** Saves one memory unless the user already has `cap`; throws MemoryFullError then. */
  add(userId: string, memory: Memory, cap: number): Promise<void>;
  /** Deletes one memory at once; a memory that is not there is already deleted. */
  remove(userId: string, memoryId: string): Promise<void>;
  /** Deletes every memory of the user at once. */
  clear(userId: string): Promise<void>;
}

/** Counts turns per user (per connection when auth is off). */
export interface TurnRateLimiter {
  /** Takes one turn from `key`'s allowance; throws RateLimitedError when it is used up. */
  acquire(key: string): Promise<void>;
}

export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: JsonObject;
}

export interface ModelRequest {
  messages: Message[];
  tools: ToolSpec[];
  /** System blocks after the configured system prompt: the user's memories, the conversation's summary. */
  system?: string[];
  /**
   * Messages that were already sent, unchanged, on the previous turn: the adapter may put a prompt-cache
   * checkpoint after them (and after the configured system prompt and tools) when the model caches.
   */
  cache?: { stableMessages: number };
  /** Output budget of this call, below the configured one (a title needs a few words). */
  maxTokens?: number;
  /**
   * Labels for the call that the model does not read (Bedrock's `requestMetadata`, seen in invocation logs):
   * e.g. `answerVersion` on a regenerated answer. Absent on a plain turn.
   */
  metadata?: Record<string, string>;
}

/**
 * Why one model call ended, in the core's words: the answer ended (for a reason the client is told), or the
 * model asks for the tools it called. The adapter maps its service's vocabulary onto these.
 */
export type ModelStopReason = ModelEndReason | 'tools_requested';

/** What a model stream yields, already decoded from the service's wire format. */
export type ModelEvent =
  | { type: 'text'; text: string }
  /** A tool call has begun; its input is still streaming. */
  | { type: 'toolStart'; toolUseId: string; name: string }
  /** A tool call is complete, input parsed. */
  | { type: 'toolUse'; toolUseId: string; name: string; input: JsonObject }
  | { type: 'stop'; stopReason: ModelStopReason }
  | { type: 'usage'; usage: TokenUsage };

export interface ModelClient {
  /** One streaming model call. Throws typed Model*Error failures; stops when `signal` aborts. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}

/**
 * Sends frames to the client that made the request. The route binds it to the connection (like Hono's
 * `WSContext.send`), so the core never carries a connection id it would only hand back.
 */
export interface Reply {
  /** Sends one frame. Throws ClientGoneError when the connection no longer exists. */
  send(frame: ServerFrame): Promise<void>;
}

/** One retrieved chunk of a knowledge-base document. */
export interface Passage {
  /** Stable id: the knowledge base's chunk id. */
  id: string;
  text: string;
  /** The document's location, e.g. `s3://bucket/account-security.md`. */
  source: string;
  /** The document's title (its `title` metadata attribute, else its file name in words). */
  title: string;
  /** An http(s) address for the document (a web data source, or a `url` metadata attribute). */
  url?: string;
  /** Higher is closer; on the knowledge base's scale (a reranker's relevance when reranking). */
  score: number;
}

/** A metadata filter in Bedrock's RetrievalFilter grammar (`equals`, `in`, `andAll`, …). */
export type MetadataFilter = JsonObject;

/** How to search: the knowledge base's retrieval settings (docs/configuration.md). */
export interface RetrievalRequest {
  query: string;
  numberOfResults: number;
  /** HYBRID mixes keyword and vector search; SEMANTIC is vector search alone. Absent: the store's default. */
  searchType?: 'HYBRID' | 'SEMANTIC';
  filter?: MetadataFilter;
  /** Rerank the results with this Bedrock reranker model (ARN), keeping `numberOfResults`. */
  rerankModelArn?: string;
}

export interface KnowledgeBase {
  retrieve(request: RetrievalRequest, signal?: AbortSignal): Promise<Passage[]>;
}

export interface Resource {
  name: string;
  url: string;
  owner: string;
  description: string;
}

export interface ResourceCatalog {
  find(name: string): Promise<Resource | undefined>;
}

/** A presigned POST: the form fields to send, with the file last, to `url`. */
export interface UploadGrant {
  url: string;
  fields: Record<string, string>;
  /** Epoch ms. */
  expiresAt: number;
}

/** Uploaded attachments (an S3 bucket whose lifecycle rule expires them). */
export interface AttachmentStore {
  /** Signs a POST that may create exactly `key`, with this content type and at most `maxBytes`. */
  presignUpload(key: string, options: { contentType: string; maxBytes: number }): Promise<UploadGrant>;
  /** The object's size, or undefined when there is none (never uploaded, or expired). */
  sizeOf(key: string): Promise<number | undefined>;
  /** The object's bytes, or undefined when there is none. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Deletes every object whose key starts with `prefix` (a deleted chat's uploads); returns how many. */
  deleteAll(prefix: string): Promise<number>;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Every store a turn uses, as one bundle of ports (DynamoDB in Lambda, in memory for the recorder and tests). */
export interface ChatStorage {
  sessions: SessionStore;
  turns: TurnStore;
  usage: UsageLedger;
  rateLimiter: TurnRateLimiter;
  resources: ResourceCatalog;
  memories: MemoryStore;
}
