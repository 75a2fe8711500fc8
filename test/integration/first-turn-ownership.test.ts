import { describe, expect, inject, it } from 'vitest';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { closeAfterEach } from '../support/close-after-each.ts';
import { readSessionItem, readSessionPartition, readTurnItem } from '../support/sessions.ts';

const stack = inject('stack');
const open = closeAfterEach((user: string) => openChat(stack, `${user}-${crypto.randomUUID()}`));

const FORBIDDEN = { type: 'error', code: 'FORBIDDEN', message: 'This session belongs to someone else.' };
const isTurnEnd = (turnId: string) => (frame: ServerFrame) =>
  (frame.type === 'done' || frame.type === 'error') && 'turnId' in frame && frame.turnId === turnId;

/** Sends a frame and returns the first frame that answers it. */
async function ask(socket: ChatSocket, frame: Record<string, unknown>): Promise<ServerFrame> {
  const from = socket.frames.length;
  socket.send(frame);
  return socket.waitFor(() => true, { fromIndex: from });
}

describe("a session's first turn belongs to its user from the first frame (issue 19, item 1)", () => {
  it("refuses every action of another user while the first answer streams, and the owner's turn ends normally", async () => {
    const [alice, mallory] = await Promise.all([open('alice'), open('mallory')]);
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    alice.send({
      action: 'sendMessage',
      sessionId,
      turnId,
      message: '#tokens:150 #pace:15 My secret question',
    });
    await alice.waitFor((frame) => frame.type === 'token');

    for (const frame of [
      { action: 'resume', sessionId, turnId },
      { action: 'sendMessage', sessionId, turnId: crypto.randomUUID(), message: 'Mine now' },
      { action: 'cancel', sessionId, turnId, seenSeq: -1 },
      { action: 'getHistory', sessionId },
      { action: 'getUsage', sessionId },
    ]) {
      expect(await ask(mallory, frame), frame.action).toMatchObject({ ...FORBIDDEN, sessionId });
    }

    const end = await alice.waitFor(isTurnEnd(turnId), { timeoutMs: 20_000 });
    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
    // Mallory saw nothing of Alice's: only the five refusals.
    expect(mallory.frames).toHaveLength(5);
    expect(mallory.frames.every((frame) => frame.type === 'error')).toBe(true);
    const stored = await readSessionItem(stack, sessionId);
    expect(stored).toMatchObject({ turns: 1, version: 1 });
    expect(stored?.ownerId).toMatch(/^alice-/);
    // No turn of Mallory's was left behind in Alice's session, and no stop request on hers.
    const items = await readSessionPartition(stack, sessionId);
    expect(items.map((item) => item.SK).sort()).toEqual(['STATE', `TURN#${turnId}`]);
    expect(await readTurnItem(stack, sessionId, turnId)).not.toHaveProperty('stopReason');
  });

  it("stops the owner's turn when Stop reaches the server before the turn itself (Stop right after Send)", async () => {
    const alice = await open('alice');
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();

    alice.send({ action: 'cancel', sessionId, turnId, seenSeq: -1 });
    alice.send({ action: 'sendMessage', sessionId, turnId, message: '#tokens:400 #pace:15 Never mind' });

    const end = await alice.waitFor(isTurnEnd(turnId), { timeoutMs: 20_000 });
    expect(end).toMatchObject({ type: 'done', stopReason: 'cancelled', keptThroughSeq: -1 });
  });

  it("does nothing, and writes nothing, for a stranger's Stop that comes before the owner's turn", async () => {
    const [alice, mallory] = await Promise.all([open('alice'), open('mallory')]);
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();

    mallory.send({ action: 'cancel', sessionId, turnId, seenSeq: -1 });
    alice.send({ action: 'sendMessage', sessionId, turnId, message: '#tokens:60 #pace:10 Carry on' });

    const end = await alice.waitFor(isTurnEnd(turnId), { timeoutMs: 20_000 });
    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
    // Once the turn exists it is Alice's: the stranger's cancel is refused, or finds nothing in time.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (const frame of mallory.frames) expect(frame).toMatchObject(FORBIDDEN);
    expect(await readTurnItem(stack, sessionId, turnId)).not.toHaveProperty('stopReason');
  });
});
