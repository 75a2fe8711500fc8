import { describe, expect, it, vi } from 'vitest';
import { createInMemoryMemoryStore } from '../../../src/adapters/memory/memory-memory-store.ts';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { createMemoryStopRequests } from '../../../src/adapters/memory/memory-stop-requests.ts';
import { createMemoryUsageLedger } from '../../../src/adapters/memory/memory-usage-ledger.ts';
import {
  ForbiddenError,
  ModelThrottledError,
  SessionExpiredError,
  StorageUnavailableError,
  VersionConflictError,
} from '../../../src/chat/errors.ts';
import type { SessionStore, StoredSession } from '../../../src/chat/ports.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { createToolRegistry } from '../../../src/chat/tools/registry.ts';
import type { TurnDependencies, TurnSettings } from '../../../src/chat/turn.ts';
import {
  answer,
  createFakeClock,
  createFakeModel,
  createRecordingReply,
  type ScriptedCall,
  storedSession,
  streamedText,
} from '../../support/fakes.ts';

const settings: TurnSettings = {
  windowMessages: 20,
  memory: { maxMemories: 5, maxChars: 200 },
  sessionTtlSeconds: 24 * 3600,
  prices: { inputUsdPerMillion: 1, outputUsdPerMillion: 5 },
  maxToolRounds: 4,
  modelIdleTimeoutMs: 1_000,
  deadlineMarginMs: 100,
  saveAttempts: 5,
  stopPollMs: 20,
  flush: { minDelayMs: 1, maxDelayMs: 1, maxFrameBytes: 10_000 },
};

function setup(
  calls: ScriptedCall[],
  options: { sessions?: SessionStore; reply?: ReturnType<typeof createRecordingReply> } = {},
) {
  const sessions = options.sessions ?? createMemorySessionStore();
  const reply = options.reply ?? createRecordingReply();
  const clock = createFakeClock();
  const stopRequests = createMemoryStopRequests();
  const model = createFakeModel(calls);
  const usage = createMemoryUsageLedger();
  const deps: TurnDependencies = {
    sessions,
    stopRequests,
    rateLimiter: createMemoryRateLimiter(3, clock),
    usage,
    memories: createInMemoryMemoryStore(),
    model,
    tools: createToolRegistry([]),
    clock,
    settings,
  };
  const request = (overrides: Partial<Parameters<typeof runTurn>[1]> = {}) => ({
    connectionId: 'conn-1',
    sessionId: 'session-1',
    message: 'Hi',
    turnId: 'turn-1',
    reply,
    ...overrides,
  });
  return { deps, sessions, reply, clock, model, stopRequests, usage, request };
}

/** An answer whose second part arrives after the first push, then nothing for long enough to notice a stop. */
const TWO_PARTS_THEN_SILENCE: ScriptedCall = [
  { type: 'text', text: 'Part one ' },
  { waitMs: 20 },
  { type: 'text', text: 'and two' },
  { waitMs: 500 },
];

