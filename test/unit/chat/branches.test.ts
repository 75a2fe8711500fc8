import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import {
  AnswerStreamingError,
  BranchNotFoundError,
  ForbiddenError,
  TurnNotFoundError,
  TurnNotInWindowError,
} from '../../../src/chat/errors.ts';
import { textOf } from '../../../src/chat/messages.ts';
import { historyFrameOf } from '../../../src/chat/read-history.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { switchBranch } from '../../../src/chat/switch-branch.ts';
import {
  answer,
  createRecordingReply,
  createTestTurnDependencies,
  type ScriptedCall,
} from '../../support/fakes.ts';

function setup(calls: ScriptedCall[]) {
  const sessions = createMemorySessionStore();
  const deps = createTestTurnDependencies(calls, { sessions });
  deps.rateLimiter = createMemoryRateLimiter(100, deps.clock);
  const reply = createRecordingReply();
  const base = { connectionId: 'c', sessionId: 'session-1', userId: 'alice', reply };
  const ask = (turnId: string, message: string) => runTurn(deps, { ...base, turnId, message });
  const regenerate = (turnId: string) =>
    runTurn(deps, { ...base, turnId, message: '', version: { sameQuestion: true } });
  const edit = (of: string, turnId: string, message: string) =>
    runTurn(deps, { ...base, turnId, message, version: { of, sameQuestion: false } });
  const switchTo = (turnId: string, index: number, userId = 'alice') =>
    switchBranch(deps, { sessionId: 'session-1', turnId, index, userId });
  const window = async () =>
    ((await sessions.load('session-1'))?.messages ?? []).map((m) => `${m.role}:${textOf(m)}`);
  return { deps, sessions, reply, ask, regenerate, edit, switchTo, window };
}

