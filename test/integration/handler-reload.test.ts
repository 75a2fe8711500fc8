import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreeStackPorts, type Stack, startStack } from '../../local/stack.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { TEST_HANDLER_ENV } from '../support/global-stack.ts';
import { stackInfoOf } from '../support/stack-info.ts';

/**
 * `npm run dev` rebuilds and reloads the handlers when a file in src/ changes. This stack watches a folder of
 * its own instead (so the test never edits the sources): a file saved there goes through the same path, the
 * serverless-esbuild rebuild and serverless-offline's reload.
 */
describe('saving a file while an answer streams (handlers rebuilt and reloaded)', () => {
  let watched: string;
  let stack: Stack;
  let socket: ChatSocket;
  // Every line serverless-offline prints, as it comes (its recent-output buffer is bounded: a busy turn fills it).
  const reloads: string[] = [];

  beforeAll(async () => {
    watched = mkdtempSync(join(tmpdir(), 'chat-watched-'));
    stack = await startStack({
      ports: await findFreeStackPorts(),
      emulator: { mode: 'scripted', firstTokenMs: 0, tokenMs: 0 },
      auth: true,
      handlerEnv: TEST_HANDLER_ENV,
      watch: `${watched}/**/*.ts`,
      // As `npm run dev` builds: packages stay external, so a rebuild takes well under a second even on a busy
      // machine, and the reload lands while the answer (at most 28 s, the Lambda timeout) is still streaming.
      quickStart: true,
      log: (service, line) => {
        if (service === 'offline' && line.startsWith('Handlers reloaded')) reloads.push(line);
      },
    });
    socket = await openChat(stackInfoOf(stack));
  }, 120_000);

  afterAll(async () => {
    await socket?.close();
    await stack?.stop();
    rmSync(watched, { recursive: true, force: true });
  });

  /** Resolves with the reload line serverless-offline prints once the rebuild is done. */
  async function reloaded(after: number): Promise<string> {
    // Generous: the rebuild competes for two cores with every other test run on the machine.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const line = reloads[after];
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `serverless-offline did not reload within 90 s:\n${stack.offline.recentOutput().slice(-2_000)}`,
    );
  }

  it('lets the running answer go on streaming on the code it started with, and the next turn runs', async () => {
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const from = socket.frames.length;
    // Long enough to outlast any rebuild; it is stopped once the reload is seen.
    socket.send({ action: 'sendMessage', sessionId, turnId, message: '#tokens:2000 #pace:20' });
    await socket.waitFor((f) => f.type === 'token', { fromIndex: from });

    const reloadsBefore = reloads.length;
    writeFileSync(join(watched, 'saved.ts'), `export const savedAt = ${Date.now()};\n`);
    expect(await reloaded(reloadsBefore)).toMatch(
      /^Handlers reloaded: \d+ idle stopped, 1 running finish first/,
    );

    // The answer is still streaming after the reload, and stops cleanly when asked.
    const afterReload = socket.frames.length;
    await socket.waitFor((f) => f.type === 'token', { fromIndex: afterReload, timeoutMs: 15_000 });
    socket.send({ action: 'cancel', sessionId, turnId });
    const end = await socket.waitFor(
      (f) => (f.type === 'done' || f.type === 'error') && 'turnId' in f && f.turnId === turnId,
      {
        fromIndex: from,
        timeoutMs: 30_000,
      },
    );
    expect(end).toMatchObject({ type: 'done', stopReason: 'cancelled' });

    const next = await socket.turn(sessionId, 'And after the reload?');
    expect(next.end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
  }, 180_000);
});
