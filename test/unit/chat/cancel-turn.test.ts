import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { createMemoryTurnStore } from '../../../src/adapters/memory/memory-turn-store.ts';
import { cancelTurn } from '../../../src/chat/cancel-turn.ts';
import { ForbiddenError } from '../../../src/chat/errors.ts';
import type { StoredTurn } from '../../../src/chat/ports.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { createSession } from '../../../src/chat/session.ts';
import { createFakeClock, createRecordingReply, createTestTurnDependencies } from '../../support/fakes.ts';

const turn = (overrides: Partial<StoredTurn> = {}): StoredTurn => ({
  sessionId: 's',
  turnId: 't',
  ownerId: 'alice',
  runId: 'run-1',
  leaseUntil: Number.MAX_SAFE_INTEGER,
  createdAt: 0,
  expiresAt: 0,
  ...overrides,
});

function setup(waitMs = 0) {
  const turns = createMemoryTurnStore();
  const sessions = createMemorySessionStore();
  const clock = createFakeClock();
  return { turns, sessions, clock, deps: { sessions, turns, clock, waitMs } };
}

describe('cancelTurn', () => {
  it("records a stop request for the owner's running turn, with how far the client showed it", async () => {
    const { turns, deps } = setup();
    await turns.claim(turn());

    await cancelTurn(deps, { sessionId: 's', turnId: 't', userId: 'alice', seenSeq: 3 });

    expect(await turns.findStop('s', 't')).toMatchObject({ reason: 'cancelled', runId: 'run-1', seenSeq: 3 });
  });

  it("refuses to cancel someone else's turn, and writes nothing", async () => {
    const { turns, deps } = setup();
    await turns.claim(turn());

    await expect(cancelTurn(deps, { sessionId: 's', turnId: 't', userId: 'bob' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(await turns.findStop('s', 't')).toBeUndefined();
  });

  it("refuses to cancel a turn in someone else's session", async () => {
    const { sessions, turns, clock, deps } = setup();
    await sessions.create({
      ...createSession('s', 'alice', clock.now()),
      expiresAt: clock.now() / 1000 + 60,
    });

    await expect(cancelTurn(deps, { sessionId: 's', turnId: 't', userId: 'bob' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(turns.items.size).toBe(0);
  });

  it('writes nothing at all for a turn that does not exist', async () => {
    const { turns, sessions, deps } = setup(30);
    for (let i = 0; i < 20; i++) {
      await cancelTurn(deps, {
        sessionId: crypto.randomUUID(),
        turnId: crypto.randomUUID(),
        userId: 'mallory',
      });
    }
    expect(turns.items.size).toBe(0);
    expect(sessions.items.size).toBe(0);
  });

  it('stops a turn whose sendMessage arrives after the cancel (Stop pressed right after Send)', async () => {
    const deps = createTestTurnDependencies([[{ type: 'text', text: 'Long' }, { waitMs: 5_000 }]]);
    const reply = createRecordingReply();

    const cancelled = cancelTurn(
      { ...deps, waitMs: 1_000 },
      { sessionId: 's', turnId: 't', userId: 'alice', seenSeq: -1 },
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    const summary = await runTurn(deps, {
      sessionId: 's',
      turnId: 't',
      userId: 'alice',
      message: 'Hi',
      connectionId: 'c',
      reply,
    });
    await cancelled;

    expect(summary).toMatchObject({ outcome: 'interrupted', stopReason: 'cancelled' });
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', stopReason: 'cancelled', keptThroughSeq: -1 });
  });
});
