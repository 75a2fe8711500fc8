import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createLocalDocumentClient } from '../../local/stack.ts';
import type { MemoriesFrame, ServerFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { emulatorCalls, uniqueMarker } from '../support/emulator-calls.ts';

const stack = inject('stack');
const sockets: ChatSocket[] = [];
const open = async (user: string) => {
  const socket = await openChat(stack, user);
  sockets.push(socket);
  return socket;
};
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});

/** The user's memories item as the handlers left it in DynamoDB Local. */
async function storedMemories(user: string): Promise<string[]> {
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  try {
    const { Item } = await client.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: { PK: `USER#${user}`, SK: 'MEMORIES' },
        ConsistentRead: true,
      }),
    );
    return Object.values((Item?.memories ?? {}) as Record<string, { text: string }>).map((m) => m.text);
  } finally {
    client.destroy();
  }
}

/** Sends a memory action and waits for the `memories` frame that answers it. */
async function memoriesAfter(socket: ChatSocket, frame: object): Promise<MemoriesFrame> {
  const fromIndex = socket.frames.length;
  socket.send(frame);
  return (await socket.waitFor((f: ServerFrame) => f.type === 'memories', { fromIndex })) as MemoriesFrame;
}

/** The system blocks of the first model call of the turn marked `marker`. */
async function systemOfFirstCall(marker: string): Promise<string[]> {
  const calls = (await emulatorCalls(stack.emulatorUrl, marker)).filter(
    (c) => c.operation === 'ConverseStream',
  );
  return calls[0]?.system ?? [];
}

describe('memory across sessions over the offline stack', () => {
  it('remembers a fact in one session and uses it in the first request of a new one, for that user only', async () => {
    const alice = `user-${crypto.randomUUID()}`;
    const bob = `user-${crypto.randomUUID()}`;
    const socket = await open(alice);

    const told = await socket.turn(
      crypto.randomUUID(),
      `Remember that my favourite colour is teal ${uniqueMarker('tell')}`,
    );
    expect(told.end).toMatchObject({ type: 'done', toolCalls: 1 });
    expect(told.frames).toContainEqual(expect.objectContaining({ type: 'status', tool: 'remember' }));
    expect(await storedMemories(alice)).toEqual(['My favourite colour is teal']);

    const asked = uniqueMarker('ask');
    const later = await socket.turn(crypto.randomUUID(), `What is my favourite colour? ${asked}`);
    expect(later.text).toContain('teal');
    expect((await systemOfFirstCall(asked)).join('\n')).toContain('- My favourite colour is teal');

    const strangerAsked = uniqueMarker('stranger');
    const stranger = await (await open(bob)).turn(
      crypto.randomUUID(),
      `What is my favourite colour? ${strangerAsked}`,
    );
    expect(stranger.end.type).toBe('done');
    expect(stranger.text).not.toContain('teal');
    expect((await systemOfFirstCall(strangerAsked)).join('\n')).not.toContain('teal');
    expect(await memoriesAfter(await open(bob), { action: 'listMemories' })).toMatchObject({ memories: [] });
  });

  it('lists memories, and deleteMemory removes one from storage and from the next request at once', async () => {
    const user = `user-${crypto.randomUUID()}`;
    const socket = await open(user);
    await socket.turn(crypto.randomUUID(), `Remember that my favourite colour is teal ${uniqueMarker('a')}`);
    await socket.turn(crypto.randomUUID(), `Remember that I have a cat called Miso ${uniqueMarker('b')}`);

    const listed = await memoriesAfter(socket, { action: 'listMemories' });
    expect(listed.memories.map((m) => m.text)).toEqual([
      'My favourite colour is teal',
      'I have a cat called Miso',
    ]);
    expect(listed.max).toBeGreaterThan(0);

    const teal = listed.memories[0]?.memoryId;
    // A stranger deleting by id touches only their own (empty) memories.
    await memoriesAfter(await open(`user-${crypto.randomUUID()}`), {
      action: 'deleteMemory',
      memoryId: teal,
    });
    expect(await storedMemories(user)).toHaveLength(2);

    const afterDelete = await memoriesAfter(socket, { action: 'deleteMemory', memoryId: teal });
    expect(afterDelete.memories.map((m) => m.text)).toEqual(['I have a cat called Miso']);
    expect(await storedMemories(user)).toEqual(['I have a cat called Miso']);

    const asked = uniqueMarker('after-delete');
    const answer = await socket.turn(crypto.randomUUID(), `What is my favourite colour? ${asked}`);
    expect(answer.text).not.toContain('teal');
    const system = (await systemOfFirstCall(asked)).join('\n');
    expect(system).toContain('- I have a cat called Miso');
    expect(system).not.toContain('teal');

    expect(await memoriesAfter(socket, { action: 'deleteMemory' })).toMatchObject({ memories: [] });
    expect(await storedMemories(user)).toEqual([]);
  });

  it('refuses a deleteMemory whose memoryId is not a memory id, naming the field', async () => {
    const socket = await open(`user-${crypto.randomUUID()}`);
    socket.send({ action: 'deleteMemory', memoryId: 'teal' });
    expect(await socket.waitFor((f) => f.type === 'error')).toMatchObject({
      code: 'INVALID_FRAME',
      message: expect.stringContaining('memoryId'),
    });
  });
});
