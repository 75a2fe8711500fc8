import { describe, expect, it } from 'vitest';
import { createMemoryConnectionRegistry } from '../../../../src/adapters/memory/memory-connection-registry.ts';
import { createMemoryFeedbackStore } from '../../../../src/adapters/memory/memory-feedback-store.ts';
import { createMemoryHandoffQueue } from '../../../../src/adapters/memory/memory-handoff-queue.ts';
import { createMemorySessionStore } from '../../../../src/adapters/memory/memory-session-store.ts';
import { createBroadcast } from '../../../../src/chat/handoff/broadcast.ts';
import { cancelHandoff } from '../../../../src/chat/handoff/close-handoff.ts';
import type { HandoffDependencies } from '../../../../src/chat/handoff/handoff-dependencies.ts';
import {
  downRatingsInARow,
  handOffOnNegativeFeedback,
} from '../../../../src/chat/handoff/negative-feedback.ts';
import type { Message } from '../../../../src/chat/messages.ts';
import type { ServerFrame } from '../../../../src/protocol/server-frame.ts';
import { createFakeClock, storedSession, testTurnSettings } from '../../../support/fakes.ts';

const rating = (value: 'up' | 'down', at: number, comment?: string) => ({
  rating: value,
  at,
  ...(comment ? { comment } : {}),
});

describe('downRatingsInARow', () => {
  it('counts the latest thumbs-down in the order they were given; a thumbs-up ends the run', () => {
    expect(downRatingsInARow([])).toBe(0);
    expect(downRatingsInARow([rating('down', 3), rating('down', 1), rating('up', 2)])).toBe(1);
    expect(downRatingsInARow([rating('up', 1), rating('down', 2), rating('down', 3)])).toBe(2);
    expect(downRatingsInARow([rating('down', 1), rating('down', 2), rating('up', 3)])).toBe(0);
  });

  it('leaves out ratings given at or before `since` (the last handoff came back then)', () => {
    const ratings = [rating('down', 1), rating('down', 2), rating('down', 5)];
    expect(downRatingsInARow(ratings, 2)).toBe(1);
    expect(downRatingsInARow(ratings, 5)).toBe(0);
  });
});

const TURNS = ['t1', 't2', 't3', 't4', 't5'];
const conversation: Message[] = TURNS.flatMap((turnId) => [
  { role: 'user', turnId, content: [{ text: `question ${turnId}` }] } as Message,
  { role: 'assistant', content: [{ text: `answer ${turnId}` }] } as Message,
]);

function setup() {
  const clock = createFakeClock();
  const queue = createMemoryHandoffQueue();
  const sessions = createMemorySessionStore();
  const feedback = createMemoryFeedbackStore();
  const registry = createMemoryConnectionRegistry();
  const sent: Array<{ connectionId: string; frame: ServerFrame }> = [];
  const observed: string[] = [];
  const deps: HandoffDependencies & { feedback: typeof feedback } = {
    queue,
    sessions,
    feedback,
    clock,
    settings: testTurnSettings(),
    broadcast: createBroadcast({
      registry,
      send: async (connectionId, frame) => {
        sent.push({ connectionId, frame });
      },
    }),
    observer: {
      queued: (handoff) => {
        observed.push(`queued ${handoff.reason}`);
      },
    },
  };
  /** The user rates one answer (as sendFeedback stores it), then the rule runs, as the route does. */
  const rate = async (turnId: string, value: 'up' | 'down', comment?: string) => {
    clock.advance(1_000);
    await feedback.record('session-1', turnId, rating(value, clock.now(), comment));
    return value === 'down' ? rule() : false;
  };
  const rule = (afterDownRatings = 2) =>
    handOffOnNegativeFeedback(deps, {
      sessionId: 'session-1',
      userId: 'alice',
      expiresAt: 0,
      afterDownRatings,
    });
  return { deps, clock, queue, sessions, registry, sent, observed, rate, rule };
}

async function withConversation() {
  const t = setup();
  await t.sessions.save(
    storedSession({ sessionId: 'session-1', ownerId: 'alice', messages: conversation }),
    0,
  );
  await t.registry.add({ connectionId: 'alice-1', userId: 'alice', agent: false });
  return t;
}

describe('the repeated-negative-feedback rule', () => {
  it('hands off after two thumbs-down in a row, with its own reason, telling the user their place in line', async () => {
    const t = await withConversation();
    expect(await t.rate('t1', 'down')).toBe(false);
    expect(await t.queue.find('session-1')).toBeUndefined();
    expect(await t.rate('t2', 'down', 'Wrong again')).toBe(true);

    const open = await t.queue.find('session-1');
    expect(open).toMatchObject({ reason: 'negative_feedback', status: 'queued', userId: 'alice' });
    expect(open?.summary).toBe(
      'The user rated the last 2 answers down: “question t1” · “question t2” (“Wrong again”)',
    );
    expect(t.sent.map((push) => push.frame)).toContainEqual({
      type: 'handoff',
      sessionId: 'session-1',
      status: 'queued',
      reason: 'negative_feedback',
      position: 1,
    });
    expect(t.observed).toEqual(['queued negative_feedback']);
  });

  it('starts counting again after a thumbs-up, and after changing a thumbs-down to up', async () => {
    const t = await withConversation();
    await t.rate('t1', 'down');
    await t.rate('t2', 'up');
    expect(await t.rate('t3', 'down')).toBe(false);
    await t.rate('t3', 'up');
    expect(await t.rate('t4', 'down')).toBe(false);
    // Rating the same answer down again is still one answer.
    expect(await t.rate('t4', 'down')).toBe(false);
    expect(await t.queue.find('session-1')).toBeUndefined();
    expect(await t.rate('t5', 'down')).toBe(true);
  });

  it('queues one handoff when two thumbs-down are handled at once', async () => {
    const t = await withConversation();
    await t.rate('t1', 'down');
    t.clock.advance(1_000);
    await t.deps.feedback.record('session-1', 't2', rating('down', t.clock.now()));
    await t.deps.feedback.record('session-1', 't3', rating('down', t.clock.now() + 1));
    const outcomes = await Promise.all([t.rule(), t.rule()]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await t.queue.list()).toHaveLength(1);
    expect(t.observed).toEqual(['queued negative_feedback']);
  });

  it('counts afresh once the handoff came back, and never while one is open', async () => {
    const t = await withConversation();
    await t.rate('t1', 'down');
    await t.rate('t2', 'down');
    // While it is open, more thumbs-down queue nothing more.
    expect(await t.rate('t3', 'down')).toBe(false);
    t.clock.advance(1_000);
    await cancelHandoff(t.deps, { sessionId: 'session-1', userId: 'alice' });
    // The ratings before it came back were that handoff's reason: one more is not two in a row.
    expect(await t.rate('t4', 'down')).toBe(false);
    expect(await t.rate('t5', 'down')).toBe(true);
    expect(t.observed).toEqual(['queued negative_feedback', 'queued negative_feedback']);
  });

  it('does nothing when off (0)', async () => {
    const t = await withConversation();
    await t.rate('t1', 'down');
    await t.rate('t2', 'down');
    await t.queue.discard((await t.queue.find('session-1')) ?? expect.unreachable());
    expect(await t.rule(0)).toBe(false);
    expect(await t.queue.find('session-1')).toBeUndefined();
  });
});
