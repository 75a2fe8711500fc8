import { describe, expect, it, vi } from 'vitest';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import {
  ForbiddenError,
  ModelThrottledError,
  SessionExpiredError,
  StorageUnavailableError,
  VersionConflictError,
} from '../../../src/chat/errors.ts';
import type { SessionStore, StoredSession } from '../../../src/chat/ports.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import {
  answer,
  createRecordingReply,
  createTestTurnDependencies,
  type ScriptedCall,
  storedSession,
  streamedText,
} from '../../support/fakes.ts';

function setup(
  calls: ScriptedCall[],
  options: { sessions?: SessionStore; reply?: ReturnType<typeof createRecordingReply> } = {},
) {
  const sessions = options.sessions ?? createMemorySessionStore();
  const reply = options.reply ?? createRecordingReply();
  const deps = createTestTurnDependencies(calls, { sessions });
  deps.rateLimiter = createMemoryRateLimiter(3, deps.clock);
  const request = (overrides: Partial<Parameters<typeof runTurn>[1]> = {}) => ({
    connectionId: 'conn-1',
    sessionId: 'session-1',
    message: 'Hi',
    turnId: 'turn-1',
    reply,
    ...overrides,
  });
  const { clock, model, turns, usage } = deps;
  return { deps, sessions, reply, clock, model, turns, usage, request };
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
        { role: 'user', content: [{ text: 'Hi' }], turnId: 'turn-1' },
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
      ...sessions,
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
      ...sessions,
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

  it('reports a model failure as an error frame, records nothing, and frees the turn for a retry', async () => {
    const { deps, sessions, reply, turns, request } = setup([[{ throw: new ModelThrottledError() }]]);

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
    // The session was claimed before the first frame, and holds no turn.
    expect(await sessions.load('session-1')).toMatchObject({ version: 0, turns: 0, messages: [] });
    expect((await turns.find('session-1', 'turn-1'))?.leaseUntil).toBe(0);
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
      create: async () => true,
      save: async () => undefined,
      loadBranch: async () => undefined,
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
    const { deps, reply, turns, clock, request } = setup([
      [{ type: 'text', text: 'Long' }, { waitMs: 5_000 }],
    ]);
    setTimeout(() => {
      void turns.requestStop('session-1', 'turn-1', undefined, {
        reason: 'cancelled',
        requestedAt: clock.now(),
      });
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
});

describe('runTurn: a turn belongs to its user from its first frame', () => {
  it('claims a new session for its user before the first frame goes out', async () => {
    const sessions = createMemorySessionStore();
    const seenAtFirstFrame: Array<StoredSession | undefined> = [];
    const reply = createRecordingReply();
    const send = reply.send;
    reply.send = async (frame) => {
      if (reply.frames.length === 0) seenAtFirstFrame.push(await sessions.load('session-1'));
      return send(frame);
    };
    const { deps, turns, request } = setup([answer('Hello')], { sessions, reply });

    await runTurn(deps, request({ userId: 'alice' }));

    expect(seenAtFirstFrame).toEqual([expect.objectContaining({ ownerId: 'alice', version: 0 })]);
    expect(await turns.find('session-1', 'turn-1')).toMatchObject({ ownerId: 'alice' });
  });

  it("refuses a stranger's turn in a claimed session, and leaves no claim of theirs behind", async () => {
    const { deps, sessions, turns, model, request } = setup([answer('never')]);
    await sessions.create({ ...storedSession({ ownerId: 'alice', version: 0, turns: 0, messages: [] }) });

    await expect(runTurn(deps, request({ userId: 'mallory', turnId: 'turn-m' }))).rejects.toBeInstanceOf(
      ForbiddenError,
    );

    expect(model.requests).toHaveLength(0);
    expect(await turns.find('session-1', 'turn-m')).toBeUndefined();
    expect((await sessions.load('session-1'))?.ownerId).toBe('alice');
  });

  it('leaves no claim behind when the rate limit refuses the turn', async () => {
    const { deps, turns, request } = setup([answer('1'), answer('2'), answer('3')]);
    for (const turnId of ['a', 'b', 'c']) await runTurn(deps, request({ userId: 'alice', turnId }));

    await expect(runTurn(deps, request({ userId: 'alice', turnId: 'd' }))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(await turns.find('session-1', 'd')).toBeUndefined();
  });

  it("refuses a turn id another user claimed, even in the caller's own session", async () => {
    const { deps, turns, model, request } = setup([answer('never')]);
    await turns.claim({
      sessionId: 'session-1',
      turnId: 'turn-1',
      ownerId: 'alice',
      runId: 'run-a',
      leaseUntil: 0,
      createdAt: 0,
      expiresAt: 0,
    });

    await expect(runTurn(deps, request({ userId: 'mallory' }))).rejects.toBeInstanceOf(ForbiddenError);
    expect(model.requests).toHaveLength(0);
  });
});

describe('runTurn: a turn id is answered once', () => {
  it('replays a stored turn to a retry, with no model call and nothing stored twice', async () => {
    const { deps, sessions, model, request } = setup([answer('The one answer')]);
    const first = createRecordingReply();
    await runTurn(deps, request({ reply: first }));

    const retry = createRecordingReply();
    const summary = await runTurn(deps, request({ reply: retry }));

    expect(summary).toMatchObject({ outcome: 'replayed', modelCalls: 0 });
    expect(model.requests).toHaveLength(1);
    expect(streamedText(retry.frames)).toBe(streamedText(first.frames));
    expect(retry.frames.at(-1)).toMatchObject({
      type: 'done',
      turnId: 'turn-1',
      stopReason: 'end_turn',
      replayed: true,
      modelCalls: 0,
    });
    expect(await sessions.load('session-1')).toMatchObject({ version: 1, turns: 1 });
  });

  it('makes a retry of a running turn wait for it, then replays it: one model call', async () => {
    const { deps, sessions, model, request } = setup([
      [{ type: 'text', text: 'Slow answer' }, { waitMs: 80 }],
    ]);
    const [firstReply, retryReply] = [createRecordingReply(), createRecordingReply()];

    const first = runTurn(deps, request({ reply: firstReply }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const retry = await runTurn(deps, request({ reply: retryReply }));
    await first;

    expect(model.requests).toHaveLength(1);
    expect(retry.outcome).toBe('replayed');
    expect(streamedText(retryReply.frames)).toBe('Slow answer');
    expect(await sessions.load('session-1')).toMatchObject({ version: 1, turns: 1 });
  });

  it('runs a turn again for a retry after its run failed', async () => {
    const { deps, sessions, model, request } = setup([
      [{ throw: new ModelThrottledError() }],
      answer('Second time lucky'),
    ]);
    await runTurn(deps, request());

    const retry = createRecordingReply();
    const summary = await runTurn(deps, request({ reply: retry }));

    expect(summary).toMatchObject({ outcome: 'completed', modelCalls: 1 });
    expect(model.requests).toHaveLength(2);
    expect(streamedText(retry.frames)).toBe('Second time lucky');
    expect(await sessions.load('session-1')).toMatchObject({ version: 1, turns: 1 });
  });

  it('ends with a typed error before the deadline when the save does not answer, and keeps the turn held', async () => {
    const sessions = createMemorySessionStore();
    const hanging: SessionStore = {
      ...sessions,
      save: (_session, _expected, options) =>
        new Promise((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => reject(new StorageUnavailableError())),
        ),
    };
    const { deps, reply, turns, request } = setup([answer('Saved?')], { sessions: hanging });
    // A real deadline, generous enough for a busy machine: without the guard the save would wait forever.
    const deadline = performance.now() + 2_000;

    const summary = await runTurn(deps, request({ remainingTimeMs: () => deadline - performance.now() }));

    expect(performance.now()).toBeLessThan(deadline);
    expect(summary).toMatchObject({ outcome: 'failed', errorCode: 'STORAGE_UNAVAILABLE' });
    expect(reply.frames.at(-1)).toMatchObject({
      type: 'error',
      code: 'STORAGE_UNAVAILABLE',
      retryable: true,
      message: expect.stringMatching(/did not confirm/),
    });
    // The save may still land: a retry meanwhile waits for it instead of asking the model again.
    expect((await turns.find('session-1', 'turn-1'))?.leaseUntil).toBeGreaterThan(0);
  });

  it('does not record a turn twice when an earlier save of it landed after all', async () => {
    const sessions = createMemorySessionStore();
    let landed = false;
    // The first save "times out" but lands; the run's retry of the save then conflicts and finds it.
    const lateLanding: SessionStore = {
      ...sessions,
      async save(session, expected, options) {
        if (!landed) {
          landed = true;
          await sessions.save(session, expected, options);
          throw new VersionConflictError(session.sessionId, expected);
        }
        return sessions.save(session, expected, options);
      },
    };
    const { deps, request } = setup([answer('Once')], { sessions: lateLanding });

    const summary = await runTurn(deps, request());

    expect(summary.outcome).toBe('completed');
    const saved = await sessions.load('session-1');
    expect(saved).toMatchObject({ version: 1, turns: 1 });
    expect(saved?.messages).toHaveLength(2);
  });
});

describe('runTurn: Stop keeps what the client showed', () => {
  it('stores exactly the text of the frames the client showed, and says so in done', async () => {
    const { deps, sessions, reply, turns, clock, request } = setup([
      [
        { type: 'text', text: 'Shown ' },
        { waitMs: 15 },
        { type: 'text', text: 'not shown' },
        { waitMs: 500 },
      ],
    ]);
    void (async () => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      // The client had applied seq 0 ("Shown ") when Stop was pressed.
      await turns.requestStop('session-1', 'turn-1', undefined, {
        reason: 'cancelled',
        requestedAt: clock.now(),
        seenSeq: 0,
      });
    })();

    const summary = await runTurn(deps, request());

    expect(summary).toMatchObject({ stopReason: 'cancelled' });
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', stopReason: 'cancelled', keptThroughSeq: 0 });
    expect((await sessions.load('session-1'))?.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ text: 'Shown ' }],
    });
  });

  it('ignores a stop request made for an earlier run of the turn', async () => {
    const { deps, reply, turns, request } = setup([answer('Runs to the end')]);
    await turns.claim({
      sessionId: 'session-1',
      turnId: 'turn-1',
      runId: 'old-run',
      leaseUntil: 0,
      createdAt: 0,
      expiresAt: 0,
    });
    await turns.requestStop('session-1', 'turn-1', undefined, { reason: 'cancelled', requestedAt: 0 });

    const summary = await runTurn(deps, request());

    expect(summary.stopReason).toBe('end_turn');
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', stopReason: 'end_turn' });
  });
});

describe('runTurn: a turn fits where it is stored', () => {
  it('ends an answer that reaches the turn size limit with size_limit, saying so, and stores it whole', async () => {
    const { deps, sessions, reply, request } = setup([answer('word '.repeat(4_000))]);
    deps.settings.maxTurnBytes = 4_096;

    const summary = await runTurn(deps, request());

    expect(summary.stopReason).toBe('size_limit');
    expect(streamedText(reply.frames)).toMatch(/reached the longest length a conversation can store\.$/);
    const saved = await sessions.load('session-1');
    expect(JSON.stringify(saved?.messages).length).toBeLessThanOrEqual(4_096);
    expect(saved?.lastTurn?.stopReason).toBe('size_limit');
  });
});
