import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ErrorCode } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';

const stack = inject('stack');

describe('emulator faults (#fault: directive) over the offline stack, as the engine reports them', () => {
  let socket: ChatSocket;
  beforeAll(async () => {
    socket = await openChat(stack);
  });
  afterAll(() => socket.close());

  it.each<[string, ErrorCode, { calls: number; status: number; partialText: boolean }]>([
    // HTTP 429 and 503 are retried by the SDK (three attempts) before the engine sees them.
    ['throttle', 'MODEL_THROTTLED', { calls: 3, status: 429, partialText: false }],
    ['unavailable', 'MODEL_UNAVAILABLE', { calls: 3, status: 503, partialText: false }],
    ['validation', 'MODEL_REJECTED', { calls: 1, status: 400, partialText: false }],
    // Stream faults break a stream that has started: the first deltas reach the client before the error.
    ['stream-throttle', 'MODEL_THROTTLED', { calls: 1, status: 200, partialText: true }],
    ['stream-error', 'MODEL_STREAM_ERROR', { calls: 1, status: 200, partialText: true }],
    // The handler's model idle timeout is short in the test stack (TEST_HANDLER_ENV).
    ['stall', 'MODEL_TIMEOUT', { calls: 1, status: 200, partialText: true }],
  ])('%s ends the turn with a %s error frame', async (fault, code, expected) => {
    const marker = uniqueMarker(fault);

    const { frames, text, end } = await socket.turn(
      crypto.randomUUID(),
      `Say something #fault:${fault} ${marker}`,
    );

    expect(end).toMatchObject({ type: 'error', code });
    expect(frames.at(-1)).toBe(end);
    expect(text !== '').toBe(expected.partialText);
    const calls = await emulatorCalls(stack.emulatorUrl, marker);
    expect(calls.map((call) => [call.fault, call.status])).toEqual(
      Array.from({ length: expected.calls }, () => [fault, expected.status]),
    );
  });

  it('slow-first-token=1200 delays the answer but still completes it', async () => {
    const marker = uniqueMarker('slow');
    const started = performance.now();

    const { text, end } = await socket.turn(
      crypto.randomUUID(),
      `Say something #fault:slow-first-token=1200 ${marker}`,
    );

    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
    expect(text).toContain('You said: “Say something');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1100);
    expect((await emulatorCalls(stack.emulatorUrl, marker))[0]).toMatchObject({
      fault: 'slow-first-token',
      outcome: 'completed',
    });
  });

  it('an unknown fault name is refused, and the call log says why', async () => {
    const marker = uniqueMarker('typo');

    const { end } = await socket.turn(crypto.randomUUID(), `Say something #fault:stal ${marker}`);

    expect(end.type).toBe('error');
    const [call] = await emulatorCalls(stack.emulatorUrl, marker);
    expect(call).toMatchObject({ source: 'bad-request', status: 400 });
    expect(call?.detail).toContain('Unknown emulator fault "stal"');
  });
});
