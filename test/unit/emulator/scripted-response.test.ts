import { describe, expect, it } from 'vitest';
import { toConversePlan, toStreamPlan, toTokens } from '../../../emulator/scripted-response.ts';

const toolReply = {
  text: 'Let me check.',
  toolUses: [{ toolUseId: 'tooluse_1', name: 'current_time', input: { timeZone: 'Asia/Tokyo' } }],
  stopReason: 'tool_use' as const,
};
const body = { messages: [{ role: 'user', content: [{ text: 'What time is it in Tokyo?' }] }] };

describe('toTokens', () => {
  it('splits text into word-sized pieces that carry their leading space', () => {
    expect(toTokens('Hello  world!\nBye')).toEqual(['Hello', '  world!', '\nBye']);
  });
});

describe('toStreamPlan', () => {
  const plan = toStreamPlan(toolReply, body, { firstTokenMs: 300, tokenMs: 20 });
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
    expect(events[5]?.[1]).toEqual({
      contentBlockIndex: 1,
      start: { toolUse: { toolUseId: 'tooluse_1', name: 'current_time' } },
    });
    expect(events[9]?.[1]).toEqual({ stopReason: 'tool_use' });
  });

  it('sends tool input as fragments that only parse once joined', () => {
    const fragments = events
      .filter(([name, payload]) => name === 'contentBlockDelta' && payload.delta.toolUse)
      .map(([, payload]) => payload.delta.toolUse.input as string);

    expect(() => JSON.parse(fragments[0] ?? '')).toThrow();
    expect(JSON.parse(fragments.join(''))).toEqual({ timeZone: 'Asia/Tokyo' });
  });

  it('waits the first-token time before messageStart and the token time between deltas', () => {
    expect(plan.frames.map((frame) => frame.delayMs).slice(0, 3)).toEqual([300, 0, 20]);
  });

  it('reports usage with input and output tokens that add up', () => {
    const [, { usage }] = events.at(-1) as [
      string,
      {
        usage: { inputTokens: number; outputTokens: number; totalTokens: number };
      },
    ];

    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
  });
});

describe('toConversePlan', () => {
  it('answers Converse with the text and tool calls in one message', () => {
    const plan = toConversePlan(toolReply, body, { firstTokenMs: 0, tokenMs: 0 });

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
});
