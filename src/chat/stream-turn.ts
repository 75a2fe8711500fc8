import { toUsage } from '../protocol/server-frame.ts';
import { INTERRUPTED_STOP_REASONS } from '../protocol/stop-reasons.ts';
import { runAfterDone } from './after-done.ts';
import { citeSources } from './citations/cite-sources.ts';
import { StorageUnavailableError, toChatError } from './errors.ts';
import { createFrameStream } from './frame-stream.ts';
import { ANONYMOUS_USER } from './ports.ts';
import { saveTurn } from './save-turn.ts';
import { storedAnswerOf } from './stored-answer.ts';
import { runToolLoop } from './tool-loop.ts';
import { createToolContext } from './tools/registry.ts';
import type { FirstTokenTimings, TurnDependencies, TurnRun, TurnSummary } from './turn.ts';
import { createTurnInterrupts } from './turn-interrupts.ts';
import { usageDeltaOf } from './turn-record.ts';

/**
 * Streams one run of the model loop to the client and records it with one conditional write, then sends
 * `done`. The run stops early, keeping what was said, when it is interrupted (turn-interrupts.ts). A failure
 * is sent as an error frame, nothing is recorded, and the run releases the turn so a retry may run it.
 */
export async function streamTurn(deps: TurnDependencies, run: TurnRun): Promise<TurnSummary> {
  const summary = await streamAndRecord(deps, run);
  deps.observer?.turnFinished?.(summary, performance.now() - run.requestedAt);
  return summary;
}

async function streamAndRecord(deps: TurnDependencies, run: TurnRun): Promise<TurnSummary> {
  const { settings, observer } = deps;
  const { sessionId } = run.session;
  const sinceRequest = () => performance.now() - run.requestedAt;
  const timings: FirstTokenTimings = { readyMs: sinceRequest() };
  /** Set when the client froze the answer on Stop: the seq it showed, and the characters that makes. */
  let frozen: { seenSeq: number; keptChars: number } | undefined;
  const interrupts = createTurnInterrupts({
    turns: deps.turns,
    sessionId,
    turnId: run.turnId,
    runId: run.runId,
    stopPollMs: settings.stopPollMs,
    remainingTimeMs: run.remainingTimeMs,
    deadlineMarginMs: settings.deadlineMarginMs,
    onFrozen: (seenSeq) => {
      frozen = { seenSeq, keptChars: frames.freeze(seenSeq) };
    },
  });
  const frames = createFrameStream({
    reply: run.reply,
    sessionId,
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
      maxAnswerBytes: run.maxAnswerBytes,
      signal: interrupts.signal,
      toolContext: createToolContext(run.session.ownerId ?? ANONYMOUS_USER, run.earlierInTurn),
      system: run.system,
      ...(run.stableMessages ? { cache: { stableMessages: run.stableMessages } } : {}),
      ...(run.metadata ? { metadata: run.metadata } : {}),
      onToolCall: (call) => observer?.toolCalled?.(call),
    });
    interrupts.end();
    Object.assign(summary, {
      modelCalls: result.modelCalls,
      toolCalls: result.toolCalls,
      usage: result.usage,
    });

    const record = run.record(result, {
      lastSeq: frames.lastSeq + 1,
      runId: run.runId,
      keptChars: frozen?.keptChars,
    });
    const saved = await saveTurn(
      {
        ...deps,
        onConflict: (attempt) => observer?.saveConflict?.(attempt),
        signal: deadlineSignal(run, settings.replyMarginMs),
      },
      run.session,
      record,
    );
    const { stopReason, modelCalls, toolCalls } = result;
    // Citations are checked on the answer as recorded (on Stop, as far as the client showed it); the sources
    // sent are the stored turn's, so a replay, a resume and getHistory show exactly these (decision 22).
    const { dropped } = citeSources([...(run.earlierInTurn ?? []), ...record.messages]);
    if (dropped.length > 0) observer?.citationsDropped?.({ turnId: run.turnId, numbers: dropped });
    const sources = storedAnswerOf(saved, run.turnId)?.sources ?? [];
    if (sources.length > 0) frames.sources(sources);
    await frames.done({
      stopReason,
      usage: toUsage(result.usage),
      modelCalls,
      toolCalls,
      ...(frozen ? { keptThroughSeq: frozen.seenSeq } : {}),
      ...(sources.length > 0 ? { sources } : {}),
    });
    // After `done`, off the client's path; analytics may miss a turn, the session never does.
    await deps.usage
      .record(saved.ownerId ?? ANONYMOUS_USER, usageDeltaOf(record))
      .catch((error: unknown) => observer?.usageNotRecorded?.(error));
    const afterDone = await runAfterDone(deps, run, saved);
    const outcome = INTERRUPTED_STOP_REASONS.has(stopReason) ? 'interrupted' : 'completed';
    return {
      ...summary,
      outcome,
      stopReason,
      pushCount: frames.pushCount,
      savedVersion: saved.version,
      costMicroUsd: record.costMicroUsd,
      ...(afterDone ? { afterDone } : {}),
    };
  } catch (error) {
    const chatError = toChatError(error);
    // Nothing was recorded: the turn is free for a retry at once. Unless the save may still land, in which
    // case the lease runs out at this run's deadline and a retry meanwhile waits for the stored answer.
    const recorded = error instanceof StorageUnavailableError && error.unconfirmedSave;
    await Promise.all([
      frames.error({ code: chatError.code, message: chatError.message, retryable: chatError.retryable }),
      recorded ? undefined : deps.turns.release(sessionId, run.turnId, run.runId).catch(() => undefined),
    ]);
    return { ...summary, outcome: 'failed', errorCode: chatError.code, pushCount: frames.pushCount };
  } finally {
    interrupts.end();
  }
}

/** Aborts when only `marginMs` is left before the Lambda deadline: time to send the turn's last frame. */
function deadlineSignal(run: TurnRun, marginMs: number): AbortSignal | undefined {
  return run.remainingTimeMs
    ? AbortSignal.timeout(Math.max(0, Math.floor(run.remainingTimeMs() - marginMs)))
    : undefined;
}
