import { describe, expect, it } from 'vitest';
import { addUsage, totalTokens } from '../../../src/chat/messages.ts';
import { costMicroUsd } from '../../../src/chat/pricing.ts';

const haiku = {
  inputUsdPerMillion: 1,
  outputUsdPerMillion: 5,
  cacheReadUsdPerMillion: 0.1,
  cacheWriteUsdPerMillion: 1.25,
};

describe('costs and totals with prompt caching', () => {
  it('prices cache reads and writes at their own rates, apart from plain input', () => {
    // The recorded Nova cache write: 4 input, 10 output, 2,701 written; then the read.
    expect(costMicroUsd({ inputTokens: 4, outputTokens: 10, cacheWriteTokens: 2701 }, haiku)).toBe(3430);
    expect(costMicroUsd({ inputTokens: 4, outputTokens: 10, cacheReadTokens: 2701 }, haiku)).toBe(324);
  });

  it('falls back to a tenth and 1.25 times the input price when no cache prices are configured', () => {
    expect(
      costMicroUsd(
        { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1000, cacheWriteTokens: 1000 },
        {
          inputUsdPerMillion: 2,
          outputUsdPerMillion: 10,
        },
      ),
    ).toBe(2700);
  });

  it('adds usages, keeping cache fields only when there are cache tokens, and totals them all', () => {
    const sum = addUsage(
      { inputTokens: 4, outputTokens: 10, cacheReadTokens: 2701 },
      { inputTokens: 1, outputTokens: 2 },
    );

    expect(sum).toEqual({ inputTokens: 5, outputTokens: 12, cacheReadTokens: 2701 });
    expect(addUsage({ inputTokens: 1, outputTokens: 1 }, { inputTokens: 1, outputTokens: 1 })).toEqual({
      inputTokens: 2,
      outputTokens: 2,
    });
    expect(totalTokens(sum)).toBe(2718);
  });
});
