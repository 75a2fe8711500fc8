import { describe, expect, it } from 'vitest';
import { createMemoryConnectionRegistry } from '../../../../src/adapters/memory/memory-connection-registry.ts';
import { createMemoryHandoffQueue } from '../../../../src/adapters/memory/memory-handoff-queue.ts';
import { createMemorySessionStore } from '../../../../src/adapters/memory/memory-session-store.ts';
import { createBroadcast } from '../../../../src/chat/handoff/broadcast.ts';
import type { HandoffDependencies } from '../../../../src/chat/handoff/handoff-dependencies.ts';
import {
  handOffOnLowConfidence,
  knowledgeBaseMissesInARow,
} from '../../../../src/chat/handoff/low-confidence.ts';
import type { Message } from '../../../../src/chat/messages.ts';
import type { ServerFrame } from '../../../../src/protocol/server-frame.ts';
import { createFakeClock, storedSession, testTurnSettings } from '../../../support/fakes.ts';

let ids = 0;
/** One stored turn: the question, then per tool call its use and result, then the answer. */
function turn(question: string, lookups: Array<'found' | 'nothing' | 'failed' | 'time'> = []): Message[] {
  const calls = lookups.map((kind) => ({ kind, id: `tool-${++ids}` }));
  const messages: Message[] = [{ role: 'user', turnId: `turn-${++ids}`, content: [{ text: question }] }];
  if (calls.length > 0) {
    messages.push({
      role: 'assistant',
      content: calls.map(({ kind, id }) => ({
        toolUse: { toolUseId: id, name: kind === 'time' ? 'current_time' : 'kb_lookup', input: {} },
      })),
    });
    messages.push({
      role: 'user',
      content: calls.map(({ kind, id }) => ({
        toolResult: {
          toolUseId: id,
          status: kind === 'failed' ? ('error' as const) : ('success' as const),
          content:
            kind === 'failed'
              ? [{ text: 'kb_lookup failed' }]
              : [{ json: kind === 'found' ? { passages: [{ n: 1, text: 'Refunds…' }] } : { passages: [] } }],
        },
      })),
    });
  }
  messages.push({ role: 'assistant', content: [{ text: 'An answer.' }] });
  return messages;
}

describe('knowledgeBaseMissesInARow', () => {
  it('counts the latest turns in a row whose every knowledge-base search found nothing relevant', () => {
    expect(knowledgeBaseMissesInARow([...turn('a', ['found']), ...turn('b', ['nothing'])])).toBe(1);
    expect(
      knowledgeBaseMissesInARow([
        ...turn('a', ['nothing']),
        ...turn('b', ['found']),
        ...turn('c', ['nothing']),
        ...turn('d', ['nothing', 'nothing']),
      ]),
    ).toBe(2);
  });

  it('ends the run at a turn that found something, did not search, or whose search failed', () => {
    expect(knowledgeBaseMissesInARow([...turn('a', ['nothing']), ...turn('b', ['nothing', 'found'])])).toBe(
      0,
    );
    expect(knowledgeBaseMissesInARow([...turn('a', ['nothing']), ...turn('b')])).toBe(0);
    expect(knowledgeBaseMissesInARow([...turn('a', ['nothing']), ...turn('b', ['time'])])).toBe(0);
    expect(knowledgeBaseMissesInARow([...turn('a', ['nothing']), ...turn('b', ['failed'])])).toBe(0);
    expect(knowledgeBaseMissesInARow([])).toBe(0);
  });
});

describe('the low-confidence rule', () => {
  function setup(messages: Message[]) {
    const sessions = createMemorySessionStore();
    const queue = createMemoryHandoffQueue();
    const registry = createMemoryConnectionRegistry();
    const sent: ServerFrame[] = [];
    const deps: HandoffDependencies = {
      queue,
      sessions,
      clock: createFakeClock(),
      settings: testTurnSettings(),
      broadcast: createBroadcast({ registry, send: async (_to, frame) => void sent.push(frame) }),
    };
    const request = { sessionId: 's-1', userId: 'ana', expiresAt: 2_000_000_000, afterMisses: 2 };
    return {
      deps,
      queue,
      registry,
      sent,
      request,
      ready: sessions.save(storedSession({ sessionId: 's-1', ownerId: 'ana', messages }), 0),
    };
  }

  it('hands the conversation to a person after the set number of misses, saying why and what was asked', async () => {
    const t = setup([
      ...turn('Where is the refund form?', ['nothing']),
      ...turn('And the returns desk?', ['nothing']),
    ]);
    await t.ready;
    await t.registry.add({ connectionId: 'tab-1', userId: 'ana', agent: false });

    expect(await handOffOnLowConfidence(t.deps, t.request)).toBe(true);

    const handoff = await t.queue.find('s-1');
    expect(handoff).toMatchObject({ userId: 'ana', reason: 'low_confidence', status: 'queued' });
    expect(handoff?.summary).toBe(
      "The knowledge base found nothing relevant for the user's last 2 questions: “Where is the refund form?” · “And the returns desk?”",
    );
    expect(t.sent).toContainEqual(
      expect.objectContaining({ type: 'handoff', status: 'queued', reason: 'low_confidence', position: 1 }),
    );
  });

  it('waits below the set number, does nothing when off, and leaves an open handoff alone', async () => {
    const once = setup([...turn('a', ['found']), ...turn('b', ['nothing'])]);
    await once.ready;
    expect(await handOffOnLowConfidence(once.deps, once.request)).toBe(false);

    const off = setup([...turn('a', ['nothing']), ...turn('b', ['nothing'])]);
    await off.ready;
    expect(await handOffOnLowConfidence(off.deps, { ...off.request, afterMisses: 0 })).toBe(false);
    expect(await off.queue.find('s-1')).toBeUndefined();

    const open = setup([...turn('a', ['nothing']), ...turn('b', ['nothing'])]);
    await open.ready;
    await open.queue.open({
      sessionId: 's-1',
      userId: 'ana',
      reason: 'user_request',
      summary: 'Asked for a person.',
      status: 'queued',
      queuedAt: 1,
      events: [],
      expiresAt: 2_000_000_000,
    });
    expect(await handOffOnLowConfidence(open.deps, open.request)).toBe(false);
    expect((await open.queue.find('s-1'))?.reason).toBe('user_request');
  });

  it('never hands off someone else’s conversation', async () => {
    const t = setup([...turn('a', ['nothing']), ...turn('b', ['nothing'])]);
    await t.ready;
    expect(await handOffOnLowConfidence(t.deps, { ...t.request, userId: 'mallory' })).toBe(false);
    expect(await t.queue.find('s-1')).toBeUndefined();
  });
});
