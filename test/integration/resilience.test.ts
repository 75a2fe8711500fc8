import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { findFreePort } from '../../local/processes.ts';
import { findFreeStackPorts, type Stack, startStack } from '../../local/stack.ts';
import { startTcpProxy, type TcpProxy } from '../../local/tcp-proxy.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { TEST_HANDLER_ENV } from '../support/global-stack.ts';
import { readSessionItem } from '../support/sessions.ts';
import { type StackInfo, stackInfoOf } from '../support/stack-info.ts';

const shared = inject('stack');

describe('faults from Bedrock: a clear error, nothing half-written, the session works again', () => {
  it.each([
    ['throttling (HTTP 429, after the SDK retries)', '#fault:throttle', 'MODEL_THROTTLED'],
    ['throttling inside the stream', '#fault:stream-throttle', 'MODEL_THROTTLED'],
    ['a mid-stream model error', '#fault:stream-error', 'MODEL_STREAM_ERROR'],
    ['a stalled stream (idle timeout)', '#fault:stall', 'MODEL_TIMEOUT'],
    ['a validation error', '#fault:validation', 'MODEL_REJECTED'],
  ])('survives %s', async (_name, directive, code) => {
    const socket = await openChat(shared);
    const sessionId = crypto.randomUUID();
    await socket.turn(sessionId, 'Before the fault');

    const { end } = await socket.turn(sessionId, `During the fault ${directive}`);
    expect(end).toMatchObject({ type: 'error', code, retryable: code !== 'MODEL_REJECTED' });
    expect(await readSessionItem(shared, sessionId)).toMatchObject({ version: 1, turns: 1 });

    expect((await socket.turn(sessionId, 'After the fault')).end.type).toBe('done');
    const after = await readSessionItem(shared, sessionId);
    expect(after).toMatchObject({ version: 2, turns: 2 });
    expect(after?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    await socket.close();
  });
});

describe('DynamoDB unavailable, then back (a cuttable proxy in front of DynamoDB Local)', () => {
  let stack: Stack;
  let proxy: TcpProxy;
  let info: StackInfo;
  let stopDatabase: () => Promise<void>;
  let socket: ChatSocket;

  beforeAll(async () => {
    const database = await startDynamoDbLocal({ port: await findFreePort() });
    stopDatabase = database.stop;
    proxy = await startTcpProxy({ targetPort: Number(new URL(database.endpoint).port) });
    stack = await startStack({
      ports: { ...(await findFreeStackPorts()), dynamodb: proxy.port },
      emulator: { mode: 'scripted', firstTokenMs: 0, tokenMs: 0 },
      auth: true,
      handlerEnv: TEST_HANDLER_ENV,
    });
    info = stackInfoOf(stack);
    socket = await openChat(info);
  }, 120_000);

  afterAll(async () => {
    await socket?.close();
    await stack?.stop();
    await proxy?.close();
    await stopDatabase?.();
  });

  it('answers STORAGE_UNAVAILABLE while the database is gone, loses nothing, and carries on when it is back', async () => {
    const sessionId = crypto.randomUUID();
    expect((await socket.turn(sessionId, 'First')).end.type).toBe('done');
    const direct = { ...info, dynamodbEndpoint: `http://127.0.0.1:${proxy.port}` };

    proxy.cut();
    const { end } = await socket.turn(sessionId, 'Second, while the database is down');
    expect(end).toMatchObject({ type: 'error', code: 'STORAGE_UNAVAILABLE', retryable: true });
    expect(socket.isOpen).toBe(true);

    proxy.restore();
    expect((await socket.turn(sessionId, 'Third, after it came back')).end.type).toBe('done');
    const stored = await readSessionItem(direct, sessionId);
    expect(stored).toMatchObject({ version: 2, turns: 2 });
    expect(stored?.messages[2]?.content).toEqual([{ text: 'Third, after it came back' }]);
  });

  it('does not record a turn whose save fails mid-answer, and says so', async () => {
    const sessionId = crypto.randomUUID();
    expect((await socket.turn(sessionId, 'First')).end.type).toBe('done');
    const direct = { ...info, dynamodbEndpoint: `http://127.0.0.1:${proxy.port}` };

    const from = socket.frames.length;
    socket.send({
      action: 'sendMessage',
      sessionId,
      turnId: crypto.randomUUID(),
      message: '#tokens:200 #pace:10',
    });
    await socket.waitFor((f) => f.type === 'token', { fromIndex: from });
    proxy.cut();
    const end = await socket.waitFor((f) => f.type === 'done' || f.type === 'error', {
      fromIndex: from,
      timeoutMs: 20_000,
    });
    proxy.restore();

    expect(end).toMatchObject({ type: 'error', code: 'STORAGE_UNAVAILABLE' });
    expect(await readSessionItem(direct, sessionId)).toMatchObject({ version: 1, turns: 1 });
    expect((await socket.turn(sessionId, 'Again')).end.type).toBe('done');
  });

  it('ends a turn whose save hangs with a typed frame well before the deadline; its retry gets the stored answer', async () => {
    const sessionId = crypto.randomUUID();
    expect((await socket.turn(sessionId, 'First')).end.type).toBe('done');
    const direct = { ...info, dynamodbEndpoint: `http://127.0.0.1:${proxy.port}` };
    const turnId = crypto.randomUUID();
    const message = '#tokens:40 #pace:25 Saved while storage hangs';

    const from = socket.frames.length;
    const started = performance.now();
    socket.send({ action: 'sendMessage', sessionId, turnId, message });
    await socket.waitFor((f) => f.type === 'token', { fromIndex: from });
    // DynamoDB applies what it is sent, but its answers never come back: the save lands, unconfirmed.
    proxy.freeze();
    const end = await socket.waitFor((f) => (f.type === 'done' || f.type === 'error') && 'turnId' in f, {
      fromIndex: from,
      timeoutMs: 25_000,
    });
    const endedAfterMs = performance.now() - started;
    proxy.thaw();
    const streamed = socket.frames
      .slice(from)
      .map((f) => (f.type === 'token' && f.turnId === turnId ? f.value : ''))
      .join('');

    expect(end).toMatchObject({ type: 'error', turnId, code: 'STORAGE_UNAVAILABLE', retryable: true });
    // The storage budget (5 s) ended it, not the Lambda deadline (28 s) or API Gateway's 29 s.
    expect(endedAfterMs).toBeLessThan(15_000);

    const retryFrom = socket.frames.length;
    socket.send({ action: 'sendMessage', sessionId, turnId, message });
    const retryEnd = await socket.waitFor((f) => f.type === 'done' || f.type === 'error', {
      fromIndex: retryFrom,
      timeoutMs: 30_000,
    });
    const replayed = socket.frames
      .slice(retryFrom)
      .map((f) => (f.type === 'token' ? f.value : ''))
      .join('');
    expect(retryEnd).toMatchObject({ type: 'done', turnId, replayed: true, modelCalls: 0 });
    expect(replayed).toBe(streamed);
    const stored = await readSessionItem(direct, sessionId);
    expect(stored).toMatchObject({ version: 2, turns: 2 });
    expect(stored?.messages.filter((m) => m.role === 'user' && m.turnId === turnId)).toHaveLength(1);
  });
});
