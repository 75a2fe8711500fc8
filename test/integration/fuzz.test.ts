import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');
const FRAMES = 5_200;
const SOCKETS = 8;

const known = Array.from({ length: 3 }, () => crypto.randomUUID());
const action = fc.constantFrom(
  'sendMessage',
  'getHistory',
  'cancel',
  'resume',
  'SENDMESSAGE',
  '',
  ' sendMessage',
  '$default',
  '$connect',
  '__proto__',
);
const sessionIdLike = fc.oneof(
  fc.constantFrom(...known),
  fc.uuid(),
  fc.string(),
  fc.integer(),
  fc.constant(null),
);
const weirdText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '\u0000',
    '\uD800',
    '\uDFFF',
    '\u202Eevil',
    '\uFEFF',
    'Z\u0351\u0352\u0353',
    '👩‍👩‍👧‍👦',
    '𝕳𝖊𝖑𝖑𝖔',
    '\r\n\t',
  ),
);

/** Everything a broken or hostile client could send; none of it may crash a handler or change a session. */
const hostileFrame: fc.Arbitrary<string | Buffer> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 200 }), weight: 3 },
  { arbitrary: fc.json().map((json) => json.slice(0, Math.max(1, json.length - 1))), weight: 2 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 3 },
  {
    arbitrary: fc
      .record(
        { action, sessionId: sessionIdLike, message: fc.anything(), turnId: fc.anything() },
        { requiredKeys: [] },
      )
      .map((frame) => JSON.stringify(frame)),
    weight: 6,
  },
  {
    arbitrary: fc
      .record({
        action: fc.constant('sendMessage'),
        sessionId: fc.constantFrom(...known),
        message: weirdText,
      })
      .map((f) => JSON.stringify(f)),
    weight: 2,
  },
  {
    arbitrary: fc
      .integer({ min: 1, max: 4_000 })
      .map((depth) => `{"action":"sendMessage","x":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    weight: 1,
  },
  {
    arbitrary: fc
      .integer({ min: 33_000, max: 60_000 })
      .map((n) => JSON.stringify({ action: 'sendMessage', sessionId: known[0], message: 'x'.repeat(n) })),
    weight: 1,
  },
  {
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
    weight: 2,
  },
);

/** Sends one frame and collects what it caused: one error or history frame, or a whole turn ending in done/error. */
async function exchange(socket: ChatSocket, frame: string | Buffer): Promise<ServerFrame[]> {
  const from = socket.frames.length;
  socket.sendRaw(frame);
  const first = await socket
    .waitFor(() => true, { fromIndex: from, timeoutMs: 20_000 })
    .catch((error: Error) => {
      throw new Error(`No answer to frame ${JSON.stringify(String(frame).slice(0, 300))}: ${error.message}`);
    });
  // serverless-offline's "Internal server error" frame (a handler threw) has no type: name the frame at once.
  if (!('type' in first))
    throw new Error(
      `Untyped answer ${JSON.stringify(first)} to frame ${JSON.stringify(String(frame).slice(0, 300))}`,
    );
  if (first.type === 'error' && first.turnId === undefined) return [first];
  if (first.type === 'history') return [first];
  await socket.waitFor((f) => f.type === 'done' || f.type === 'error', {
    fromIndex: from,
    timeoutMs: 20_000,
  });
  return socket.frames.slice(from);
}

describe('fuzzed frames over real sockets', () => {
  it(`answers ${FRAMES} hostile frames with an error or a normal answer each, and changes no session`, async () => {
    const owner = await openChat(stack, `owner-${crypto.randomUUID()}`);
    for (const sessionId of known)
      expect((await owner.turn(sessionId, 'a real question')).end.type).toBe('done');
    const before = await Promise.all(known.map((id) => readSessionItem(stack, id)));

    const frames = fc.sample(hostileFrame, { numRuns: FRAMES, seed: 20261124 });
    const sockets = await Promise.all(Array.from({ length: SOCKETS }, () => openChat(stack)));
    const outcomes = { errors: new Map<string, number>(), histories: 0, turns: 0 };
    await Promise.all(
      sockets.map(async (socket, index) => {
        for (let i = index; i < frames.length; i += SOCKETS) {
          const caused = await exchange(socket, frames[i] as string | Buffer);
          for (const frame of caused) {
            // serverless-offline's "Internal server error" frame (a handler threw) has no type.
            expect(frame, `frame ${i} caused ${JSON.stringify(frame).slice(0, 200)}`).toHaveProperty('type');
          }
          const end = caused.at(-1) as ServerFrame;
          if (end.type === 'error' && end.turnId === undefined)
            outcomes.errors.set(end.code, (outcomes.errors.get(end.code) ?? 0) + 1);
          else if (end.type === 'history') outcomes.histories++;
          else outcomes.turns++;
        }
        expect(socket.isOpen).toBe(true);
      }),
    );

    const errors = [...outcomes.errors.values()].reduce((a, b) => a + b, 0);
    expect(errors + outcomes.histories + outcomes.turns).toBe(FRAMES);
    expect(outcomes.errors.get('FORBIDDEN')).toBeGreaterThan(0);
    expect(await Promise.all(known.map((id) => readSessionItem(stack, id)))).toEqual(before);
    // The server is still up and serving.
    expect((await owner.turn(known[0] as string, 'still there?')).end.type).toBe('done');
    console.info(
      `fuzz: ${FRAMES} frames over ${SOCKETS} sockets → ${errors} error frames ${JSON.stringify(Object.fromEntries(outcomes.errors))}, ` +
        `${outcomes.histories} histories, ${outcomes.turns} turns; no crash, sessions unchanged`,
    );
    await Promise.all([owner, ...sockets].map((socket) => socket.close()));
  }, 300_000);
});
