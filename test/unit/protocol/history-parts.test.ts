import { describe, expect, it } from 'vitest';
import { joinHistoryParts, SHORTENED_ENTRY_NOTE, splitHistory } from '../../../src/protocol/history-parts.ts';
import { type HistoryFrame, MAX_SERVER_MESSAGE_BYTES } from '../../../src/protocol/server-frame.ts';
import { utf8Length } from '../../../src/protocol/utf8-length.ts';

/** Nine 16 KB questions and their answers: the 152 KB history of issue 19. */
const longHistory = (): HistoryFrame => ({
  type: 'history',
  sessionId: 's',
  turns: 9,
  messages: Array.from({ length: 9 }, (_, turn) => [
    { role: 'user' as const, text: `${turn}: ${'q'.repeat(16 * 1024 - 3)}` },
    { role: 'assistant' as const, text: `answer ${turn} ✓`, tools: ['kb_lookup'] },
  ]).flat(),
  usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
  interruptedTurn: { turnId: 't', stopReason: 'client_gone', lastSeq: 4 },
});

const bytes = (frame: HistoryFrame) => utf8Length(JSON.stringify(frame));

describe('splitHistory', () => {
  it('sends a history that fits as one frame, unchanged', () => {
    const small: HistoryFrame = { ...longHistory(), messages: longHistory().messages.slice(0, 2) };
    expect(splitHistory(small, MAX_SERVER_MESSAGE_BYTES)).toEqual([small]);
  });

  it('splits a history over the message limit into parts that each fit, oldest first, the newest last', () => {
    const history = longHistory();
    expect(bytes(history)).toBeGreaterThan(MAX_SERVER_MESSAGE_BYTES);

    const parts = splitHistory(history, MAX_SERVER_MESSAGE_BYTES);

    expect(parts.length).toBe(2);
    for (const [index, part] of parts.entries()) {
      expect(bytes(part)).toBeLessThanOrEqual(MAX_SERVER_MESSAGE_BYTES);
      expect(part).toMatchObject({
        part: index,
        parts: 2,
        turns: 9,
        interruptedTurn: history.interruptedTurn,
      });
    }
    expect(parts.flatMap((part) => part.messages)).toEqual(history.messages);
    expect(parts.at(-1)?.messages.at(-1)).toEqual(history.messages.at(-1));
  });

  it('shortens, with a note, a single entry too large for any part (a session stored before the cap)', () => {
    const history = {
      ...longHistory(),
      messages: [{ role: 'assistant' as const, text: 'é'.repeat(100_000) }],
    };
    const [part, ...rest] = splitHistory(history, 64 * 1024);
    expect(rest.length).toBe(0);
    expect(part && bytes(part)).toBeLessThanOrEqual(64 * 1024);
    expect(part?.messages[0]?.text.endsWith(SHORTENED_ENTRY_NOTE)).toBe(true);
  });
});

describe('joinHistoryParts', () => {
  it('gives back the whole history once every part has arrived, in any order', () => {
    const history = longHistory();
    const [first, second] = splitHistory(history, MAX_SERVER_MESSAGE_BYTES) as [HistoryFrame, HistoryFrame];
    expect(joinHistoryParts([second])).toBeUndefined();
    expect(joinHistoryParts([second, first])).toEqual(history);
  });

  it('takes a history sent in one frame as whole', () => {
    const history = longHistory();
    expect(joinHistoryParts([history])).toBe(history);
  });
});
