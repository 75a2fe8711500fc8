import type { ConverseBody } from './bedrock-types.ts';
import { eventHeaders } from './event-stream.ts';
import type { JsonPlan, PlannedFrame, StreamPlan } from './response-plan.ts';
import { jsonPlan } from './response-plan.ts';
import type { ScriptedReply } from './scripted-model.ts';

/** How fast the scripted model "types". */
export interface ScriptedPace {
  firstTokenMs: number;
  tokenMs: number;
}

/** Word-sized pieces with their leading space, as models stream them: "Hello", " world", "!". */
export function toTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** ConverseStream events for a scripted reply, in Bedrock's order and shapes. */
export function toStreamPlan(reply: ScriptedReply, body: ConverseBody, pace: ScriptedPace): StreamPlan {
  const frames: PlannedFrame[] = [];
  const add = (event: string, payload: unknown, delayMs = 0) =>
    frames.push({ delayMs, frame: { headers: eventHeaders(event), payload: JSON.stringify(payload) } });

  add('messageStart', { role: 'assistant' }, pace.firstTokenMs);
  let index = 0;
  const tokens = toTokens(reply.text);
  if (tokens.length > 0) {
    for (const [i, text] of tokens.entries()) {
      add('contentBlockDelta', { contentBlockIndex: index, delta: { text } }, i === 0 ? 0 : pace.tokenMs);
    }
    add('contentBlockStop', { contentBlockIndex: index });
    index++;
  }
  for (const toolUse of reply.toolUses) {
    add(
      'contentBlockStart',
      { contentBlockIndex: index, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } },
      pace.tokenMs,
    );
    const input = JSON.stringify(toolUse.input);
    // Tool input arrives in fragments that are not valid JSON on their own.
    const cut = Math.ceil(input.length / 2);
    for (const fragment of [input.slice(0, cut), input.slice(cut)]) {
      add(
        'contentBlockDelta',
        { contentBlockIndex: index, delta: { toolUse: { input: fragment } } },
        pace.tokenMs,
      );
    }
    add('contentBlockStop', { contentBlockIndex: index });
    index++;
  }
  const usage = usageOf(reply, body);
  add('messageStop', { stopReason: reply.stopReason });
  add('metadata', { usage, metrics: { latencyMs: latencyOf(reply, pace) } });
  return {
    kind: 'stream',
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream' },
    frames,
  };
}

/** The Converse (non-streaming) answer for a scripted reply. */
export function toConversePlan(reply: ScriptedReply, body: ConverseBody, pace: ScriptedPace): JsonPlan {
  const content = [
    ...(reply.text ? [{ text: reply.text }] : []),
    ...reply.toolUses.map((toolUse) => ({ toolUse })),
  ];
  const latencyMs = latencyOf(reply, pace);
  return jsonPlan(
    {
      output: { message: { role: 'assistant', content } },
      stopReason: reply.stopReason,
      usage: usageOf(reply, body),
      metrics: { latencyMs },
    },
    latencyMs,
  );
}

/**
 * How long the reply takes to write: the first token, then a token time per word and three per tool call (its
 * start and two input fragments), as the stream paces them, so Converse and ConverseStream cost the same.
 */
function latencyOf(reply: ScriptedReply, pace: ScriptedPace): number {
  return pace.firstTokenMs + (toTokens(reply.text).length + 3 * reply.toolUses.length) * pace.tokenMs;
}

/** Token counts estimated the usual way, about four characters a token. */
function usageOf(reply: ScriptedReply, body: ConverseBody) {
  const inputChars = JSON.stringify([body.system ?? [], body.messages ?? [], body.toolConfig ?? {}]).length;
  const inputTokens = Math.ceil(inputChars / 4);
  const outputTokens =
    toTokens(reply.text).length +
    reply.toolUses.reduce((sum, t) => sum + Math.ceil(JSON.stringify(t.input).length / 4), 0);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}
