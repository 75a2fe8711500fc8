import { describe, expect, inject, it } from 'vitest';
import { isTurnStart } from '../../src/chat/messages.ts';
import type { StoredSession } from '../../src/chat/ports.ts';
import type { HistoryFrame, ServerFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { closeAfterEach } from '../support/close-after-each.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { storedSession } from '../support/fakes.ts';
import { readSessionItem, writeSessionItem } from '../support/sessions.ts';

const stack = inject('stack');
const open = closeAfterEach((user?: string) => openChat(stack, user));

const modelCalls = async (marker: string) =>
  (await emulatorCalls(stack.emulatorUrl, marker)).filter((call) => call.operation === 'ConverseStream');

const waitUntil = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const textOf = (session: StoredSession | undefined) =>
  (session?.messages ?? []).map((m) => m.content.map((b) => ('text' in b ? b.text : '')).join('')).join('|');

describe('the chat engine over the offline stack', () => {
  it('answers a question that needs no tool with exactly one model call', async () => {
    const marker = uniqueMarker('no-tool');
    const { end } = await (await open()).turn(crypto.randomUUID(), `Tell me something ${marker}`);

    expect(end).toMatchObject({ type: 'done', modelCalls: 1, toolCalls: 0 });
    expect(await modelCalls(marker)).toHaveLength(1);
  });

  it('answers a one-tool question with two model calls and a status frame', async () => {
    const marker = uniqueMarker('one-tool');
    const { frames, end } = await (await open()).turn(
      crypto.randomUUID(),
      `What time is it in Tokyo? ${marker}`,
    );

    expect(end).toMatchObject({ type: 'done', modelCalls: 2, toolCalls: 1 });
    expect(frames.filter((f) => f.type === 'status')).toEqual([
      expect.objectContaining({ tool: 'current_time', value: 'Checking the time…' }),
    ]);
    const calls = await modelCalls(marker);
    expect(calls.map((call) => call.messages)).toEqual([1, 3]);
  });

  it('turns a failing tool into an error toolResult the model answers from, without crashing', async () => {
    const { text, end } = await (await open()).turn(
      crypto.randomUUID(),
      'Where is the "quantum-flux-capacitor" runbook?',
    );

    expect(end).toMatchObject({ type: 'done', toolCalls: 1 });
    expect(text).toContain(
      'I tried `lookup_resource` but it failed: No resource named "quantum-flux-capacitor"',
    );
  });

  it('repairs a stored window that would start with a toolResult before sending it to Bedrock', async () => {
    const sessionId = crypto.randomUUID();
    const now = Date.now();
    // What `messages.slice(-20)` leaves behind: an orphaned toolResult first, then an assistant reply.
    await writeSessionItem(stack, {
      sessionId,
      version: 7,
      turns: 7,
      messages: [
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tooluse_gone', content: [{ text: '12:00' }], status: 'success' } },
          ],
        },
        { role: 'assistant', content: [{ text: 'It is noon.' }] },
        { role: 'user', content: [{ text: 'Thanks!' }] },
        { role: 'assistant', content: [{ text: 'You are welcome.' }] },
      ],
      usage: { inputTokens: 1, outputTokens: 1 },
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
      expiresAt: Math.floor(now / 1000) + 3600,
    });
    const marker = uniqueMarker('repair');

    const { end } = await (await open()).turn(sessionId, `One more thing ${marker}`);

    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
    // The emulator enforces Bedrock's rules, so a 200 proves the request was valid; it saw the repaired window.
    expect((await modelCalls(marker)).map((c) => [c.status, c.messages])).toEqual([[200, 3]]);
    const stored = await readSessionItem(stack, sessionId);
    expect(stored?.messages[0]).toEqual({ role: 'user', content: [{ text: 'Thanks!' }] });
    expect(stored).toMatchObject({ version: 8, turns: 8 });
  });

  it('records every turn when two sockets send 20 turns each to one session at once', async () => {
    const sessionId = crypto.randomUUID();
    const [first, second] = await Promise.all([open('two-tabs'), open('two-tabs')]);
    const run = async (socket: ChatSocket, name: string) => {
      const ends: ServerFrame[] = [];
      for (let i = 0; i < 20; i++) ends.push((await socket.turn(sessionId, `${name} turn ${i}`)).end);
      return ends;
    };

    const ends = (
      await Promise.all([run(first as ChatSocket, 'left'), run(second as ChatSocket, 'right')])
    ).flat();

    expect(ends.filter((end) => end.type !== 'done')).toEqual([]);
    const stored = await readSessionItem(stack, sessionId);
    expect(stored).toMatchObject({ turns: 40 });
    // Turns that left the window were folded into the summary after their `done` (decision 25), each fold one
    // more write: every turn is either still in the window or in the summary, none in both, none lost.
    const inWindow = (stored?.messages ?? []).filter(isTurnStart).length;
    expect((stored?.summary?.turns ?? 0) + inWindow).toBe(40);
    expect(stored?.summary?.turns).toBeGreaterThan(0);
    expect(stored?.version).toBeGreaterThan(40);
    expect(stored?.messages[0]?.role).toBe('user');
  }, 120_000);

  it('stops the Bedrock stream and saves the partial answer when the client disconnects mid-answer', async () => {
    const sessionId = crypto.randomUUID();
    const marker = uniqueMarker('gone');
    const socket = await open();
    socket.send({
      action: 'sendMessage',
      sessionId,
      turnId: crypto.randomUUID(),
      message: `#tokens:2000 #pace:10 ${marker}`,
    });
    await socket.waitFor((f) => f.type === 'token');
    await socket.close();

    const call = await waitUntil(async () =>
      (await modelCalls(marker)).find((c) => c.outcome !== 'streaming'),
    );
    expect(call.outcome).toBe('cancelled');
    const stored = await waitUntil(() => readSessionItem(stack, sessionId));
    expect(stored.lastTurn).toMatchObject({ stopReason: 'client_gone' });
    expect(stored.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const partial = textOf(stored).split('|')[1] ?? '';
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.split(' ').length).toBeLessThan(2000);
  });

  it('cancels a running answer on request: done with stopReason cancelled, the stream aborted, the partial kept', async () => {
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const marker = uniqueMarker('cancel');
    const socket = await open();
    socket.send({ action: 'sendMessage', sessionId, turnId, message: `#tokens:2000 #pace:10 ${marker}` });
    await socket.waitFor((f) => f.type === 'token');
    socket.send({ action: 'cancel', sessionId, turnId });

    const done = await socket.waitFor((f) => f.type === 'done' || f.type === 'error', { timeoutMs: 10_000 });
    expect(done).toMatchObject({ type: 'done', turnId, stopReason: 'cancelled' });
    const call = await waitUntil(async () =>
      (await modelCalls(marker)).find((c) => c.outcome !== 'streaming'),
    );
    expect(call.outcome).toBe('cancelled');
    const stored = await readSessionItem(stack, sessionId);
    expect(stored?.lastTurn).toMatchObject({ turnId, stopReason: 'cancelled' });
    expect(stored?.turns).toBe(1);
  });

  it('stops an answer whose cancel was sent right after the question, before any word came back', async () => {
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const socket = await open();
    socket.send({ action: 'sendMessage', sessionId, turnId, message: '#tokens:2000 #pace:10 stop at once' });
    socket.send({ action: 'cancel', sessionId, turnId });

    const done = await socket.waitFor((f) => f.type === 'done' || f.type === 'error', { timeoutMs: 10_000 });
    expect(done).toMatchObject({ type: 'done', turnId, stopReason: 'cancelled' });
    expect((await readSessionItem(stack, sessionId))?.lastTurn).toMatchObject({
      turnId,
      stopReason: 'cancelled',
    });
  });

  it('resumes an answer cut off by a dropped connection on a new connection, losing and repeating nothing', async () => {
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const first = await open('resumer');
    first.send({ action: 'sendMessage', sessionId, turnId, message: '#tokens:300 #pace:10' });
    await first.waitFor((f) => f.type === 'token' && f.seq >= 2);
    await first.close();

    const second = await open('resumer');
    second.send({ action: 'resume', sessionId, turnId });
    const history = (await second.waitFor((f) => f.type === 'history', {
      timeoutMs: 15_000,
    })) as HistoryFrame;
    const done = await second.waitFor((f) => f.type === 'done', { timeoutMs: 15_000 });

    expect(history.interruptedTurn).toMatchObject({ turnId, stopReason: 'client_gone' });
    const lastSeq = history.interruptedTurn?.lastSeq ?? Number.NaN;
    const continuation = second.frames.flatMap((f) => (f.type === 'token' && f.turnId === turnId ? [f] : []));
    expect(continuation.length).toBeGreaterThan(0);
    expect(continuation.every((f) => f.seq > lastSeq)).toBe(true);
    const partial = history.messages.at(-1)?.text ?? '';
    const whole = partial + continuation.map((f) => f.value).join('');
    expect(whole.split(' ')).toHaveLength(300);
    expect(done).toMatchObject({ turnId, stopReason: 'end_turn' });

    const stored = await readSessionItem(stack, sessionId);
    expect(stored).toMatchObject({ turns: 1, lastTurn: { turnId, stopReason: 'end_turn' } });
    expect(textOf(stored).split('|')[1]).toBe(whole);
  });

  it('sends a 2,000-token answer in far fewer frames than tokens', async () => {
    const { frames, text, end } = await (await open()).turn(crypto.randomUUID(), '#tokens:2000 #pace:2');

    const tokenFrames = frames.filter((f) => f.type === 'token').length;
    expect(end.type).toBe('done');
    expect(text.split(' ')).toHaveLength(2000);
    expect(tokenFrames).toBeLessThan(2000 / 10);
    console.info(
      `2,000-token answer: ${tokenFrames} token frames (${(2000 / tokenFrames).toFixed(0)} tokens per frame)`,
    );
  });

  it('refuses an oversized message with MESSAGE_TOO_LARGE and stores nothing', async () => {
    const sessionId = crypto.randomUUID();
    const socket = await open();
    socket.send({ action: 'sendMessage', sessionId, message: 'x'.repeat(20_000) });

    expect(await socket.waitFor((f) => f.type === 'error')).toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      sessionId,
    });
    expect(await readSessionItem(stack, sessionId)).toBeUndefined();
  });

  it('treats a session past its expiresAt as expired even though the item still exists, and keeps it intact', async () => {
    const sessionId = crypto.randomUUID();
    const expired = storedSession({
      sessionId,
      version: 3,
      turns: 3,
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    await writeSessionItem(stack, expired);

    const { end } = await (await open()).turn(sessionId, 'Are you still there?');

    expect(end).toMatchObject({ type: 'error', code: 'SESSION_EXPIRED', retryable: false });
    expect(await readSessionItem(stack, sessionId)).toMatchObject(expired);
  });
});
