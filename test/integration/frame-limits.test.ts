import { describe, expect, inject, it } from 'vitest';
import { joinHistoryParts } from '../../src/protocol/history-parts.ts';
import { type HistoryFrame, MAX_SERVER_MESSAGE_BYTES } from '../../src/protocol/server-frame.ts';
import { utf8Length } from '../../src/protocol/utf8-length.ts';
import { devToken, openChatSocket } from '../support/chat-socket.ts';
import { closeAfterEach } from '../support/close-after-each.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');
/** A socket of a user of its own. */
const open = closeAfterEach(async () =>
  openChatSocket(`${stack.websocketUrl}?token=${await devToken(stack, `big-${crypto.randomUUID()}`)}`),
);

const bytesOf = (frame: unknown) => utf8Length(JSON.stringify(frame));
/** A question of exactly `bytes` UTF-8 bytes, numbered so each is distinct. */
const question = (number: number, bytes: number) =>
  `${number} ${'q'.repeat(bytes - String(number).length - 1)}`;

describe('frames and items within AWS limits (issue 19, item 6a)', () => {
  it('sends the history of nine 16 KB questions in parts of at most 128 KB, which join into the whole', async () => {
    const socket = await open();
    const sessionId = crypto.randomUUID();
    for (let turn = 1; turn <= 9; turn++) {
      expect((await socket.turn(sessionId, question(turn, 16 * 1024))).end.type).toBe('done');
    }

    const from = socket.frames.length;
    socket.send({ action: 'getHistory', sessionId });
    const first = (await socket.waitFor((f) => f.type === 'history', { fromIndex: from })) as HistoryFrame;
    const parts = first.parts ?? 1;
    for (let index = 1; index < parts; index++) {
      await socket.waitFor((f) => f.type === 'history' && f.part === index, { fromIndex: from });
    }
    const received = socket.frames.slice(from).filter((f): f is HistoryFrame => f.type === 'history');

    expect(parts).toBeGreaterThan(1);
    for (const frame of received) expect(bytesOf(frame)).toBeLessThanOrEqual(MAX_SERVER_MESSAGE_BYTES);
    const whole = joinHistoryParts(received);
    expect(whole?.messages).toHaveLength(18);
    expect(whole?.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(
      Array.from({ length: 9 }, (_, index) => question(index + 1, 16 * 1024)),
    );
  });

  it('ends answers too long to store with size_limit, saying so, and keeps the session under 400 KB', async () => {
    const socket = await open();
    const sessionId = crypto.randomUUID();
    const ends = [];
    for (let turn = 1; turn <= 4; turn++) {
      const { end, text } = await socket.turn(sessionId, `${question(turn, 12 * 1024)} #tokens:20000`, {
        timeoutMs: 60_000,
      });
      ends.push(end);
      expect(end, JSON.stringify(end)).toMatchObject({ type: 'done', stopReason: 'size_limit' });
      expect(text).toMatch(/reached the longest length a conversation can store\.$/);
    }

    expect(ends.map((end) => (end.type === 'done' ? end.stopReason : end.code))).toEqual(
      Array(4).fill('size_limit'),
    );
    const stored = await readSessionItem(stack, sessionId);
    expect(stored).toMatchObject({ turns: 4, version: 4, lastTurn: { stopReason: 'size_limit' } });
    expect(bytesOf(stored)).toBeLessThan(400 * 1024);
    // The next question still works, and the history still loads.
    expect((await socket.turn(sessionId, 'Still there?')).end.type).toBe('done');
  }, 120_000);
});
