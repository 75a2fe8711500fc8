import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateConverseBody } from '../../../emulator/validation.ts';
import { type ContentBlock, isTurnStart, type Message } from '../../../src/chat/messages.ts';
import { jsonBytes, repairWindow, trimWindow, trimWindowToBytes } from '../../../src/chat/window.ts';

/**
 * Bedrock's own rules (as the emulator enforces them) are the oracle for "a window Bedrock accepts": the window
 * followed by the next question, as it is sent.
 */
const bedrockError = (messages: Message[]) =>
  validateConverseBody({
    messages: (messages.at(-1)?.role === 'assistant'
      ? [...messages, { role: 'user', content: [{ text: 'next' }] }]
      : messages) as never,
    toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } } }] },
  });

const text = (value: string): ContentBlock => ({ text: value });
const toolUse = (id: string): ContentBlock => ({
  toolUse: { toolUseId: id, name: 'kb_lookup', input: { query: id } },
});
const toolResult = (id: string): ContentBlock => ({
  toolResult: { toolUseId: id, content: [{ text: `result ${id}` }], status: 'success' },
});
const user = (...content: ContentBlock[]): Message => ({ role: 'user', content });
const assistant = (...content: ContentBlock[]): Message => ({ role: 'assistant', content });

/** A well-formed turn: question, 0-3 tool rounds (1-2 parallel calls each), final answer. */
const turnArbitrary = fc
  .record({
    question: fc.string({ minLength: 1, maxLength: 8 }).map((s) => `q ${s}`),
    rounds: fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 3 }),
    answer: fc.string({ minLength: 1, maxLength: 8 }).map((s) => `a ${s}`),
    id: fc.uuid(),
  })
  .map(({ question, rounds, answer, id }) => [
    user(text(question)),
    ...rounds.flatMap((calls, round) => {
      const ids = Array.from({ length: calls }, (_, i) => `${id}-${round}-${i}`);
      return [assistant(...ids.map(toolUse)), user(...ids.map(toolResult))];
    }),
    assistant(text(answer)),
  ]);

const historyArbitrary = fc.array(turnArbitrary, { maxLength: 12 }).map((turns) => turns.flat());

/** Anything a buggy writer or `slice(-20)` could leave behind: random roles, blank text, orphaned tool blocks. */
const garbageArbitrary = fc.array(
  fc.record({
    role: fc.constantFrom('user' as const, 'assistant' as const),
    content: fc.array(
      fc.oneof(
        fc.constantFrom('', '  ', 'hello', 'again').map(text),
        fc.constantFrom('a', 'b', 'c').map(toolUse),
        fc.constantFrom('a', 'b', 'c').map(toolResult),
      ),
      { maxLength: 3 },
    ),
  }),
  { maxLength: 30 },
);

