import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { ForbiddenError } from '../../../src/chat/errors.ts';
import type { StoredSession, StoredTurn } from '../../../src/chat/ports.ts';
import { CONTINUE_INSTRUCTION, resumeTurn } from '../../../src/chat/resume-turn.ts';
import {
  answer,
  createRecordingReply,
  createTestTurnDependencies,
  type ScriptedCall,
  storedSession,
  streamedText,
  testTurnSettings,
} from '../../support/fakes.ts';

const interrupted = (overrides: Partial<StoredSession> = {}): StoredSession =>
  storedSession({
    sessionId: 's',
    messages: [
      { role: 'user', content: [{ text: 'Tell me a story' }], turnId: 't' },
      { role: 'assistant', content: [{ text: 'Once upon' }] },
    ],
    usage: { inputTokens: 10, outputTokens: 2 },
    lastTurn: { turnId: 't', stopReason: 'client_gone', lastSeq: 4, runId: 'run-1' },
    ...overrides,
  });

/** The turn's item as the run that was cut off left it: its lease runs until that run's deadline. */
const claimedTurn = (overrides: Partial<StoredTurn> = {}): StoredTurn => ({
  sessionId: 's',
  turnId: 't',
  runId: 'run-1',
  leaseUntil: Date.UTC(2026, 10, 24, 12, 0, 20),
  createdAt: Date.UTC(2026, 10, 24, 12, 0, 0),
  expiresAt: Date.UTC(2026, 10, 25, 12, 0, 0) / 1000,
  ...overrides,
});

function setup(
  sessions: StoredSession[],
  calls: ScriptedCall[],
  turn: StoredTurn | undefined = claimedTurn(),
) {
  const store = createMemorySessionStore(sessions);
  const reply = createRecordingReply();
  const deps = createTestTurnDependencies(calls, {
    sessions: store,
    settings: testTurnSettings({ maxToolRounds: 2, saveAttempts: 3, stopPollMs: 1_000 }),
  });
  if (turn) void deps.turns.claim(turn);
  const { model, turns } = deps;
  const resume = (target = reply) =>
    resumeTurn(
      deps,
      { sessionId: 's', turnId: 't', connectionId: 'conn-1', reply: target },
      { waitMs: 100, pollMs: 10 },
    );
  return { store, reply, model, turns, resume, deps };
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
    expect(saved?.lastTurn?.runId).not.toBe('run-1');
    expect(saved?.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ text: 'Once upon' }, { text: ' a time, the end.' }],
    });
  });

  it('asks a still-running old run to stop and waits for it to record itself', async () => {
    const notYet = interrupted({ lastTurn: { turnId: 'older', stopReason: 'end_turn', lastSeq: 3 } });
    const { store, turns, resume } = setup([notYet], [answer(' more')]);
    // The old invocation notices the stop request and records its partial answer a little later.
    setTimeout(async () => {
      expect(await turns.findStop('s', 't')).toMatchObject({ reason: 'client_gone', runId: 'run-1' });
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

  it('says a session that is not stored (a reset database) is not', async () => {
    const { reply, model, resume } = setup([], []);

    expect(await resume()).toBeUndefined();
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

describe('resumeTurn: one resume per turn at a time', () => {
  it('lets one of two resumes continue the answer; the other replays it, and both assemble the stored text', async () => {
    const { store, model, resume } = setup(
      [interrupted()],
      [[{ type: 'text', text: ' a time,' }, { waitMs: 40 }, ...answer(' the end.')]],
    );
    const [first, second] = [createRecordingReply(), createRecordingReply()];

    const summaries = await Promise.all([resume(first), resume(second)]);

    expect(model.requests).toHaveLength(1);
    expect(summaries.map((summary) => summary?.outcome).sort()).toEqual(['completed', 'replayed']);
    const stored = await store.load('s');
    const storedText = stored?.messages
      .at(-1)
      ?.content.map((block) => ('text' in block ? block.text : ''))
      .join('');
    for (const reply of [first, second]) {
      const history = reply.frames[0];
      expect(history?.type).toBe('history');
      const shown = history?.type === 'history' ? (history.messages.at(-1)?.text ?? '') : '';
      expect(shown + streamedText(reply.frames)).toBe(storedText);
      expect(reply.frames.at(-1)).toMatchObject({ type: 'done', seq: expect.any(Number) });
    }
    expect(stored).toMatchObject({ version: 2, lastTurn: { stopReason: 'end_turn' } });
  });

  it('counts a resume that calls the model against the rate limit, and frees the turn when refused', async () => {
    const { deps, model, turns, resume } = setup([interrupted()], [answer(' more')]);
    deps.rateLimiter = createMemoryRateLimiter(1, deps.clock);
    await deps.rateLimiter.acquire('connection:conn-1');

    await expect(resume()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(model.requests).toHaveLength(0);
    expect((await turns.find('s', 't'))?.leaseUntil).toBe(0);
  });

  it('continues the answer itself after a run that was cut off in its turn too (the user reconnected again)', async () => {
    // A first resume (run-2) holds the turn, but its client has gone as well; it records what it added.
    const { store, model, resume } = setup(
      [interrupted()],
      [answer(' the end.')],
      claimedTurn({ runId: 'run-2' }),
    );
    const recordedByRun2 = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const current = (await store.load('s')) as StoredSession;
      await store.save(
        {
          ...current,
          version: current.version + 1,
          messages: [current.messages[0], { role: 'assistant', content: [{ text: 'Once upon a time,' }] }],
          lastTurn: { turnId: 't', stopReason: 'client_gone', lastSeq: 7, runId: 'run-2' },
        } as StoredSession,
        current.version,
      );
    };
    const reply = createRecordingReply();

    const [summary] = await Promise.all([resume(reply), recordedByRun2()]);

    expect(summary).toMatchObject({ outcome: 'completed' });
    expect(model.requests).toHaveLength(1);
    const history = reply.frames[0];
    const shown = history?.type === 'history' ? (history.messages.at(-1)?.text ?? '') : '';
    expect(shown).toBe('Once upon');
    expect(shown + streamedText(reply.frames)).toBe('Once upon a time, the end.');
    const seqs = reply.frames.slice(1).map((f) => ('seq' in f ? f.seq : -1));
    expect(seqs).toEqual(seqs.map((_, i) => 5 + i));
    expect(await store.load('s')).toMatchObject({ lastTurn: { turnId: 't', stopReason: 'end_turn' } });
    const storedText = (await store.load('s'))?.messages
      .at(-1)
      ?.content.map((block) => ('text' in block ? block.text : ''))
      .join('');
    expect(storedText).toBe('Once upon a time, the end.');
  });

  it("refuses to resume another user's turn", async () => {
    const { resume } = setup([interrupted()], [], claimedTurn({ ownerId: 'alice' }));
    await expect(resume()).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('claims the turn itself when the session predates turn items', async () => {
    const legacy = interrupted({ lastTurn: { turnId: 't', stopReason: 'client_gone', lastSeq: 4 } });
    const { turns, resume } = setup([legacy], [answer(' more')], undefined);

    expect(await resume()).toMatchObject({ outcome: 'completed' });
    expect(await turns.find('s', 't')).toBeDefined();
  });
});