describe('runTurn', () => {
  it('streams the answer, records the turn with usage and a 24 h expiry, then sends done', async () => {
    const { deps, sessions, reply, clock, request } = setup([
      answer('Hello back', { inputTokens: 12, outputTokens: 3 }),
    ]);

    const summary = await runTurn(deps, request());

    expect(summary).toMatchObject({
      outcome: 'completed',
      stopReason: 'end_turn',
      modelCalls: 1,
      savedVersion: 1,
    });
    const saved = await sessions.load('session-1');
    expect(saved).toMatchObject({
      version: 1,
      turns: 1,
      usage: { inputTokens: 12, outputTokens: 3 },
      // 12 input tokens at $1/M and 3 output tokens at $5/M.
      costMicroUsd: 27,
      expiresAt: clock.now() / 1000 + 24 * 3600,
      lastTurn: { turnId: 'turn-1', stopReason: 'end_turn' },
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello back' }] },
      ],
    });
    expect(streamedText(reply.frames)).toBe('Hello back');
    expect(reply.frames.at(-1)).toMatchObject({
      type: 'done',
      usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 },
      modelCalls: 1,
      toolCalls: 0,
    });
  });

  it("adds each turn's tokens and estimated cost to the user's totals", async () => {
    const { deps, usage, request } = setup([
      answer('one', { inputTokens: 100, outputTokens: 10 }),
      answer('two', { inputTokens: 200, outputTokens: 20 }),
    ]);

    await runTurn(deps, request({ userId: 'alice', turnId: 'a' }));
    await runTurn(deps, request({ userId: 'alice', turnId: 'b' }));

    expect(await usage.totals('alice')).toEqual({
      turns: 2,
      inputTokens: 300,
      outputTokens: 30,
      costMicroUsd: 450,
    });
  });

  it('still completes the turn when usage cannot be recorded, and reports it', async () => {
    const { deps, reply, request } = setup([answer('fine')]);
    const usageNotRecorded = vi.fn();
    const failing = {
      ...deps,
      usage: { ...deps.usage, record: () => Promise.reject(new Error('down')) },
      observer: { usageNotRecorded },
    };

    const summary = await runTurn(failing, request());

    expect(summary.outcome).toBe('completed');
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done' });
    expect(usageNotRecorded).toHaveBeenCalledOnce();
  });

  it('sends the stored history plus the new question to the model', async () => {
    const { deps, model, request } = setup([answer('ok')], {
      sessions: createMemorySessionStore([storedSession()]),
    });

    await runTurn(deps, request({ message: 'and now?' }));

    expect(model.requests[0]?.messages.map((m) => m.content)).toEqual([
      [{ text: 'earlier' }],
      [{ text: 'reply' }],
      [{ text: 'and now?' }],
    ]);
  });

  it('sums token usage across turns', async () => {
    const { deps, sessions, request } = setup([answer('ok', { inputTokens: 1, outputTokens: 2 })], {
      sessions: createMemorySessionStore([storedSession()]),
    });
    await runTurn(deps, request());
    expect((await sessions.load('session-1'))?.usage).toEqual({ inputTokens: 101, outputTokens: 52 });
  });

  it('re-applies the turn on top of a concurrent write instead of overwriting it', async () => {
    const sessions = createMemorySessionStore([storedSession()]);
    const racing: SessionStore = {
      load: sessions.load,
      async save(session, expectedVersion) {
        // Another tab records its turn between our load and our save.
        if (expectedVersion === 1) {
          const theirs = await sessions.load('session-1');
          await sessions.save(
            {
              ...(theirs as StoredSession),
              version: 2,
              turns: 2,
              messages: [
                ...(theirs as StoredSession).messages,
                { role: 'user', content: [{ text: 'other tab' }] },
                { role: 'assistant', content: [{ text: 'other reply' }] },
              ],
            },
            1,
          );
        }
        return sessions.save(session, expectedVersion);
      },
    };
    const { deps, request } = setup([answer('mine')], { sessions: racing });

    const summary = await runTurn(deps, request({ message: 'this tab' }));

    expect(summary.savedVersion).toBe(3);
    const saved = await sessions.load('session-1');
    expect(saved?.turns).toBe(3);
    expect(
      saved?.messages.map((m) => (m.content[0] && 'text' in m.content[0] ? m.content[0].text : '')),
    ).toEqual(['earlier', 'reply', 'other tab', 'other reply', 'this tab', 'mine']);
  });

  it('gives up with SESSION_CONFLICT after the configured attempts, without saving half a turn', async () => {
    const sessions = createMemorySessionStore();
    const alwaysConflicting: SessionStore = {
      load: sessions.load,
      save: async (session, expected) => {
        throw new VersionConflictError(session.sessionId, expected);
      },
    };
    const { deps, reply, request } = setup([answer('lost')], { sessions: alwaysConflicting });

    const summary = await runTurn(deps, request());

    expect(summary).toMatchObject({ outcome: 'failed', errorCode: 'SESSION_CONFLICT' });
    expect(reply.frames.at(-1)).toMatchObject({
      type: 'error',
      code: 'SESSION_CONFLICT',
      retryable: true,
      turnId: 'turn-1',
    });
  });

  it('reports a model failure as an error frame and records nothing', async () => {
    const { deps, sessions, reply, request } = setup([[{ throw: new ModelThrottledError() }]]);

    const summary = await runTurn(deps, request());

    expect(summary).toMatchObject({ outcome: 'failed', errorCode: 'MODEL_THROTTLED' });
    expect(reply.frames).toEqual([
      expect.objectContaining({
        type: 'error',
        code: 'MODEL_THROTTLED',
        retryable: true,
        seq: 0,
        turnId: 'turn-1',
      }),
    ]);
    expect(await sessions.load('session-1')).toBeUndefined();
  });

  it('refuses an expired session before calling the model, and leaves it untouched', async () => {
    const expired = storedSession({ expiresAt: Date.UTC(2026, 10, 24, 11, 59, 59) / 1000 });
    const { deps, model, sessions, request } = setup([answer('never')], {
      sessions: createMemorySessionStore([expired]),
    });

    await expect(runTurn(deps, request())).rejects.toBeInstanceOf(SessionExpiredError);
    expect(model.requests).toHaveLength(0);
    expect(await sessions.load('session-1')).toEqual(expired);
  });

  it("refuses another user's session with FORBIDDEN", async () => {
    const { deps, model, request } = setup([answer('never')], {
      sessions: createMemorySessionStore([storedSession({ ownerId: 'alice' })]),
    });
    await expect(runTurn(deps, request({ userId: 'mallory' }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(model.requests).toHaveLength(0);
  });

  it('makes the first user of a new session its owner', async () => {
    const { deps, sessions, request } = setup([answer('hi')]);
    await runTurn(deps, request({ userId: 'alice' }));
    expect((await sessions.load('session-1'))?.ownerId).toBe('alice');
  });

  it('lets storage failures through as typed errors for the route to report', async () => {
    const failing: SessionStore = {
      load: async () => Promise.reject(new StorageUnavailableError()),
      save: async () => undefined,
    };
    const { deps, request } = setup([answer('x')], { sessions: failing });
    await expect(runTurn(deps, request())).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('saves the partial answer, marked client_gone and trimmed, when the connection goes away', async () => {
    const reply = createRecordingReply({ goneAfter: 1 });
    const { deps, sessions, request } = setup([TWO_PARTS_THEN_SILENCE], { reply });
    const pushFailed = vi.fn();

    const summary = await runTurn({ ...deps, observer: { pushFailed } }, request());

    expect(summary).toMatchObject({ outcome: 'interrupted', stopReason: 'client_gone' });
    const saved = await sessions.load('session-1');
    expect(saved?.lastTurn).toMatchObject({ turnId: 'turn-1', stopReason: 'client_gone' });
    expect(saved?.messages.at(-1)).toEqual({ role: 'assistant', content: [{ text: 'Part one and two' }] });
    // A client that left is normal, not a failed push.
    expect(pushFailed).not.toHaveBeenCalled();
  });

  it('stops like a client that left when a push fails another way, and reports that push', async () => {
    const timeout = Object.assign(new Error('no answer in 5000 ms'), { name: 'TimeoutError' });
    const reply = createRecordingReply({ failAfter: 1, failure: timeout });
    const { deps, sessions, request } = setup([TWO_PARTS_THEN_SILENCE], { reply });
    const pushFailed = vi.fn();

    const summary = await runTurn({ ...deps, observer: { pushFailed } }, request());

    expect(summary).toMatchObject({ outcome: 'interrupted', stopReason: 'client_gone' });
    expect(pushFailed).toHaveBeenCalledExactlyOnceWith(timeout);
    expect((await sessions.load('session-1'))?.lastTurn).toMatchObject({ stopReason: 'client_gone' });
  });

  it('stops before the Lambda deadline with a done frame whose stopReason is timeout', async () => {
    const { deps, reply, request } = setup([[{ type: 'text', text: 'Slow' }, { waitMs: 5_000 }]]);

    const summary = await runTurn(deps, request({ remainingTimeMs: () => 150 }));

    expect(summary.stopReason).toBe('timeout');
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', stopReason: 'timeout' });
  });

  it('refuses a turn over the per-user rate with RATE_LIMITED, before calling the model', async () => {
    const { deps, model, request } = setup([answer('1'), answer('2'), answer('3'), answer('4')]);
    for (const turnId of ['a', 'b', 'c'])
      await runTurn(deps, request({ userId: 'alice', turnId, sessionId: turnId }));

    await expect(
      runTurn(deps, request({ userId: 'alice', turnId: 'd', sessionId: 'd' })),
    ).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
    });
    expect(model.requests).toHaveLength(3);
    // Another user has their own allowance.
    await expect(
      runTurn(deps, request({ userId: 'bob', turnId: 'e', sessionId: 'e' })),
    ).resolves.toMatchObject({ outcome: 'completed' });
  });

  it('stops when a cancel request arrives, ending with done/cancelled', async () => {
    const { deps, reply, stopRequests, clock, request } = setup([
      [{ type: 'text', text: 'Long' }, { waitMs: 5_000 }],
    ]);
    setTimeout(() => {
      clock.advance(30);
      void stopRequests.request('session-1', 'turn-1', { reason: 'cancelled', requestedAt: clock.now() });
    }, 30);

    const summary = await runTurn(deps, request());

    expect(summary).toMatchObject({ outcome: 'interrupted', stopReason: 'cancelled' });
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', stopReason: 'cancelled' });
  });

  it('times the first token from the request: storage, then the model, then the push', async () => {
    const sessions = createMemorySessionStore();
    const slowSessions: SessionStore = {
      ...sessions,
      load: async (id) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return sessions.load(id);
      },
    };
    const { deps, request } = setup([[{ waitMs: 30 }, ...answer('Hello there')]], { sessions: slowSessions });

    const { timings } = await runTurn(deps, request());

    expect(timings.readyMs).toBeGreaterThanOrEqual(19);
    expect(timings.firstTextMs).toBeGreaterThanOrEqual(timings.readyMs + 29);
    expect(timings.firstTokenMs).toBeGreaterThanOrEqual(timings.firstTextMs ?? Number.NaN);
  });

  it('obeys a cancel that reached the server before the turn started (Stop pressed right after Send)', async () => {
    const { deps, reply, stopRequests, clock, request } = setup([
      [{ type: 'text', text: 'Long' }, { waitMs: 5_000 }],
    ]);
    await stopRequests.request('session-1', 'turn-1', { reason: 'cancelled', requestedAt: clock.now() });
    clock.advance(10);

    const summary = await runTurn(deps, request());

    expect(summary).toMatchObject({ outcome: 'interrupted', stopReason: 'cancelled' });
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', stopReason: 'cancelled' });
  });
});