describe('branches (regenerate, editMessage, switchBranch)', () => {
  it('regenerates the last answer as the active branch; the model sees only the history before it', async () => {
    const { deps, sessions, ask, regenerate, window } = setup([answer('A1'), answer('B1'), answer('B2')]);
    await ask('turn-a', 'first');
    await ask('turn-b', 'second');

    const summary = await regenerate('turn-b2');

    expect(summary.outcome).toBe('completed');
    expect(await window()).toEqual(['user:first', 'assistant:A1', 'user:second', 'assistant:B2']);
    const request = deps.model.requests.at(-1);
    expect(request?.messages.map(textOf)).toEqual(['first', 'A1', 'second']);
    expect(request?.metadata).toEqual({ answerVersion: '2' });
    // A plain turn sends no labels, so what recorded fixtures match on is unchanged.
    expect(deps.model.requests[1]?.metadata).toBeUndefined();
    const session = await sessions.load('session-1');
    expect(session?.versions).toEqual([['turn-b', 'turn-b2']]);
    expect(session?.turns).toBe(3);
    expect(sessions.branches.get('session-1/turn-b')?.messages.map(textOf)).toEqual(['second', 'B1']);
    const history = historyFrameOf(session as NonNullable<typeof session>);
    expect(history.messages[2]).toMatchObject({ turnId: 'turn-b2', siblings: { index: 1, count: 2 } });
    expect(history.messages[0]?.siblings).toBeUndefined();
  });

  it('edits an earlier question: the rest of the conversation stays on the branch left, reachable again', async () => {
    const { deps, ask, edit, switchTo, window } = setup([
      answer('A1'),
      answer('B1'),
      answer('C1'),
      answer('B2'),
    ]);
    await ask('turn-a', 'first');
    await ask('turn-b', 'second');
    await ask('turn-c', 'third');

    await edit('turn-b', 'turn-b2', 'second, edited');
    // An edited question is another request already: no label.
    expect(deps.model.requests.at(-1)?.metadata).toBeUndefined();
    expect(await window()).toEqual(['user:first', 'assistant:A1', 'user:second, edited', 'assistant:B2']);

    const back = await switchTo('turn-b2', 0);
    expect(back.messages.map((entry) => entry.text)).toEqual(['first', 'A1', 'second', 'B1', 'third', 'C1']);
    expect(back.messages[2]?.siblings).toEqual({ index: 0, count: 2 });
    expect(await window()).toEqual([
      'user:first',
      'assistant:A1',
      'user:second',
      'assistant:B1',
      'user:third',
      'assistant:C1',
    ]);

    const forth = await switchTo('turn-b', 1);
    expect(forth.messages.map((entry) => entry.text)).toEqual(['first', 'A1', 'second, edited', 'B2']);
  });

  it('keeps nested branches: a version inside a branch that was left is there when the branch comes back', async () => {
    const { ask, edit, regenerate, switchTo, window } = setup([
      answer('A1'),
      answer('B1'),
      answer('B2'),
      answer('A2'),
    ]);
    await ask('turn-a', 'first');
    await ask('turn-b', 'second');
    await regenerate('turn-b2');
    await edit('turn-a', 'turn-a2', 'first, edited');
    expect(await window()).toEqual(['user:first, edited', 'assistant:A2']);

    await switchTo('turn-a2', 0);
    expect(await window()).toEqual(['user:first', 'assistant:A1', 'user:second', 'assistant:B2']);
    await switchTo('turn-b2', 0);
    expect(await window()).toEqual(['user:first', 'assistant:A1', 'user:second', 'assistant:B1']);
  });

  it('counts every version in the usage and the turns, and the third version is answer version 3', async () => {
    const { deps, ask, regenerate } = setup([answer('1'), answer('2'), answer('3')]);
    await ask('turn-a', 'q');
    await regenerate('turn-a2');
    await regenerate('turn-a3');
    expect(deps.model.requests.at(-1)?.metadata).toEqual({ answerVersion: '3' });
    expect((await deps.usage.totals('alice')).turns).toBe(3);
  });

  it('refuses a branch while another answer of the session is still streaming, and leaves no claim', async () => {
    const { deps, sessions, ask, regenerate } = setup([answer('A1'), answer('never')]);
    await ask('turn-a', 'first');
    // Another tab's turn holds a live lease and is not recorded yet.
    await deps.turns.claim({
      sessionId: 'session-1',
      turnId: 'turn-x',
      runId: 'run-x',
      leaseUntil: deps.clock.now() + 60_000,
      createdAt: deps.clock.now() - 1_000,
      expiresAt: 0,
    });

    await expect(regenerate('turn-a2')).rejects.toBeInstanceOf(AnswerStreamingError);
    expect(await deps.turns.find('session-1', 'turn-a2')).toBeUndefined();
    expect((await sessions.load('session-1'))?.versions).toBeUndefined();
    await expect(
      switchBranch(deps, { sessionId: 'session-1', turnId: 'turn-a', index: 0, userId: 'alice' }),
    ).resolves.toMatchObject({ type: 'history' });
  });

  it("refuses another user's session before anything is stored", async () => {
    const { deps, ask, switchTo } = setup([answer('A1')]);
    await ask('turn-a', 'first');
    await expect(
      runTurn(deps, {
        connectionId: 'c',
        sessionId: 'session-1',
        userId: 'mallory',
        turnId: 'turn-m',
        message: '',
        version: { sameQuestion: true },
        reply: createRecordingReply(),
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(switchTo('turn-a', 0, 'mallory')).rejects.toBeInstanceOf(ForbiddenError);
    expect(await deps.turns.find('session-1', 'turn-m')).toBeUndefined();
  });

  it('refuses to regenerate in a session with nothing stored, and to switch to a version that does not exist', async () => {
    const { deps, ask, regenerate, switchTo } = setup([answer('A1')]);
    await expect(regenerate('turn-r')).rejects.toBeInstanceOf(TurnNotFoundError);
    expect(await deps.sessions.load('session-1')).toBeUndefined();
    await ask('turn-a', 'first');
    await expect(switchTo('turn-a', 1)).rejects.toBeInstanceOf(BranchNotFoundError);
  });

  it('refuses to edit a turn that left the window (summarized), and says so', async () => {
    const sessions = createMemorySessionStore();
    const deps = createTestTurnDependencies([answer('1'), answer('2'), answer('3')], { sessions });
    deps.settings = { ...deps.settings, windowMessages: 4 };
    const reply = createRecordingReply();
    const base = { connectionId: 'c', sessionId: 'session-1', reply };
    for (const id of ['turn-1', 'turn-2', 'turn-3'])
      await runTurn(deps, { ...base, turnId: id, message: id });
    expect((await sessions.load('session-1'))?.messages.map((m) => m.turnId).filter(Boolean)).toEqual([
      'turn-2',
      'turn-3',
    ]);

    await expect(
      runTurn(deps, {
        ...base,
        turnId: 'turn-e',
        message: 'x',
        version: { of: 'turn-1', sameQuestion: false },
      }),
    ).rejects.toBeInstanceOf(TurnNotInWindowError);
    await expect(
      runTurn(deps, {
        ...base,
        turnId: 'turn-f',
        message: 'x',
        version: { of: 'nope', sameQuestion: false },
      }),
    ).rejects.toBeInstanceOf(TurnNotFoundError);
  });

  it('two regenerations at once: each becomes a version or is refused as in progress; none lost nor doubled', async () => {
    const { sessions, ask, regenerate, window } = setup([answer('A1'), answer('A2'), answer('A3')]);
    await ask('turn-a', 'q');

    const outcomes = await Promise.allSettled([regenerate('turn-a2'), regenerate('turn-a3')]);

    const made = ['turn-a2', 'turn-a3'].filter((_, index) => outcomes[index]?.status === 'fulfilled');
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(AnswerStreamingError);
    }
    expect(made.length).toBeGreaterThan(0);
    const session = await sessions.load('session-1');
    expect(new Set(session?.versions?.[0])).toEqual(new Set(['turn-a', ...made]));
    expect(session?.versions?.[0]).toHaveLength(1 + made.length);
    expect(await window()).toHaveLength(2);
    expect(sessions.branches.size).toBe(made.length);
    expect(session?.turns).toBe(1 + made.length);
  });

  it('a retried regenerate with the same new turn id replays its answer instead of making a third version', async () => {
    const { deps, sessions, ask, regenerate } = setup([answer('A1'), answer('A2')]);
    await ask('turn-a', 'q');
    await regenerate('turn-a2');
    const reply = createRecordingReply();
    const summary = await runTurn(deps, {
      connectionId: 'c',
      sessionId: 'session-1',
      userId: 'alice',
      turnId: 'turn-a2',
      message: '',
      version: { sameQuestion: true },
      reply,
    });
    expect(summary.outcome).toBe('replayed');
    expect((await sessions.load('session-1'))?.versions).toEqual([['turn-a', 'turn-a2']]);
  });
});
