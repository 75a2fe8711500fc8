import { describe, expect, inject, it } from 'vitest';
import type { DoneFrame, ServerFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { closeAfterEach } from '../support/close-after-each.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');
const open = closeAfterEach((user: string) => openChat(stack, user));

const modelCalls = async (marker: string) =>
  (await emulatorCalls(stack.emulatorUrl, marker)).filter((call) => call.operation === 'ConverseStream');

/** Sends a question with a given turn id and collects its frames until done or error. */
async function sendTurn(socket: ChatSocket, sessionId: string, turnId: string, message: string) {
  const from = socket.frames.length;
  socket.send({ action: 'sendMessage', sessionId, turnId, message });
  const end = await socket.waitFor(
    (frame) =>
      (frame.type === 'done' || frame.type === 'error') && 'turnId' in frame && frame.turnId === turnId,
    { fromIndex: from, timeoutMs: 30_000 },
  );
  const frames = socket.frames.slice(from).filter((frame) => 'turnId' in frame && frame.turnId === turnId);
  const text = frames.map((frame: ServerFrame) => (frame.type === 'token' ? frame.value : '')).join('');
  return { end, text };
}

describe('a turn id is answered once (issue 19, item 6)', () => {
  it('gives a retry of a stored turn the stored answer, without a second model call or a second question', async () => {
    const user = `retrier-${crypto.randomUUID()}`;
    const socket = await open(user);
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const marker = uniqueMarker('retry-stored');

    const first = await sendTurn(socket, sessionId, turnId, `What time is it in Tokyo? ${marker}`);
    const retry = await sendTurn(socket, sessionId, turnId, `What time is it in Tokyo? ${marker}`);

    expect(first.end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
    expect(retry.end).toMatchObject({ type: 'done', stopReason: 'end_turn', replayed: true, modelCalls: 0 });
    expect(retry.text).toBe(first.text);
    expect(await modelCalls(marker)).toHaveLength(2); // the tool round and the answer, once
    expect(await readSessionItem(stack, sessionId)).toMatchObject({ turns: 1, version: 1 });
  });

  it('makes a retry of a turn still running wait for it instead of running it a second time', async () => {
    const user = `retrier-${crypto.randomUUID()}`;
    const [tab, otherTab] = [await open(user), await open(user)];
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const marker = uniqueMarker('retry-running');
    const message = `#tokens:120 #pace:15 ${marker}`;

    const first = sendTurn(tab, sessionId, turnId, message);
    await tab.waitFor((frame) => frame.type === 'token');
    const retry = await sendTurn(otherTab, sessionId, turnId, message);
    const original = await first;

    expect(original.end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
    expect(retry.end).toMatchObject({ type: 'done', replayed: true });
    expect((retry.end as DoneFrame).stopReason).toBe('end_turn');
    expect(retry.text).toBe(original.text);
    expect(await modelCalls(marker)).toHaveLength(1);
    expect(await readSessionItem(stack, sessionId)).toMatchObject({ turns: 1, version: 1 });
  });
});
