import { describe, expect, inject, it } from 'vitest';
import type { HistoryFrame, ServerFrame, TokenFrame } from '../../src/protocol/server-frame.ts';
import { openChat } from '../support/chat-socket.ts';
import { closeAfterEach } from '../support/close-after-each.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');
const open = closeAfterEach((user: string) => openChat(stack, user));

/** What a client assembles from a resume: the history's last answer, then the turn's tokens in seq order. */
function assembled(frames: ServerFrame[], turnId: string): string {
  const history = frames.find((frame): frame is HistoryFrame => frame.type === 'history');
  const tokens = frames
    .filter((frame): frame is TokenFrame => frame.type === 'token' && frame.turnId === turnId)
    .sort((a, b) => a.seq - b.seq);
  return (history?.messages.at(-1)?.text ?? '') + tokens.map((frame) => frame.value).join('');
}

describe('one resume per turn at a time (issue 19, item 7)', () => {
  it('lets one of two tabs continue an interrupted answer; both assemble exactly the stored answer', async () => {
    const user = `two-tabs-${crypto.randomUUID()}`;
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const marker = uniqueMarker('two-resumes');
    const first = await open(user);
    first.send({ action: 'sendMessage', sessionId, turnId, message: `#tokens:250 #pace:12 ${marker}` });
    await first.waitFor((frame) => frame.type === 'token' && frame.seq >= 1);
    await first.close();
    // The cut-off answer is recorded once the old run finds its client gone.
    for (let tries = 0; (await readSessionItem(stack, sessionId))?.lastTurn?.turnId !== turnId; tries++) {
      if (tries > 100) throw new Error('the interrupted turn was never recorded');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const [left, right] = await Promise.all([open(user), open(user)]);
    left.send({ action: 'resume', sessionId, turnId });
    right.send({ action: 'resume', sessionId, turnId });
    const isEnd = (frame: ServerFrame) =>
      (frame.type === 'done' || frame.type === 'error') && 'turnId' in frame && frame.turnId === turnId;
    const ends = await Promise.all([
      left.waitFor(isEnd, { timeoutMs: 30_000 }),
      right.waitFor(isEnd, { timeoutMs: 30_000 }),
    ]);

    expect(ends.map((end) => end.type)).toEqual(['done', 'done']);
    expect(ends.filter((end) => end.type === 'done' && end.replayed)).toHaveLength(1);
    const stored = await readSessionItem(stack, sessionId);
    const storedAnswer = stored?.messages
      .at(-1)
      ?.content.map((block) => ('text' in block ? block.text : ''))
      .join('');
    expect(assembled(left.frames, turnId)).toBe(storedAnswer);
    expect(assembled(right.frames, turnId)).toBe(storedAnswer);
    expect(stored).toMatchObject({ turns: 1, lastTurn: { turnId, stopReason: 'end_turn' } });
    // The first answer and one continuation: the model was asked to continue once.
    const calls = (await emulatorCalls(stack.emulatorUrl, marker)).filter(
      (c) => c.operation === 'ConverseStream',
    );
    expect(calls).toHaveLength(2);
  }, 60_000);
});
