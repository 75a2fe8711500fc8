import { toUsage } from '../protocol/server-frame.ts';
import { createFrameStream } from './frame-stream.ts';
import type { Reply } from './ports.ts';
import type { StoredAnswer } from './stored-answer.ts';
import type { TurnDependencies, TurnSummary } from './turn.ts';

/**
 * Sends a stored answer again as the frames of its turn (a `status` per tool, the text as `token`s, its
 * `sources`, `done` with `replayed: true`), starting at `firstSeq`, without calling the model: what a retried turn id, or the
 * second of two tabs resuming one turn, receives. A client assembles it like any answer.
 */
export async function replayAnswer(
  deps: Pick<TurnDependencies, 'tools' | 'settings' | 'observer'>,
  options: {
    reply: Reply;
    sessionId: string;
    turnId: string;
    firstSeq: number;
    answer: StoredAnswer;
    requestedAt: number;
  },
): Promise<TurnSummary> {
  const { answer } = options;
  const frames = replayFrames(deps, options);
  const usage = { inputTokens: 0, outputTokens: 0 };
  // The same sources as the original answer's: both come from the stored turn.
  if (answer.sources.length > 0) frames.sources(answer.sources);
  await frames.done({
    stopReason: answer.stopReason,
    usage: toUsage(usage),
    modelCalls: 0,
    toolCalls: 0,
    replayed: true,
    ...(answer.sources.length > 0 ? { sources: answer.sources } : {}),
  });
  const summary: TurnSummary = {
    turnId: options.turnId,
    outcome: 'replayed',
    stopReason: answer.stopReason,
    modelCalls: 0,
    toolCalls: 0,
    pushCount: frames.pushCount,
    usage,
    timings: { readyMs: performance.now() - options.requestedAt },
  };
  deps.observer?.turnFinished?.(summary, performance.now() - options.requestedAt);
  return summary;
}

/**
 * Sends a stored part of an answer as frames of its turn, without `done`: the answer goes on (a resume that
 * waited for another run, cut off in its turn, continues it). Returns the seq the next frame takes.
 */
export async function replayPart(
  deps: Pick<TurnDependencies, 'tools' | 'settings'>,
  options: { reply: Reply; sessionId: string; turnId: string; firstSeq: number; answer: StoredAnswer },
): Promise<number> {
  const frames = replayFrames(deps, options);
  await frames.settled();
  return frames.lastSeq + 1;
}

function replayFrames(
  deps: Pick<TurnDependencies, 'tools' | 'settings'>,
  options: { reply: Reply; sessionId: string; turnId: string; firstSeq: number; answer: StoredAnswer },
) {
  const frames = createFrameStream({
    reply: options.reply,
    sessionId: options.sessionId,
    turnId: options.turnId,
    firstSeq: options.firstSeq,
    policy: deps.settings.flush,
  });
  for (const tool of options.answer.tools) frames.status(tool, deps.tools.statusFor(tool));
  void frames.text(options.answer.text);
  return frames;
}
