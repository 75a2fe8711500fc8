import { eventHeaders } from './event-stream.ts';
import type { JsonPlan, PlannedFrame, StreamPlan } from './response-plan.ts';
import type { AnswerUsage, ScriptedAnswer } from './scripted-answer.ts';
import { toTokens } from './tokens.ts';
import { eventPayload, wireJson } from './wire-json.ts';

export { toTokens };

/** How fast the scripted model "types". */
export interface ScriptedPace {
  firstTokenMs: number;
  tokenMs: number;
}

/**
 * ConverseStream events for an answer, in Bedrock's order and shapes (checked against real recordings by the
 * conformance suite): every payload carries the `p` padding and sorted keys; a text block has no
 * contentBlockStart; a tool block starts with its name and id, then its input in fragments that only parse
 * when joined (Anthropic models first send an empty one); thinking streams as `reasoningContent` deltas and a
 * signature before the answer.
 */
export function toStreamPlan(answer: ScriptedAnswer, pace: ScriptedPace): StreamPlan {
  const frames: PlannedFrame[] = [];
  const add = (event: string, payload: Record<string, unknown>, delayMs = 0) => {
    const seed = `${frames.length}:${event}:${JSON.stringify(payload)}`;
    frames.push({ delayMs, frame: { headers: eventHeaders(event), payload: eventPayload(payload, seed) } });
  };
  let first = true;
  const delay = () => {
    const ms = first ? 0 : pace.tokenMs;
    first = false;
    return ms;
  };

  add('messageStart', { role: 'assistant' }, pace.firstTokenMs);
  let index = 0;
  if (answer.reasoning) {
    for (const text of toTokens(answer.reasoning.text)) {
      add('contentBlockDelta', { contentBlockIndex: index, delta: { reasoningContent: { text } } }, delay());
    }
    if (answer.reasoning.signature !== undefined) {
      add('contentBlockDelta', {
        contentBlockIndex: index,
        delta: { reasoningContent: { signature: answer.reasoning.signature } },
      });
    }
    add('contentBlockStop', { contentBlockIndex: index });
    index++;
  }
  const tokens = toTokens(answer.text);
  if (tokens.length > 0) {
    for (const text of tokens)
      add('contentBlockDelta', { contentBlockIndex: index, delta: { text } }, delay());
    add('contentBlockStop', { contentBlockIndex: index });
    index++;
  }
  for (const toolUse of answer.toolUses) {
    add(
      'contentBlockStart',
      { contentBlockIndex: index, start: { toolUse: { name: toolUse.name, toolUseId: toolUse.toolUseId } } },
      delay(),
    );
    if (answer.anthropic)
      add('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: '' } } });
    for (const input of fragments(toolUse.inputJson)) {
      add('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }, delay());
    }
    add('contentBlockStop', { contentBlockIndex: index });
    index++;
  }
  add('messageStop', {
    stopReason: answer.stopReason,
    ...(answer.anthropic
      ? { additionalModelResponseFields: { delta: { stop_sequence: answer.stopSequence } } }
      : {}),
  });
  add('metadata', {
    metrics: { latencyMs: latencyOf(answer, pace) },
    usage: usageJson(answer.usage, answer.reportsCache),
    ...(answer.guardrailTrace ? { trace: { guardrail: answer.guardrailTrace } } : {}),
  });
  return {
    kind: 'stream',
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream' },
    frames,
  };
}

/** The Converse (non-streaming) answer: the same content in one message, keys sorted as Bedrock sends them. */
export function toConversePlan(answer: ScriptedAnswer, pace: ScriptedPace): JsonPlan {
  const content = [
    ...(answer.reasoning
      ? [
          {
            reasoningContent: {
              reasoningText: {
                text: answer.reasoning.text,
                ...(answer.reasoning.signature !== undefined
                  ? { signature: answer.reasoning.signature }
                  : {}),
              },
            },
          },
        ]
      : []),
    ...(answer.text ? [{ text: answer.text }] : []),
    // A tool call cut off by maxTokens has no input to give: Converse returns only whole calls.
    ...answer.toolUses
      .filter((toolUse) => toolUse.complete)
      .map(({ toolUseId, name, input }) => ({
        toolUse: { input, name, toolUseId, ...(answer.anthropic ? { type: 'tool_use' } : {}) },
      })),
  ];
  const latencyMs = latencyOf(answer, pace);
  return {
    kind: 'json',
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: wireJson({
      ...(answer.anthropic ? { additionalModelResponseFields: { stop_sequence: answer.stopSequence } } : {}),
      metrics: { latencyMs },
      output: { message: { content, role: 'assistant' } },
      stopReason: answer.stopReason,
      ...(answer.guardrailTrace ? { trace: { guardrail: answer.guardrailTrace } } : {}),
      usage: usageJson(answer.usage, answer.reportsCache),
    }),
    delayMs: latencyMs,
  };
}

/**
 * Usage as real responses carry it: `serverToolUsage` always; with prompt caching, the cache counts and their
 * legacy `…Count` twins (both appear in every caching recording).
 */
function usageJson(usage: AnswerUsage, reportsCache: boolean): Record<string, unknown> {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    serverToolUsage: {},
    totalTokens: usage.totalTokens,
    ...(reportsCache
      ? {
          cacheReadInputTokenCount: usage.cacheReadInputTokens,
          cacheReadInputTokens: usage.cacheReadInputTokens,
          cacheWriteInputTokenCount: usage.cacheWriteInputTokens,
          cacheWriteInputTokens: usage.cacheWriteInputTokens,
        }
      : {}),
  };
}

/** Tool input in two pieces, neither valid JSON on its own (a one-character input stays whole). */
function fragments(json: string): string[] {
  if (json.length < 2) return json === '' ? [] : [json];
  const cut = Math.ceil(json.length / 2);
  return [json.slice(0, cut), json.slice(cut)];
}

/**
 * How long the answer takes to write: the first token, then a token time per word and per tool-call event
 * (its start and input fragments), as the stream paces them, so Converse and ConverseStream cost the same.
 */
function latencyOf(answer: ScriptedAnswer, pace: ScriptedPace): number {
  const deltas =
    toTokens(answer.reasoning?.text ?? '').length +
    toTokens(answer.text).length +
    answer.toolUses.reduce((sum, tool) => sum + 1 + fragments(tool.inputJson).length, 0);
  return pace.firstTokenMs + deltas * pace.tokenMs;
}
