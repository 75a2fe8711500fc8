import { describe, expect, it } from 'vitest';
import { createInMemoryMemoryStore } from '../../../src/adapters/memory/memory-memory-store.ts';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { createMemoryStopRequests } from '../../../src/adapters/memory/memory-stop-requests.ts';
import { createMemoryUsageLedger } from '../../../src/adapters/memory/memory-usage-ledger.ts';
import { ForbiddenError } from '../../../src/chat/errors.ts';
import type { StoredSession } from '../../../src/chat/ports.ts';
import { CONTINUE_INSTRUCTION, resumeTurn } from '../../../src/chat/resume-turn.ts';
import { createToolRegistry } from '../../../src/chat/tools/registry.ts';
import type { TurnDependencies } from '../../../src/chat/turn.ts';
import {
  answer,
  createFakeClock,
  createFakeModel,
  createRecordingReply,
  type ScriptedCall,
  storedSession,
} from '../../support/fakes.ts';

const interrupted = (overrides: Partial<StoredSession> = {}): StoredSession =>
  storedSession({
    sessionId: 's',
    messages: [
      { role: 'user', content: [{ text: 'Tell me a story' }] },
      { role: 'assistant', content: [{ text: 'Once upon' }] },
    ],
    usage: { inputTokens: 10, outputTokens: 2 },
    lastTurn: { turnId: 't', stopReason: 'client_gone', lastSeq: 4 },
    ...overrides,
  });

function setup(sessions: StoredSession[], calls: ScriptedCall[]) {
  const store = createMemorySessionStore(sessions);
  const reply = createRecordingReply();
  const stopRequests = createMemoryStopRequests();
  const model = createFakeModel(calls);
  const clock = createFakeClock();
  const deps: TurnDependencies = {
    sessions: store,
    stopRequests,
    rateLimiter: createMemoryRateLimiter(100, clock),
    usage: createMemoryUsageLedger(),
    memories: createInMemoryMemoryStore(),
    model,
    tools: createToolRegistry([]),
    clock,
    settings: {
      windowMessages: 20,
      memory: { maxMemories: 5, maxChars: 200 },
      sessionTtlSeconds: 86_400,
      prices: { inputUsdPerMillion: 1, outputUsdPerMillion: 5 },
      maxToolRounds: 2,
      modelIdleTimeoutMs: 1_000,
      deadlineMarginMs: 100,
      saveAttempts: 3,
      stopPollMs: 1_000,
      flush: { minDelayMs: 1, maxDelayMs: 1, maxFrameBytes: 10_000 },
    },
  };
  const resume = () => resumeTurn(deps, { sessionId: 's', turnId: 't', reply }, { waitMs: 100, pollMs: 10 });
  return { store, reply, model, stopRequests, resume, deps };
}

describe('resumeTurn', () => {
  it('sends the history, then continues the partial answer after its last seq, as one answer', async () => {
    const { store, reply, model, resume } = setup([interrupted()], [answer(' a time, the end.')]);

    const summary = await resume();

    expect(reply.frames[0]).toMatchObject({
      type: 'history',
      interruptedTurn: { turnId: 't', stopReason: 'client_gone', lastSeq: 4 },
      messages: [
        { role: 'user', text: 'Tell me a story' },
        { role: 'assistant', text: 'Once upon' },
      ],
    });
    const seqs = reply.frames.slice(1).map((f) => ('seq' in f ? f.seq : -1));
    expect(seqs).toEqual(seqs.map((_, i) => 5 + i));
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', turnId: 't' });
    // The model sees its partial answer, then a request to continue it (newer models refuse a prefill).
    expect(model.requests[0]?.messages.slice(-2)).toEqual([
      { role: 'assistant', content: [{ text: 'Once upon' }] },
      { role: 'user', content: [{ text: CONTINUE_INSTRUCTION }] },
    ]);
    expect(summary).toMatchObject({ stopReason: 'end_turn' });
    const saved = await store.load('s');
    expect(saved).toMatchObject({ turns: 1, version: 2, lastTurn: { turnId: 't', stopReason: 'end_turn' } });
    expect(saved?.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ text: 'Once upon' }, { text: ' a time, the end.' }],
    });
  });

  it('asks a still-running old run to stop and waits for it to record itself', async () => {
    const notYet = interrupted({ lastTurn: { turnId: 'older', stopReason: 'end_turn', lastSeq: 3 } });
    const { store, stopRequests, resume } = setup([notYet], [answer(' more')]);
    // The old invocation notices the stop request and records its partial answer a little later.
    setTimeout(async () => {
      expect(await stopRequests.find('s', 't')).toMatchObject({ reason: 'client_gone' });
      await store.save(interrupted({ version: 2 }), 1);
    }, 30);

    const summary = await resume();

    expect(summary?.stopReason).toBe('end_turn');
  });

  it('does not obey the stop request that stopped the old run, so the continuation runs to the end', async () => {
    const notYet = interrupted({ lastTurn: { turnId: 'older', stopReason: 'end_turn', lastSeq: 3 } });
    const { store, resume, deps } = setup(
      [notYet],
      [[{ type: 'text', text: ' slowly' }, { waitMs: 60 }, ...answer(' to the end')]],
    );
    deps.settings.stopPollMs = 10;
    setTimeout(() => void store.save(interrupted({ version: 2 }), 1), 20);

    const summary = await resume();

    expect(summary).toMatchObject({ stopReason: 'end_turn' });
  });

  it('only sends the history when the turn finished normally', async () => {
    const done = interrupted({ lastTurn: { turnId: 't', stopReason: 'end_turn', lastSeq: 9 } });
    const { reply, model, resume } = setup([done], []);

    expect(await resume()).toBeUndefined();
    expect(reply.frames).toHaveLength(1);
    expect(reply.frames[0]).toMatchObject({ type: 'history' });
    expect(model.requests).toHaveLength(0);
  });

  it('says a session that is not stored (a reset database) is not, after waiting for its turn in vain', async () => {
    const { reply, model, resume, deps } = setup([], []);
    const clock = deps.clock as ReturnType<typeof createFakeClock>;
    const ticking = setInterval(() => clock.advance(50), 5);

    expect(await resume().finally(() => clearInterval(ticking))).toBeUndefined();
    expect(reply.frames).toEqual([expect.objectContaining({ type: 'history', messages: [], stored: false })]);
    expect(model.requests).toHaveLength(0);
  });

  it('does not continue an answer the user cancelled', async () => {
    const { model, resume } = setup(
      [interrupted({ lastTurn: { turnId: 't', stopReason: 'cancelled', lastSeq: 2 } })],
      [],
    );
    expect(await resume()).toBeUndefined();
    expect(model.requests).toHaveLength(0);
  });

  it("refuses to resume someone else's session", async () => {
    const { resume } = setup([interrupted({ ownerId: 'alice' })], []);
    await expect(resume()).rejects.toBeInstanceOf(ForbiddenError);
  });
});
