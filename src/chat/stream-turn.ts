import { toUsage } from '../protocol/server-frame.ts';
import { INTERRUPTED_STOP_REASONS } from '../protocol/stop-reasons.ts';
import { citeSources } from './citations/cite-sources.ts';
import { toChatError } from './errors.ts';
import { createFrameStream } from './frame-stream.ts';
import { ANONYMOUS_USER } from './ports.ts';
import { saveTurn } from './save-turn.ts';
import { runToolLoop } from './tool-loop.ts';
import type { FirstTokenTimings, TurnDependencies, TurnRun, TurnSummary } from './turn.ts';
import { createTurnInterrupts } from './turn-interrupts.ts';
import { usageDeltaOf } from './turn-record.ts';

/**
 * Streams one run of the model loop to the client and records it with one conditional write, then sends
 * `done`. The run stops early, keeping what was said, when it is interrupted (turn-interrupts.ts). A failure
 * is sent as an error frame and nothing is recorded.
 */
export async function streamTurn(deps: TurnDependencies, run: TurnRun): Promise<TurnSummary> {
  const summary = await streamAndRecord(deps, run);
  deps.observer?.turnFinished?.(summary, performance.now() - run.requestedAt);
  return summary;
}

async function streamAndRecord(deps: TurnDependencies, run: TurnRun): Promise<TurnSummary> {
  const { settings, observer } = deps;
  const sinceRequest = () => performance.now() - run.requestedAt;
  const timings: FirstTokenTimings = { readyMs: sinceRequest() };
  const interrupts = createTurnInterrupts({
    stopRequests: deps.stopRequests,
    sessionId: run.session.sessionId,
    turnId: run.turnId,
    startedAt: deps.clock.now(),
    stopPollMs: settings.stopPollMs,
    remainingTimeMs: run.remainingTimeMs,
    deadlineMarginMs: settings.deadlineMarginMs,
  });
  const frames = createFrameStream({
    reply: run.reply,
    sessionId: run.session.sessionId,
    turnId: run.turnId,
    firstSeq: run.firstSeq,
    policy: settings.flush,
    onGone: interrupts.clientGone,
    onPushFailed: (error) => observer?.pushFailed?.(error),
    onFirstText: () => {
      timings.firstTextMs = sinceRequest();
    },
    onFirstToken: () => {
      timings.firstTokenMs = sinceRequest();
    },
  });
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
      maxToolRounds: settings.maxToolRounds,
      idleTimeoutMs: settings.modelIdleTimeoutMs,
      signal: interrupts.signal,
      earlierInTurn: run.earlierInTurn,
      onToolCall: (call) => observer?.toolCalled?.(call),
    });
    interrupts.end();
    Object.assign(summary, {
      modelCalls: result.modelCalls,
      toolCalls: result.toolCalls,
      usage: result.usage,
    });

    const record = run.record(result, frames.lastSeq + 1);
    const saved = await saveTurn(
      { ...deps, onConflict: (attempt) => observer?.saveConflict?.(attempt) },
      run.session,
      record,
    );
    const { stopReason, modelCalls, toolCalls } = result;
    const { sources, dropped } = citeSources([...(run.earlierInTurn ?? []), ...result.messages]);
    if (dropped.length > 0) observer?.citationsDropped?.({ turnId: run.turnId, numbers: dropped });
    if (sources.length > 0) frames.sources(sources);
    await frames.done({
      stopReason,
      usage: toUsage(result.usage),
      modelCalls,
      toolCalls,
      ...(sources.length > 0 ? { sources } : {}),
    });
    // After `done`, off the client's path; analytics may miss a turn, the session never does.
    await deps.usage
      .record(saved.ownerId ?? ANONYMOUS_USER, usageDeltaOf(record))
      .catch((error: unknown) => observer?.usageNotRecorded?.(error));
    const outcome = INTERRUPTED_STOP_REASONS.has(stopReason) ? 'interrupted' : 'completed';
    return { ...summary, outcome, stopReason, pushCount: frames.pushCount, savedVersion: saved.version };
  } catch (error) {
    const chatError = toChatError(error);
    await frames.error({ code: chatError.code, message: chatError.message, retryable: chatError.retryable });
    return { ...summary, outcome: 'failed', errorCode: chatError.code, pushCount: frames.pushCount };
  } finally {
    interrupts.end();
  }
}
