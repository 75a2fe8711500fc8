import type { ErrorCode } from '../errors.ts';
import { ForbiddenError, SessionConflictError, SessionExpiredError, toChatError } from '../errors.ts';
import type { StopReason, Usage } from '../protocol/server-frame.ts';
import { createFrameStream, type FlushPolicy } from './frame-stream.ts';
import { type TokenUsage, userText } from './messages.ts';
import {
  type ClientPush,
  type Clock,
  type ModelClient,
  type SessionStore,
  type StoredSession,
  VersionConflictError,
} from './ports.ts';
import {
  applyTurn,
  type CompletedTurn,
  createSession,
  INTERRUPTED_STOP_REASONS,
  isExpired,
  type WindowSettings,
} from './session.ts';
import { runToolLoop, TurnInterrupted } from './tool-loop.ts';
import type { ToolRegistry } from './tools/registry.ts';
import { repairWindow } from './window.ts';

export interface TurnSettings extends WindowSettings {
  maxToolRounds: number;
  modelIdleTimeoutMs: number;
  /** Time kept in reserve before the Lambda deadline to save the turn and send `done`. */
  deadlineMarginMs: number;
  /** Conditional-write attempts before a SESSION_CONFLICT error. */
  saveAttempts: number;
  flush: FlushPolicy;
}

export interface TurnDependencies {
  sessions: SessionStore;
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
}

export interface TurnRequest {
  connectionId: string;
  sessionId: string;
  message: string;
  /** The authenticated user; absent when auth is off. */
  userId?: string;
  turnId?: string;
  /** The Lambda context's getRemainingTimeInMillis. */
  remainingTimeMs?: () => number;
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
}

/**
 * One chat turn: load the session, stream the model's answer (running tools as asked) to the client, record the
 * whole exchange with one conditional write, then send `done`. A turn is recorded whole or not at all; an
 * interrupted answer is recorded as far as it got, marked as interrupted.
 *
 * Throws (before anything is streamed) for an expired or foreign session or unreachable storage; every later
 * failure is reported to the client as an error frame and in the summary.
 */
export async function runTurn(deps: TurnDependencies, request: TurnRequest): Promise<TurnSummary> {
  const turnId = request.turnId ?? (deps.newId ?? crypto.randomUUID.bind(crypto))();
  const session = await loadSessionForTurn(deps, request);

  const controller = new AbortController();
  const frames = createFrameStream({
    push: deps.push,
    connectionId: request.connectionId,
    sessionId: request.sessionId,
    turnId,
    policy: deps.settings.flush,
    onGone: () => controller.abort(new TurnInterrupted('client_gone')),
  });
  const cancelDeadline = scheduleDeadline(request.remainingTimeMs, deps.settings.deadlineMarginMs, () =>
    controller.abort(new TurnInterrupted('timeout')),
  );

  const userMessage = userText(request.message);
  let modelCalls = 0;
  let toolCalls = 0;
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  try {
    const result = await runToolLoop(repairWindow([...session.messages, userMessage]), {
      model: deps.model,
      tools: deps.tools,
      frames,
      maxToolRounds: deps.settings.maxToolRounds,
      idleTimeoutMs: deps.settings.modelIdleTimeoutMs,
      signal: controller.signal,
      onToolCall: (call) => deps.observer?.toolCalled?.(call),
    });
    ({ modelCalls, toolCalls, usage } = result);
    cancelDeadline();

    const saved = await saveTurn(deps, session, {
      turnId,
      messages: [userMessage, ...result.messages],
      usage: result.usage,
      stopReason: result.stopReason,
    });
    await frames.done({
      stopReason: result.stopReason,
      usage: toWireUsage(result.usage),
      modelCalls,
      toolCalls,
    });
    return {
      turnId,
      outcome: INTERRUPTED_STOP_REASONS.has(result.stopReason) ? 'interrupted' : 'completed',
      stopReason: result.stopReason,
      modelCalls,
      toolCalls,
      pushCount: frames.pushCount,
      usage,
      savedVersion: saved.version,
    };
  } catch (error) {
    const chatError = toChatError(error);
    await frames.error({ code: chatError.code, message: chatError.message, retryable: chatError.retryable });
    return {
      turnId,
      outcome: 'failed',
      errorCode: chatError.code,
      modelCalls,
      toolCalls,
      pushCount: frames.pushCount,
      usage,
    };
  } finally {
    cancelDeadline();
  }
}

async function loadSessionForTurn(deps: TurnDependencies, request: TurnRequest): Promise<StoredSession> {
  const stored = await deps.sessions.load(request.sessionId);
  const now = deps.clock.now();
  if (!stored) return createSession(request.sessionId, request.userId, now);
  if (stored.ownerId !== undefined && stored.ownerId !== request.userId) throw new ForbiddenError();
  if (isExpired(stored, now)) throw new SessionExpiredError();
  return stored;
}

/**
 * Optimistic concurrency: write if nobody else wrote since we loaded; otherwise reload and re-apply this turn
 * on top of theirs, so two tabs sending at once both get their turns recorded.
 */
async function saveTurn(
  deps: TurnDependencies,
  loaded: StoredSession,
  turn: CompletedTurn,
): Promise<StoredSession> {
  let current = loaded;
  for (let attempt = 1; ; attempt++) {
    const next = applyTurn(current, turn, deps.clock.now(), deps.settings);
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
