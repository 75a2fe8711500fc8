import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';

const stack = inject('stack');

describe('the scripted model over the offline stack (emulator in auto mode, no fixture matches)', () => {
  let socket: ChatSocket;
  beforeAll(async () => {
    socket = await openChat(stack);
  });
  afterAll(() => socket.close());

  it('drives a kb_lookup turn: tool call, Retrieve from the local knowledge base, answer built from the passages', async () => {
    const marker = uniqueMarker('kb');
    const question = 'How do I export my data?';

    const { frames, text, end } = await socket.turn(crypto.randomUUID(), `${question} ${marker}`);

    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn', modelCalls: 2, toolCalls: 1 });
    expect(
      frames.filter((frame) => frame.type === 'status').map((frame) => frame.type === 'status' && frame.tool),
    ).toEqual(['kb_lookup']);
    expect(text).toMatch(/^According to the knowledge base:/);
    expect(text).toMatch(/\[1\]/);
    const [asked, answered] = await emulatorCalls(stack.emulatorUrl, marker);
    // The model's query leaves the #id marker out, so this turn's lookup is the one between its two model calls.
    const lookups = (await emulatorCalls(stack.emulatorUrl)).filter(
      (call) =>
        call.operation === 'Retrieve' &&
        call.turnText === question &&
        call.startedAt >= (asked?.startedAt ?? 0) &&
        call.startedAt <= (answered?.startedAt ?? 0),
    );
    expect(
      [asked, ...lookups, answered].map((call) => [call?.operation, call?.source, call?.messages]),
    ).toEqual([
      ['ConverseStream', 'scripted', 1],
      ['Retrieve', 'knowledge-base', 0],
      // The question, the model's toolUse and the toolResult with the passages.
      ['ConverseStream', 'scripted', 3],
    ]);
  });

  it('drives a current_time turn: the answer carries the time the tool returned', async () => {
    const marker = uniqueMarker('time');

    const { frames, text, end } = await socket.turn(
      crypto.randomUUID(),
      `What time is it in Tokyo? ${marker}`,
    );

    expect(end).toMatchObject({ type: 'done', modelCalls: 2, toolCalls: 1 });
    expect(frames.find((frame) => frame.type === 'status')).toMatchObject({
      tool: 'current_time',
      value: 'Checking the time…',
    });
    expect(text).toMatch(/^The current time in Asia\/Tokyo is \*\*.+\*\* \(UTC\+09:00\)\.$/);
    const calls = await emulatorCalls(stack.emulatorUrl, marker);
    expect(calls.map((call) => call.source)).toEqual(['scripted', 'scripted']);
  });

  it('answers in one round when the question needs no tool', async () => {
    const marker = uniqueMarker('plain');

    const { text, end } = await socket.turn(crypto.randomUUID(), `Tell me a joke ${marker}`);

    expect(end).toMatchObject({ type: 'done', modelCalls: 1, toolCalls: 0 });
    expect(text).toContain('I am the offline scripted model standing in for Amazon Bedrock');
  });
});
