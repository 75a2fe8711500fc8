import { describe, expect, inject, it } from 'vitest';
import type { DoneFrame, HistoryFrame, ServerFrame, TokenFrame } from '../../src/protocol/server-frame.ts';
import { openChat } from '../support/chat-socket.ts';
import { closeAfterEach } from '../support/close-after-each.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');
const open = closeAfterEach(() => openChat(stack));

const tokensOf = (frames: ServerFrame[], turnId: string) =>
  frames.filter((frame): frame is TokenFrame => frame.type === 'token' && frame.turnId === turnId);
const storedAnswer = async (sessionId: string) =>
  (await readSessionItem(stack, sessionId))?.messages
    .at(-1)
    ?.content.map((block) => ('text' in block ? block.text : ''))
    .join('');

/*
 * Stop freezes the answer where the client was (issue 19, item 8). How fast the server stops is measured in
 * `npm run bench` (section "stop"); this checks what a client and the store agree on afterwards, whatever the
 * timing: the client stops showing tokens when Stop is pressed and says how far it got (`seenSeq`), the
 * server stores exactly that much, and `done` and the history say so.
 */
describe('Stop freezes the answer where the client was (issue 19, item 8)', () => {
  it('stores exactly the text the client showed when Stop was pressed, and done says how far that was', async () => {
    const socket = await open();
    const sessionId = crypto.randomUUID();
    for (const round of [1, 2, 3]) {
      const turnId = crypto.randomUUID();
      const from = socket.frames.length;
      socket.send({
        action: 'sendMessage',
        sessionId,
        turnId,
        message: `#tokens:800 #pace:10 Stop me ${round}`,
      });
      await socket.waitFor(
        (frame) => frame.type === 'token' && frame.turnId === turnId && frame.seq >= round,
        { fromIndex: from, timeoutMs: 30_000 },
      );
      // What a client shows is what it has received when Stop is pressed; it ignores the turn's tokens after.
      const shown = tokensOf(socket.frames.slice(from), turnId);
      const seenSeq = Math.max(...shown.map((frame) => frame.seq));
      socket.send({ action: 'cancel', sessionId, turnId, seenSeq });

      const end = (await socket.waitFor((frame) => frame.type === 'done' && frame.turnId === turnId, {
        fromIndex: from,
        timeoutMs: 20_000,
      })) as DoneFrame;
      expect(end).toMatchObject({ stopReason: 'cancelled', keptThroughSeq: seenSeq });
      const shownText = shown.map((frame) => frame.value).join('');
      expect(await storedAnswer(sessionId)).toBe(shownText);
      // The frames the server had pushed before it saw the Stop are not part of the answer: fewer than all.
      const pushed = tokensOf(socket.frames.slice(from), turnId);
      expect(
        pushed
          .map((frame) => frame.value)
          .join('')
          .startsWith(shownText),
      ).toBe(true);
      expect(pushed.length).toBeLessThan(800);

      const historyFrom = socket.frames.length;
      socket.send({ action: 'getHistory', sessionId });
      const history = (await socket.waitFor((frame) => frame.type === 'history', {
        fromIndex: historyFrom,
      })) as HistoryFrame;
      expect(history.messages.at(-1)).toMatchObject({ role: 'assistant', text: shownText });
    }
  }, 90_000);

  it('keeps everything the server pushed when an older client stops without saying how far it got', async () => {
    const socket = await open();
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    socket.send({ action: 'sendMessage', sessionId, turnId, message: '#tokens:800 #pace:10 Stop me' });
    await socket.waitFor((frame) => frame.type === 'token' && frame.turnId === turnId && frame.seq >= 1, {
      timeoutMs: 30_000,
    });
    socket.send({ action: 'cancel', sessionId, turnId });

    const end = (await socket.waitFor((frame) => frame.type === 'done' && frame.turnId === turnId, {
      timeoutMs: 20_000,
    })) as DoneFrame;
    expect(end.stopReason).toBe('cancelled');
    expect(end).not.toHaveProperty('keptThroughSeq');
    const pushed = tokensOf(socket.frames, turnId)
      .sort((a, b) => a.seq - b.seq)
      .map((frame) => frame.value)
      .join('');
    expect(await storedAnswer(sessionId)).toBe(pushed);
  }, 60_000);
});
