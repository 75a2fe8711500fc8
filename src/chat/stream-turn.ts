import type { ErrorCode } from '../errors.ts';
import { SessionConflictError, toChatError } from '../errors.ts';
import type { StopReason, Usage } from '../protocol/server-frame.ts';
import { createFrameStream, type FlushPolicy } from './frame-stream.ts';
import type { Message, TokenUsage } from './messages.ts';
import {
  type ClientPush,
  type Clock,
  type ModelClient,
  type SessionStore,
  type StopRequests,
  type StoredSession,
  type TurnRateLimiter,
  type UsageLedger,
  VersionConflictError,
} from './ports.ts';
import { costMicroUsd } from './pricing.ts';
import {
  applyTurn,
  createSession,
  INTERRUPTED_STOP_REASONS,
  type TurnRecord,
  type WindowSettings,
} from './session.ts';
import { watchForStopRequest } from './stop-watch.ts';
import { runToolLoop, type ToolLoopResult, TurnInterrupted } from './tool-loop.ts';
import type { ToolRegistry } from './tools/registry.ts';

export interface TurnSettings extends WindowSettings {
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

export interface TurnDependencies {
  sessions: SessionStore;
  stopRequests: StopRequests;
  rateLimiter: TurnRateLimiter;
  usage: UsageLedger;
  model: ModelClient;
  tools: ToolRegistry;
  push: ClientPush;
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

/** Whose usage turns of sessions without an owner (auth off) count towards. */
export const ANONYMOUS_USER = 'anonymous';

/** One run of the model loop for a connection, and how to record it. */
export interface TurnRun {
  connectionId: string;
  turnId: string;
  session: StoredSession;
  /** Exactly what the model sees. */
  conversation: Message[];
  firstSeq: number;
  /** performance.now() when the turn was asked for, before the session was loaded; timings count from here. */
  requestedAt: number;
  remainingTimeMs?: () => number;
  /** What to record for the loop's result; re-applied on top of a reloaded session after a write conflict. */
  record(result: ToolLoopResult, lastSeq: number): TurnRecord;
}

/**
 * Streams one run of the model loop to the client and records it with one conditional write, then sends
 * `done`. The run stops early, keeping what was said, when the client is gone, a stop is requested or the
 * Lambda deadline nears. A failure is sent as an error frame and nothing is recorded.
 */
export async function streamTurn(deps: TurnDependencies, run: TurnRun): Promise<TurnSummary> {
  const summary = await streamAndRecord(deps, run);
  deps.observer?.turnFinished?.(summary, performance.now() - run.requestedAt);
  return summary;
}

async function streamAndRecord(deps: TurnDependencies, run: TurnRun): Promise<TurnSummary> {
  const { sessionId } = run.session;
  const sinceRequest = () => performance.now() - run.requestedAt;
  const timings: FirstTokenTimings = { readyMs: sinceRequest() };
  const controller = new AbortController();
  const interrupt = (reason: TurnInterrupted['stopReason']) => controller.abort(new TurnInterrupted(reason));
  const frames = createFrameStream({
    push: deps.push,
    connectionId: run.connectionId,
    sessionId,
    turnId: run.turnId,
    firstSeq: run.firstSeq,
    policy: deps.settings.flush,
    onGone: () => interrupt('client_gone'),
    onFirstText: () => {
      timings.firstTextMs = sinceRequest();
    },
    onFirstToken: () => {
      timings.firstTokenMs = sinceRequest();
    },
  });
  const stopWatch = watchForStopRequest(
    deps.stopRequests,
    { sessionId, turnId: run.turnId, startedAt: deps.clock.now() },
    deps.settings.stopPollMs,
    interrupt,
  );
  const deadline = scheduleDeadline(run.remainingTimeMs, deps.settings.deadlineMarginMs, () =>
    interrupt('timeout'),
  );
  const summary = {
    turnId: run.turnId,
    modelCalls: 0,
    toolCalls: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    timings,
  };

  try {
    const result = await runToolLoop(run.conversation, {
      model: deps.model,
      tools: deps.tools,
      frames,
      maxToolRounds: deps.settings.maxToolRounds,
      idleTimeoutMs: deps.settings.modelIdleTimeoutMs,
      signal: controller.signal,
      onToolCall: (call) => deps.observer?.toolCalled?.(call),
    });
    // The answer is complete: stop requests and the deadline no longer apply while it is saved.
    stopWatch();
    deadline();
    Object.assign(summary, {
      modelCalls: result.modelCalls,
      toolCalls: result.toolCalls,
      usage: result.usage,
    });

    const record = run.record(result, frames.lastSeq + 1);
    const saved = await saveWithRetry(deps, run.session, record);
    await frames.done({
      stopReason: result.stopReason,
      usage: toWireUsage(result.usage),
      modelCalls: result.modelCalls,
      toolCalls: result.toolCalls,
    });
    // After `done`, off the client's path; analytics may miss a turn, the session never does.
    await deps.usage
      .record(saved.ownerId ?? ANONYMOUS_USER, {
        turns: record.isNewTurn ? 1 : 0,
        ...result.usage,
        costMicroUsd: costMicroUsd(result.usage, deps.settings.prices),
      })
      .catch((error: unknown) => deps.observer?.usageNotRecorded?.(error));
    return {
      ...summary,
      outcome: INTERRUPTED_STOP_REASONS.has(result.stopReason) ? 'interrupted' : 'completed',
      stopReason: result.stopReason,
      pushCount: frames.pushCount,
      savedVersion: saved.version,
    };
  } catch (error) {
    const chatError = toChatError(error);
    await frames.error({ code: chatError.code, message: chatError.message, retryable: chatError.retryable });
    return { ...summary, outcome: 'failed', errorCode: chatError.code, pushCount: frames.pushCount };
  } finally {
    stopWatch();
    deadline();
  }
}

/**
 * Optimistic concurrency: write if nobody else wrote since we loaded; otherwise reload and re-apply the record
 * on top of theirs, so two tabs sending at once both get their turns recorded.
 */
async function saveWithRetry(
  deps: TurnDependencies,
  loaded: StoredSession,
  record: TurnRecord,
): Promise<StoredSession> {
  let current = loaded;
  for (let attempt = 1; ; attempt++) {
    const next = applyTurn(current, record, deps.clock.now(), deps.settings);
    try {
      await deps.sessions.save(next, current.version);
      return next;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      deps.observer?.saveConflict?.(attempt);
      if (attempt >= deps.settings.saveAttempts) throw new SessionConflictError(error);
      await sleep(Math.random() * 20 * attempt);
      current =
        (await deps.sessions.load(loaded.sessionId)) ??
        createSession(loaded.sessionId, loaded.ownerId, deps.clock.now());
    }
  }
}

/** Arms a timer for the Lambda deadline less the margin; returns its disarm function. */
function scheduleDeadline(
  remainingTimeMs: (() => number) | undefined,
  marginMs: number,
  onDeadline: () => void,
) {
  if (!remainingTimeMs) return () => {};
  const timer = setTimeout(onDeadline, Math.max(0, remainingTimeMs() - marginMs));
  return () => clearTimeout(timer);
}

function toWireUsage(usage: TokenUsage): Usage {
  return { ...usage, totalTokens: usage.inputTokens + usage.outputTokens };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
