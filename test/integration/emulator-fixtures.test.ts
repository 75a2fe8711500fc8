import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EmulatorCall } from '../../emulator/emulator.ts';
import { type Fixture, readFixture } from '../../emulator/fixtures.ts';
import { fixturePaths } from '../../emulator/repository-paths.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { emulatorCalls } from '../support/emulator-calls.ts';

const stack = inject('stack');
const fixture = (name: string) => readFixture(join(fixturePaths().bedrock, `${name}.json`));
/** What the model said in a fixture's last interaction. */
const lastAnswer = (recorded: Fixture) =>
  (recorded.interactions.at(-1)?.response.events ?? [])
    .map((event) => (event.payload as { delta?: { text?: string } } | undefined)?.delta?.text ?? '')
    .join('');

/** This test's calls: a fixture question has no room for a marker, so calls are told apart by time. */
async function callsSince(startedAt: number, question: string): Promise<EmulatorCall[]> {
  const calls = await emulatorCalls(stack.emulatorUrl);
  // A Retrieve is logged under its query, which here is the question itself.
  return calls.filter((call) => call.startedAt >= startedAt && call.turnText === question);
}

describe('committed fixtures replayed through the offline stack (auto mode)', () => {
  let socket: ChatSocket;
  beforeAll(async () => {
    socket = await openChat(stack);
  });
  afterAll(() => socket.close());

  it('replays a plain answer: the engine streams the recorded text', async () => {
    const recorded = fixture('plain-answer');
    const startedAt = Date.now();

    const { text, end } = await socket.turn(crypto.randomUUID(), 'Hi! What can you help me with?');

    expect(end).toMatchObject({ type: 'done', modelCalls: 1 });
    expect(text).toBe(lastAnswer(recorded));
    const calls = await callsSince(startedAt, 'Hi! What can you help me with?');
    expect(calls.map((call) => call.source)).toEqual(['fixture:plain-answer#1']);
  });

  it('replays a whole tool loop: the tool call, the Retrieve and the answer all come from the fixture', async () => {
    const recorded = fixture('kb-lookup');
    const startedAt = Date.now();

    const { text, end } = await socket.turn(crypto.randomUUID(), 'How do I reset my password?');

    expect(end).toMatchObject({ type: 'done', modelCalls: 2, toolCalls: 1 });
    expect(text).toBe(lastAnswer(recorded));
    const calls = await callsSince(startedAt, 'How do I reset my password?');
    expect(
      calls.filter((call) => call.turnText === 'How do I reset my password?').map((call) => call.source),
    ).toEqual(['fixture:kb-lookup#1', 'fixture:kb-lookup#2', 'fixture:kb-lookup#3']);
  });

  it('replays a recorded throttle: every SDK attempt gets its recorded 429, and the engine reports MODEL_THROTTLED', async () => {
    const startedAt = Date.now();

    const { end } = await socket.turn(crypto.randomUUID(), 'Say hello #fault:throttle');

    expect(end).toMatchObject({ type: 'error', code: 'MODEL_THROTTLED', retryable: true });
    const calls = await callsSince(startedAt, 'Say hello #fault:throttle');
    expect(calls.map((call) => [call.source, call.status])).toEqual([
      ['fixture:fault-throttle#1', 429],
      ['fixture:fault-throttle#2', 429],
      ['fixture:fault-throttle#3', 429],
    ]);
  });
});