describe('repairWindow', () => {
  it('turns any history into one Bedrock accepts, opening with a user text message', () => {
    fc.assert(
      fc.property(garbageArbitrary, (history) => {
        const repaired = repairWindow(history);
        if (repaired.length === 0) return;
        expect(isTurnStart(repaired[0] as Message)).toBe(true);
        expect(bedrockError(repaired)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves a well-formed history exactly as it is', () => {
    fc.assert(
      fc.property(historyArbitrary, (history) => {
        expect(repairWindow(history)).toEqual(history);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(garbageArbitrary, (history) => {
        const once = repairWindow(history);
        expect(repairWindow(once)).toEqual(once);
      }),
    );
  });

  it('drops an orphaned toolResult at the start, as slice(-20) leaves it', () => {
    const history = [
      user(toolResult('x')),
      assistant(text('It is noon.')),
      user(text('Thanks')),
      assistant(text('Welcome')),
    ];
    expect(repairWindow(history)).toEqual([user(text('Thanks')), assistant(text('Welcome'))]);
  });

  it('removes a toolUse the next message does not answer, keeping the text beside it', () => {
    const history = [
      user(text('q')),
      assistant(text('Let me look.'), toolUse('x')),
      user(text('never mind')),
    ];
    expect(repairWindow(history)).toEqual([
      user(text('q')),
      assistant(text('Let me look.')),
      user(text('never mind')),
    ]);
  });

  it('merges two user messages in a row, as a turn lost before its answer leaves them', () => {
    expect(repairWindow([user(text('first')), user(text('second'))])).toEqual([
      user(text('first'), text('second')),
    ]);
  });

  it('drops blank text blocks, which Bedrock rejects', () => {
    expect(repairWindow([user(text('q')), assistant(text('  '), text('a'))])).toEqual([
      user(text('q')),
      assistant(text('a')),
    ]);
  });
});

describe('trimWindow', () => {
  it('keeps at most the limit, whole turns only, in a window Bedrock accepts', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer({ min: 2, max: 24 }), (history, limit) => {
        const window = trimWindow(history, limit);
        expect(window.length).toBeLessThanOrEqual(limit);
        if (history.length === 0) return;
        expect(isTurnStart(window[0] as Message)).toBe(true);
        expect(bedrockError(window)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the newest turns unchanged when the last turn fits', () => {
    fc.assert(
      fc.property(historyArbitrary, (history) => {
        const window = trimWindow(history, 20);
        expect(history.slice(history.length - window.length)).toEqual(window);
        const dropped = history.length - window.length;
        // Nothing that could have fitted was dropped: the turn before the window would not fit.
        if (dropped > 0)
          expect(history.length - history.slice(0, dropped).findLastIndex(isTurnStart)).toBeGreaterThan(20);
      }),
    );
  });

  it('never splits a toolUse from its toolResult when trimming', () => {
    const turn = [user(text('q1')), assistant(toolUse('x')), user(toolResult('x')), assistant(text('a1'))];
    const history = [...turn, user(text('q2')), assistant(text('a2'))];
    expect(trimWindow(history, 5)).toEqual([user(text('q2')), assistant(text('a2'))]);
    expect(trimWindow(history, 6)).toEqual(history);
  });

  it('compacts a single turn longer than the window to its question and final answer', () => {
    const rounds = Array.from({ length: 12 }, (_, i) => [
      assistant(toolUse(`t${i}`)),
      user(toolResult(`t${i}`)),
    ]).flat();
    const longTurn = [user(text('big question')), ...rounds, assistant(text('final answer'))];
    expect(trimWindow(longTurn, 20)).toEqual([user(text('big question')), assistant(text('final answer'))]);
  });
});

describe('trimWindow by tokens', () => {
  const counted = (n: number, tokens?: number): Message[] => [
    { role: 'user', content: [text(`q${n}`)], ...(tokens === undefined ? {} : { tokens }) },
    assistant(text(`a${n}`)),
  ];

  it('keeps the newest whole turns whose counted tokens fit the budget', () => {
    const window = [...counted(1, 500), ...counted(2, 300), ...counted(3, 400)];
    expect(trimWindow(window, 20, 800)).toEqual([...counted(2, 300), ...counted(3, 400)]);
    expect(trimWindow(window, 20, 1_200)).toEqual(window);
  });

  it('applies the message limit and the token budget together', () => {
    const window = [...counted(1, 10), ...counted(2, 10), ...counted(3, 10)];
    expect(trimWindow(window, 4, 1_000)).toEqual([...counted(2, 10), ...counted(3, 10)]);
  });

  it('estimates turns recorded before tokens were counted, and keeps the newest turn whatever its size', () => {
    const old = counted(1);
    expect(trimWindow([...old, ...counted(2, 5)], 20, 5)).toEqual(counted(2, 5));
    expect(trimWindow([...old, ...counted(2, 5)], 20, 1_000)).toEqual([...old, ...counted(2, 5)]);
    expect(trimWindow(counted(3, 9_999), 20, 10)).toEqual(counted(3, 9_999));
  });
});

describe('trimWindowToBytes', () => {
  const turn = (question: string, answerText: string): Message[] => [
    { role: 'user', content: [{ text: question }], turnId: question },
    { role: 'assistant', content: [{ text: answerText }] },
  ];

  it('keeps the newest whole turns that fit, and always the newest turn', () => {
    const messages = [
      ...turn('a', 'x'.repeat(500)),
      ...turn('b', 'y'.repeat(500)),
      ...turn('c', 'z'.repeat(500)),
    ];

    expect(trimWindowToBytes(messages, 10_000)).toEqual(messages);
    expect(trimWindowToBytes(messages, 1_200).map((message) => message.turnId)).toEqual([
      'b',
      undefined,
      'c',
      undefined,
    ]);
    expect(trimWindowToBytes(messages, 100)).toEqual(turn('c', 'z'.repeat(500)));
    expect(jsonBytes(trimWindowToBytes(messages, 1_200))).toBeLessThanOrEqual(1_200);
  });
});

describe('repairWindow and turn ids', () => {
  it('keeps the turn id a question carries, and the later one when two questions merge', () => {
    const repaired = repairWindow([
      { role: 'user', content: [{ text: 'first' }], turnId: 't1' },
      { role: 'assistant', content: [{ text: '  ' }] },
      { role: 'user', content: [{ text: 'second' }], turnId: 't2' },
      { role: 'assistant', content: [{ text: 'answer' }] },
    ]);
    expect(repaired[0]).toEqual({
      role: 'user',
      content: [{ text: 'first' }, { text: 'second' }],
      turnId: 't2',
    });
  });
});
