import { describe, expect, it } from 'vitest';
import { userText } from '../../../src/chat/messages.ts';
import type { ToolLoopResult } from '../../../src/chat/tool-loop.ts';
import { recordContinuation, recordNewTurn, usageDeltaOf } from '../../../src/chat/turn-record.ts';

const prices = { inputUsdPerMillion: 1, outputUsdPerMillion: 5 };
const result = (overrides: Partial<ToolLoopResult> = {}): ToolLoopResult => ({
  messages: [{ role: 'assistant', content: [{ text: 'Hello back ' }] }],
  stopReason: 'end_turn',
  usage: { inputTokens: 12, outputTokens: 3 },
  modelCalls: 1,
  toolCalls: 0,
  context: { firstInputTokens: 12, lastTotalTokens: 15 },
  ...overrides,
});

describe('recordNewTurn', () => {
  it('records the question, then the answer, its usage, its cost once, and where its frames ended', () => {
    const record = recordNewTurn('turn-1', userText('Hi'), prices)(result(), { lastSeq: 7, runId: 'run-1' });

    expect(record).toEqual({
      // The turn's tokens: 15 counted by its last call minus 12 read by its first, plus the question's 4.
      messages: [
        { ...userText('Hi'), turnId: 'turn-1', tokens: 7 },
        { role: 'assistant', content: [{ text: 'Hello back ' }] },
      ],
      usage: { inputTokens: 12, outputTokens: 3 },
      // 12 input tokens at $1/M and 3 output tokens at $5/M.
      costMicroUsd: 27,
      lastTurn: { turnId: 'turn-1', stopReason: 'end_turn', lastSeq: 7, runId: 'run-1' },
      isNewTurn: true,
    });
    expect(usageDeltaOf(record)).toEqual({ turns: 1, inputTokens: 12, outputTokens: 3, costMicroUsd: 27 });
  });

  it('trims the trailing whitespace of an interrupted answer, which resume continues', () => {
    const record = recordNewTurn(
      'turn-1',
      userText('Hi'),
      prices,
    )(result({ stopReason: 'client_gone' }), {
      lastSeq: 2,
      runId: 'run-1',
    });
    expect(record.messages.at(-1)).toEqual({ role: 'assistant', content: [{ text: 'Hello back' }] });
  });

  it('keeps a cancelled answer exactly as far as the client showed it, whitespace included', () => {
    const answer = result({
      stopReason: 'cancelled',
      messages: [{ role: 'assistant', content: [{ text: 'Hello back and more' }] }],
    });
    const record = recordNewTurn(
      'turn-1',
      userText('Hi'),
      prices,
    )(answer, {
      lastSeq: 3,
      runId: 'run-1',
      keptChars: 11,
    });
    expect(record.messages.at(-1)).toEqual({ role: 'assistant', content: [{ text: 'Hello back ' }] });
  });
});

describe('recordContinuation', () => {
  it('records only the rest of the answer, and counts no new turn', () => {
    const record = recordContinuation('turn-1', prices)(result(), { lastSeq: 12, runId: 'run-2' });

    expect(record.messages).toEqual([{ role: 'assistant', content: [{ text: 'Hello back ' }] }]);
    expect(record.isNewTurn).toBe(false);
    expect(usageDeltaOf(record)).toMatchObject({ turns: 0, costMicroUsd: 27 });
  });
});
