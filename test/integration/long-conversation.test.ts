import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createLocalDocumentClient } from '../../local/stack.ts';
import type { StoredSession } from '../../src/chat/ports.ts';
import type { DoneFrame, HistoryFrame, ServerFrame, UsageFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';
import { TEST_HANDLER_ENV } from '../support/global-stack.ts';

const stack = inject('stack');
/**
 * The stack's window (CHAT_WINDOW_MESSAGES's default, 20 messages, and the test stack's CHAT_WINDOW_TOKENS): a
 * window over either is folded after `done`.
 */
const WINDOW_MESSAGES = 20;
const WINDOW_TOKENS = Number(TEST_HANDLER_ENV.CHAT_WINDOW_TOKENS);
const overflows = (session: StoredSession) =>
  session.messages.length > WINDOW_MESSAGES ||
  session.messages.reduce((sum, message) => sum + (message.tokens ?? 0), 0) > WINDOW_TOKENS;
const sockets: ChatSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});

/** The session's STATE item as the handlers left it in DynamoDB Local. */
async function storedSession(sessionId: string): Promise<StoredSession | undefined> {
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  try {
    const { Item } = await client.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: { PK: `SESSION#${sessionId}`, SK: 'STATE' },
        ConsistentRead: true,
      }),
    );
    return Item as StoredSession | undefined;
  } finally {
    client.destroy();
  }
}

/**
 * Waits (bounded) until the fold that runs after `done` has brought the stored window back within the window.
 * A turn that overflows the window is folded by a model call the handler makes after `done`.
 */
async function settledSession(sessionId: string): Promise<StoredSession> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const session = await storedSession(sessionId);
    if (session && !overflows(session)) return session;
    if (Date.now() > deadline) throw new Error(`the window of ${sessionId} was never folded`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function reply<T extends ServerFrame>(socket: ChatSocket, frame: object, type: T['type']): Promise<T> {
  const fromIndex = socket.frames.length;
  socket.send(frame);
  return (await socket.waitFor((f) => f.type === type, { fromIndex, timeoutMs: 30_000 })) as T;
}

describe('a long conversation over the offline stack', () => {
  it('folds the turns that leave the window into a stored summary after done, and sends it as a system block', async () => {
    const socket = await openChat(stack);
    sockets.push(socket);
    const sessionId = crypto.randomUUID();
    const marker = uniqueMarker('long');
    const turns = 30;
    const dones: DoneFrame[] = [];

    // Long turns (about 2,000 tokens each) so the history reaches the model's cache minimum (4,096 for Haiku
    // 4.5) within two turns: the stack's model caches, and the prefix before each checkpoint must stay the same.
    const filler = ` ${'la '.repeat(2_600).trim()}.`;
    const first = await socket.turn(
      sessionId,
      `Our project is called Falcon and the budget is 4200 euros.${filler} ${marker}`,
    );
    expect(first.end.type).toBe('done');
    dones.push(first.end as DoneFrame);
    let folds = 0;
    let reads = 0;
    for (let n = 2; n <= turns; n++) {
      const before = await settledSession(sessionId);
      const result = await socket.turn(
        sessionId,
        `Tell me something about another topic.${filler} ${marker}`,
        {
          timeoutMs: 60_000,
        },
      );
      expect(result.end, `turn ${n}`).toMatchObject({ type: 'done', stopReason: 'end_turn' });
      const done = result.end as DoneFrame;
      dones.push(done);
      // From the third turn of a window on, the request marks a checkpoint an earlier turn of it wrote.
      if (before.messages.length >= 6) {
        expect(done.usage.cacheReadTokens ?? 0, `turn ${n} reads the cache`).toBeGreaterThan(0);
        reads++;
      }
      const settled = await settledSession(sessionId);
      if ((settled.summary?.turns ?? 0) > (before.summary?.turns ?? 0)) folds++;
    }
    expect(reads).toBeGreaterThanOrEqual(10);

    // The window stayed within its 20 messages; every turn beyond it went into the summary, Falcon's too.
    const stored = await settledSession(sessionId);
    expect(stored.turns).toBe(turns);
    expect(folds).toBeGreaterThanOrEqual(2);
    expect(stored.summary?.turns).toBe(turns - stored.messages.length / 2);
    expect(stored.summary?.text).toContain('Our project is called Falcon and the budget is 4200 euros.');

    // The next turn's model request carries the summary as a system block, and the answer comes from it.
    const asked = uniqueMarker('budget');
    const answer = await socket.turn(sessionId, `What is the budget of our project? ${asked}`);
    expect(answer.text).toContain('4200');
    const [request] = (await emulatorCalls(stack.emulatorUrl, asked)).filter(
      (call) => call.operation === 'ConverseStream',
    );
    const summaryBlock = (request?.system ?? []).find((text) => text.startsWith('Summary of earlier turns'));
    expect(summaryBlock).toContain('Falcon');
    expect(request?.messages).toBeLessThanOrEqual(WINDOW_MESSAGES + 1);

    // The history says how many turns were folded, and the summary calls are in the user's usage.
    const history = await reply<HistoryFrame>(socket, { action: 'getHistory', sessionId }, 'history');
    expect(history.summarizedTurns).toBe((await storedSession(sessionId))?.summary?.turns);
    expect(history.turns).toBe(turns + 1);
    const usage = await reply<UsageFrame>(socket, { action: 'getUsage', sessionId }, 'usage');
    const streamed = [...dones, answer.end as DoneFrame].reduce(
      (sum, done) => sum + done.usage.totalTokens,
      0,
    );
    expect(usage.user.totalTokens).toBeGreaterThan(streamed);
  }, 600_000);
});
