import { describe, expect, it } from 'vitest';
import { planFromInteraction } from '../../../emulator/fixture-replay.ts';
import type { Interaction } from '../../../emulator/fixtures.ts';
import { answerEvents, questionBody, streamInteraction } from './support/fixture-builders.ts';

describe('planFromInteraction', () => {
  it('turns recorded events back into frames with their delays', () => {
    const plan = planFromInteraction(
      streamInteraction(questionBody('Hi'), answerEvents(['a', 'b'], { firstMs: 40, gapMs: 9 })),
    );

    expect(plan.kind).toBe('stream');
    if (plan.kind !== 'stream') return;
    expect(
      plan.frames
        .slice(0, 3)
        .map(({ delayMs, frame }) => [delayMs, frame.headers[':event-type'], frame.payload]),
    ).toEqual([
      [40, 'messageStart', '{"role":"assistant"}'],
      [0, 'contentBlockDelta', '{"contentBlockIndex":0,"delta":{"text":"a"}}'],
      [9, 'contentBlockDelta', '{"contentBlockIndex":0,"delta":{"text":"b"}}'],
    ]);
    expect(plan.stall).toBeUndefined();
  });

  it('holds a stream open after its events when the fixture says it stalled', () => {
    const interaction = streamInteraction(questionBody('Hi'), answerEvents(['a']));
    interaction.response.stall = true;

    expect(planFromInteraction(interaction)).toMatchObject({ kind: 'stream', stall: true });
  });

  it('answers a recorded error with its status, error type and exact body text', () => {
    const interaction: Interaction = {
      operation: 'ConverseStream',
      request: { modelId: 'm', body: questionBody('Hi') },
      response: {
        status: 429,
        headers: {
          'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
        },
        bodyText: '{"message": "Too many requests"}',
        delayMs: 12,
      },
    };

    expect(planFromInteraction(interaction)).toEqual({
      kind: 'json',
      status: 429,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      },
      body: '{"message": "Too many requests"}',
      delayMs: 12,
    });
  });
});
