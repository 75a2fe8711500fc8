import { describe, expect, inject, it } from 'vitest';
import type { DoneFrame, HistoryFrame, ServerFrame } from '../../src/protocol/server-frame.ts';
import { openChat } from '../support/chat-socket.ts';
import { closeAfterEach } from '../support/close-after-each.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { countedTurns, readSessionPartition } from '../support/sessions.ts';

const stack = inject('stack');
const open = closeAfterEach((user: string) => openChat(stack, user));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const modelCalls = async (marker: string) =>
  (await emulatorCalls(stack.emulatorUrl, marker)).filter((call) => call.operation === 'ConverseStream');
/** Waits (bounded) until the model has been called `count` times for `marker`. */
async function untilModelCalls(marker: string, count: number) {
  for (const giveUpAt = performance.now() + 20_000; performance.now() < giveUpAt; await sleep(100)) {
    if ((await modelCalls(marker)).length >= count) return;
  }
}

describe('cost amplification (issue 19, item 4)', () => {
  it('counts every resume that calls the model against the per-user rate limit', async () => {
    const user = `resumer-${crypto.randomUUID()}`;
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const marker = uniqueMarker('resume-cost');
    let socket = await open(user);
    socket.send({ action: 'sendMessage', sessionId, turnId, message: `#tokens:3000 #pace:5 ${marker}` });
    await socket.waitFor((frame) => frame.type === 'token');

    // Three times: the connection drops mid-answer, a new one resumes it.
    for (let cycle = 0; cycle < 3; cycle++) {
      await socket.close();
      socket = await open(user);
      socket.send({ action: 'resume', sessionId, turnId });
      const history = (await socket.waitFor((frame) => frame.type === 'history', {
        timeoutMs: 15_000,
      })) as HistoryFrame;
      expect(history.interruptedTurn).toMatchObject({ turnId, stopReason: 'client_gone' });
      await socket.waitFor((frame) => frame.type === 'token', { timeoutMs: 15_000 });
      // The resume may first replay what an earlier resume (whose client had gone too) added: the connection
      // drops again only once this one has asked the model to go on.
      await untilModelCalls(marker, cycle + 2);
    }
    await socket.close();

    expect(await modelCalls(marker)).toHaveLength(4);
    expect(await countedTurns(stack, user)).toBe(4);
  }, 90_000);

  it('writes nothing for 200 cancels of turns that do not exist, in sessions of no one or of the sender', async () => {
    const user = `flooder-${crypto.randomUUID()}`;
    const socket = await open(user);
    const ownSession = crypto.randomUUID();
    const ownTurn = await socket.turn(ownSession, 'A real turn first');
    expect(ownTurn.end.type).toBe('done');
    const strangers = Array.from({ length: 180 }, () => crypto.randomUUID());

    // In waves, so the offline stack runs a bounded number of cancel Lambdas at once (each looks for its turn
    // for up to CHAT_CANCEL_WAIT_MS, 2 s, before it gives up).
    const cancels = [
      ...strangers.map((sessionId) => ({ sessionId, turnId: crypto.randomUUID() })),
      ...Array.from({ length: 20 }, () => ({ sessionId: ownSession, turnId: crypto.randomUUID() })),
    ];
    for (let wave = 0; wave < cancels.length; wave += 25) {
      for (const cancel of cancels.slice(wave, wave + 25)) socket.send({ action: 'cancel', ...cancel });
      await sleep(2_400);
    }
    await sleep(1_000);

    const written = await Promise.all(strangers.map((sessionId) => readSessionPartition(stack, sessionId)));
    expect(written.flat()).toEqual([]);
    const own = await readSessionPartition(stack, ownSession);
    expect(own.map((item) => item.SK).sort()).toEqual(['STATE', `TURN#${(ownTurn.end as DoneFrame).turnId}`]);
    // Nothing answered the cancels either: there was nothing to stop.
    expect(socket.frames.filter((frame: ServerFrame) => frame.type === 'error')).toEqual([]);
  }, 90_000);
});
