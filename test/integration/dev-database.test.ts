import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { findFreeStackPorts, type Stack, startStack } from '../../local/stack.ts';
import { openChat } from '../support/chat-socket.ts';
import { TEST_HANDLER_ENV } from '../support/global-stack.ts';
import { stackInfoOf } from '../support/stack-info.ts';

const shared = inject('stack');

/** What `npm run dev` does with .dev-data/dynamodb, in a folder of the test's own. */
async function startDevLikeStack(dataDirectory: string): Promise<Stack> {
  return startStack({
    ports: await findFreeStackPorts(),
    emulator: { mode: 'scripted', firstTokenMs: 0, tokenMs: 0 },
    auth: true,
    handlerEnv: TEST_HANDLER_ENV,
    dataDirectory,
  });
}

describe('the dev database lives on disk', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'chat-dev-data-'));
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('keeps every chat when the whole stack is stopped and started again', async () => {
    const user = `user-${crypto.randomUUID()}`;
    const sessionId = crypto.randomUUID();
    stack = await startDevLikeStack(dataDirectory);
    const before = await openChat(stackInfoOf(stack), user);
    expect((await before.turn(sessionId, 'Remember this across a restart')).end.type).toBe('done');
    await before.close();
    await stack.stop();

    stack = await startDevLikeStack(dataDirectory);
    const after = await openChat(stackInfoOf(stack), user);
    after.send({ action: 'getHistory', sessionId });
    const history = await after.waitFor((f) => f.type === 'history');
    await after.close();

    expect(history).toMatchObject({ type: 'history', sessionId, turns: 1 });
    // The question as stored before the restart (history entries also carry their turn id since issue 15).
    expect(history.type === 'history' && history.messages[0]).toMatchObject({
      role: 'user',
      text: 'Remember this across a restart',
      turnId: expect.any(String),
    });
    expect(history).not.toHaveProperty('stored');
  }, 240_000);
});

describe('a session the server has nothing stored for', () => {
  it('is answered with an empty history marked stored: false, for getHistory and for resume', async () => {
    const socket = await openChat(shared);
    const sessionId = crypto.randomUUID();

    socket.send({ action: 'getHistory', sessionId });
    const history = await socket.waitFor((f) => f.type === 'history' && f.sessionId === sessionId);
    const from = socket.frames.length;
    socket.send({ action: 'resume', sessionId, turnId: crypto.randomUUID() });
    const resumed = await socket.waitFor((f) => f.type === 'history' && f.sessionId === sessionId, {
      fromIndex: from,
    });
    await socket.close();

    for (const frame of [history, resumed])
      expect(frame).toMatchObject({ messages: [], turns: 0, stored: false });
  });
});
