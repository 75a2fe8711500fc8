import { describe, expect, it } from 'vitest';
import { toConversePlan, toStreamPlan, toTokens } from '../../../emulator/scripted-response.ts';
import { answerOf } from './support/fixture-builders.ts';

const toolReply = {
  text: 'Let me check.',
  toolUses: [{ toolUseId: 'tooluse_1', name: 'current_time', input: { timeZone: 'Asia/Tokyo' } }],
  stopReason: 'tool_use' as const,
};
/** A payload without Bedrock's random-length `p` padding, to compare its content. */
const withoutPadding = ({ p: _p, ...rest }: Record<string, unknown>) => rest;

describe('toTokens', () => {
  it('splits text into word-sized pieces that carry their leading space', () => {
    expect(toTokens('Hello  world!\nBye')).toEqual(['Hello', '  world!', '\nBye']);
  });
});

describe('toStreamPlan', () => {
  const plan = toStreamPlan(answerOf(toolReply), { firstTokenMs: 300, tokenMs: 20 });
  const payloads = plan.frames.map(({ frame }) => frame.payload);
  const events = plan.frames.map(({ frame }) => [frame.headers[':event-type'], JSON.parse(frame.payload)]);

  it('streams text, then each tool call in its own block, then the stop and usage, as Bedrock orders them', () => {
    expect(events.map(([name]) => name)).toEqual([
      'messageStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'contentBlockStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    expect(withoutPadding(events[5]?.[1])).toEqual({
      contentBlockIndex: 1,
      start: { toolUse: { toolUseId: 'tooluse_1', name: 'current_time' } },
    });
    expect(withoutPadding(events[9]?.[1])).toEqual({ stopReason: 'tool_use' });
  });

  it('pads every event with a "p" of varying length and writes keys in alphabetical order, as real events are', () => {
    const paddings = events.map(([, payload]) => payload.p as string);
    for (const p of paddings)
      expect('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.startsWith(p)).toBe(true);
    expect(new Set(paddings.map((p) => p.length)).size).toBeGreaterThan(3);
    for (const payload of payloads) {
      const keys = Object.keys(JSON.parse(payload));
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('sends the same bytes for the same answer', () => {
    const again = toStreamPlan(answerOf(toolReply), { firstTokenMs: 300, tokenMs: 20 });

    expect(again.frames.map(({ frame }) => frame.payload)).toEqual(payloads);
  });

  it('sends tool input as fragments that only parse once joined', () => {
    const fragments = events
      .filter(([name, payload]) => name === 'contentBlockDelta' && payload.delta.toolUse)
      .map(([, payload]) => payload.delta.toolUse.input as string);

    expect(() => JSON.parse(fragments[0] ?? '')).toThrow();
    expect(JSON.parse(fragments.join(''))).toEqual({ timeZone: 'Asia/Tokyo' });
  });

  it('starts an Anthropic tool block with an empty input fragment and ends with additionalModelResponseFields', () => {
    const claude = toStreamPlan(answerOf(toolReply, { anthropic: true }), { firstTokenMs: 0, tokenMs: 0 });
    const claudeEvents = claude.frames.map(({ frame }) => JSON.parse(frame.payload));

    expect(claudeEvents[6]?.delta).toEqual({ toolUse: { input: '' } });
    expect(claudeEvents.at(-2)?.additionalModelResponseFields).toEqual({ delta: { stop_sequence: null } });
  });

  it('waits the first-token time before messageStart and the token time between deltas', () => {
    expect(plan.frames.map((frame) => frame.delayMs).slice(0, 3)).toEqual([300, 0, 20]);
  });

  it('reports usage with input and output tokens that add up, and serverToolUsage as Bedrock does', () => {
    const [, { usage }] = events.at(-1) as [
      string,
      {
        usage: { inputTokens: number; outputTokens: number; totalTokens: number; serverToolUsage: unknown };
      },
    ];

    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
    expect(usage.serverToolUsage).toEqual({});
  });

  it('streams reasoning before the answer: text deltas, then the signature, in block 0', () => {
    const reasoned = toStreamPlan(
      answerOf(toolReply, { reasoning: { text: 'I should call current_time.', signature: 'c2lnbmF0dXJl' } }),
      { firstTokenMs: 0, tokenMs: 0 },
    );
    const deltas = reasoned.frames
      .map(({ frame }) => JSON.parse(frame.payload))
      .filter((payload) => payload.delta?.reasoningContent);

    expect(deltas.map((payload) => payload.contentBlockIndex)).toEqual([0, 0, 0, 0, 0]);
    expect(deltas.map((payload) => payload.delta.reasoningContent.text ?? '').join('')).toBe(
      'I should call current_time.',
    );
    expect(deltas.at(-1)?.delta.reasoningContent).toEqual({ signature: 'c2lnbmF0dXJl' });
  });
});

describe('toConversePlan', () => {
  it('answers Converse with the text and tool calls in one message', () => {
    const plan = toConversePlan(answerOf(toolReply), { firstTokenMs: 0, tokenMs: 0 });

    expect(JSON.parse(plan.body)).toMatchObject({
      output: {
        message: {
          role: 'assistant',
          content: [{ text: 'Let me check.' }, { toolUse: toolReply.toolUses[0] }],
        },
      },
      stopReason: 'tool_use',
    });
  });

  it('writes the body with sorted keys and, for prompt caching, the cache counts and their legacy twins', () => {
    const plan = toConversePlan(
      answerOf(toolReply, {
        reportsCache: true,
        usage: {
          inputTokens: 4,
          outputTokens: 10,
          totalTokens: 2715,
          cacheReadInputTokens: 0,
          cacheWriteInputTokens: 2701,
        },
      }),
      { firstTokenMs: 0, tokenMs: 0 },
    );
    const body = JSON.parse(plan.body);

    expect(Object.keys(body)).toEqual(['metrics', 'output', 'stopReason', 'usage']);
    expect(body.usage).toEqual({
      cacheReadInputTokenCount: 0,
      cacheReadInputTokens: 0,
      cacheWriteInputTokenCount: 2701,
      cacheWriteInputTokens: 2701,
      inputTokens: 4,
      outputTokens: 10,
      serverToolUsage: {},
      totalTokens: 2715,
    });
    expect(Object.keys(body.usage)).toEqual(Object.keys(body.usage).sort());
  });
});
