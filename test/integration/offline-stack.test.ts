import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');

describe('the offline stack (serverless-offline + DynamoDB Local + Bedrock emulator)', () => {
  let socket: ChatSocket;
  beforeAll(async () => {
    socket = await openChat(stack);
  });
  afterAll(() => socket.close());

  it('streams a plain answer as token frames, then one done frame with usage', async () => {
    const sessionId = crypto.randomUUID();
    const { frames, text, end } = await socket.turn(sessionId, `Hello there ${uniqueMarker('plain')}`);

    expect(end).toMatchObject({
      type: 'done',
      sessionId,
      stopReason: 'end_turn',
      modelCalls: 1,
      toolCalls: 0,
    });
    if (end.type !== 'done') throw new Error('unreachable');
    expect(end.usage.inputTokens).toBeGreaterThan(0);
    expect(end.usage.outputTokens).toBeGreaterThan(0);
    expect(end.usage.totalTokens).toBe(end.usage.inputTokens + end.usage.outputTokens);
    expect(frames.filter((f) => f.type === 'token').length).toBeGreaterThanOrEqual(1);
    expect(frames.some((f) => f.type === 'status')).toBe(false);
    expect(text).toContain('You said: “Hello there');
    expect(frames.map((f) => ('seq' in f ? f.seq : -1))).toEqual(frames.map((_, i) => i));
  });

  it('announces a knowledge-base lookup with a status frame before the answer tokens', async () => {
    const marker = uniqueMarker('kb');
    const { frames, text, end } = await socket.turn(
      crypto.randomUUID(),
      `How do I reset my password? ${marker}`,
    );

    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn', modelCalls: 2, toolCalls: 1 });
    const status = frames.findIndex((f) => f.type === 'status');
    const firstToken = frames.findIndex((f) => f.type === 'token');
    expect(frames[status]).toMatchObject({
      type: 'status',
      tool: 'kb_lookup',
      value: 'Searching knowledge base…',
    });
    expect(status).toBeLessThan(firstToken);
    expect(text).toContain('According to the knowledge base');
    expect(text).toContain('[1]');
    expect(end).toMatchObject({
      sources: expect.arrayContaining([
        expect.objectContaining({ n: 1, uri: 's3://local-knowledge-base/account-security.md' }),
      ]),
    });

    const calls = await emulatorCalls(stack.emulatorUrl);
    const retrieve = calls.filter((c) => c.operation === 'Retrieve');
    expect(retrieve.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.operation === 'ConverseStream' && c.turnText.includes(marker))).toHaveLength(
      2,
    );
  });

  it('keeps the conversation in the session item after two turns, expiring about 24 h ahead', async () => {
    const sessionId = crypto.randomUUID();
    await socket.turn(sessionId, 'First question');
    const before = Math.floor(Date.now() / 1000);
    await socket.turn(sessionId, 'Second question');

    const item = await readSessionItem(stack, sessionId);
    expect(item).toMatchObject({ PK: `SESSION#${sessionId}`, SK: 'STATE', version: 2, turns: 2 });
    expect(item?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(item?.messages[0]?.content).toEqual([{ text: 'First question' }]);
    expect(item?.messages[2]?.content).toEqual([{ text: 'Second question' }]);
    expect(item?.expiresAt).toBeGreaterThanOrEqual(before + 24 * 3600 - 5);
    expect(item?.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 24 * 3600 + 5);
    expect(item?.usage.inputTokens).toBeGreaterThan(0);
  });

  it.each([
    ['malformed JSON', '{"action": "sendMessage", ', 'INVALID_JSON'],
    [
      'a missing message',
      JSON.stringify({ action: 'sendMessage', sessionId: crypto.randomUUID() }),
      'INVALID_FRAME',
    ],
    [
      'an unknown action',
      JSON.stringify({ action: 'launchRockets', sessionId: crypto.randomUUID() }),
      'UNKNOWN_ACTION',
    ],
    ['no action at all', JSON.stringify({ hello: 'world' }), 'UNKNOWN_ACTION'],
  ])('answers %s with a typed error frame and keeps the connection usable', async (_name, raw, code) => {
    const from = socket.frames.length;
    socket.sendRaw(raw);
    const error = await socket.waitFor((f) => f.type === 'error', { fromIndex: from });
    expect(error).toMatchObject({ type: 'error', code, retryable: false });
    expect(error.type === 'error' && error.message.length).toBeGreaterThan(10);
    expect(JSON.stringify(error)).not.toMatch(/at .*\.(ts|js|mjs):\d+/);

    expect(socket.isOpen).toBe(true);
    const { end } = await socket.turn(crypto.randomUUID(), 'Still there?');
    expect(end.type).toBe('done');
  });
});
