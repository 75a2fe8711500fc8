import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../../../../src/adapters/memory/memory-session-store.ts';
import { ToolInsteadOfTextError } from '../../../../src/chat/complete-text.ts';
import type { SessionDirectory } from '../../../../src/chat/conversation-ports.ts';
import { runTurn } from '../../../../src/chat/run-turn.ts';
import { generateTitle, TITLE_INSTRUCTION } from '../../../../src/chat/title/generate-title.ts';
import {
  answer,
  createFakeModel,
  createRecordingReply,
  createTestTurnDependencies,
  type ScriptedCall,
  storedSession,
  testTurnSettings,
  toolCall,
} from '../../../support/fakes.ts';

/** setTitle as the DynamoDB directory does it: only the owner's session, and `onlyIfUntitled` keeps a title. */
function createTitleBook(titled: Record<string, string> = {}) {
  const titles = new Map(Object.entries(titled));
  const directory: Pick<SessionDirectory, 'setTitle'> & { titles: Map<string, string> } = {
    titles,
    async setTitle(sessionId, _ownerId, title, options = {}) {
      if (options.onlyIfUntitled && titles.has(sessionId)) return false;
      titles.set(sessionId, title);
      return true;
    },
  };
  return directory;
}

const settings = { titles: { maxTokens: 30 }, prices: { inputUsdPerMillion: 1, outputUsdPerMillion: 5 } };
const firstTurn = storedSession({
  messages: [
    { role: 'user', content: [{ text: 'How do I reset my password?' }], turnId: 't1' },
    { role: 'assistant', content: [{ text: 'Open Settings, then Security. '.repeat(100) }] },
  ],
});
const signal = () => new AbortController().signal;

describe('generateTitle', () => {
  it('asks for a title after the first exchange, with no tools and a small budget, and stores it', async () => {
    const model = createFakeModel([
      answer('"Resetting your password."', { inputTokens: 40, outputTokens: 4 }),
    ]);
    const titles = createTitleBook();

    const named = await generateTitle({ model, titles, settings }, firstTurn, signal());

    expect(named).toEqual({
      title: 'Resetting your password',
      usage: { inputTokens: 40, outputTokens: 4 },
      // 40 input tokens at $1/M and 4 output tokens at $5/M.
      costMicroUsd: 60,
    });
    expect(titles.titles.get(firstTurn.sessionId)).toBe('Resetting your password');
    const [request] = model.requests;
    expect(request?.tools).toEqual([]);
    expect(request?.maxTokens).toBe(30);
    expect(request?.messages.at(-1)?.content).toEqual([{ text: TITLE_INSTRUCTION }]);
    // The question, and only the start of a long answer.
    expect(request?.messages[0]?.content).toEqual([{ text: 'How do I reset my password?' }]);
    const answerText = request?.messages[1]?.content[0];
    expect(answerText && 'text' in answerText ? answerText.text.length : 0).toBe(1_500);
  });

  it('makes no call for a session that has a title, or when titles are off', async () => {
    const model = createFakeModel([]);
    const titles = createTitleBook();

    expect(
      await generateTitle({ model, titles, settings }, { ...firstTurn, title: 'Mine' }, signal()),
    ).toBeUndefined();
    expect(
      await generateTitle({ model, titles, settings: { prices: settings.prices } }, firstTurn, signal()),
    ).toBeUndefined();
    expect(model.requests).toHaveLength(0);
  });

  it('keeps a name the user gave meanwhile, and still reports what the call used', async () => {
    const titles = createTitleBook({ [firstTurn.sessionId]: 'My own name' });
    const model = createFakeModel([answer('Password reset')]);

    const named = await generateTitle({ model, titles, settings }, firstTurn, signal());

    expect(named).toEqual({ usage: { inputTokens: 10, outputTokens: 5 }, costMicroUsd: 35 });
    expect(titles.titles.get(firstTurn.sessionId)).toBe('My own name');
  });

  it('stores nothing when the model answers with a tool call or with nothing', async () => {
    const titles = createTitleBook();
    await expect(
      generateTitle(
        { model: createFakeModel([toolCall({ name: 'x', input: {} })]), titles, settings },
        firstTurn,
        signal(),
      ),
    ).rejects.toBeInstanceOf(ToolInsteadOfTextError);
    const named = await generateTitle(
      { model: createFakeModel([answer('  ')]), titles, settings },
      firstTurn,
      signal(),
    );
    expect(named?.title).toBeUndefined();
    expect(titles.titles.size).toBe(0);
  });
});

describe('a turn names its session after done', () => {
  function setup(calls: ScriptedCall[], titles = createTitleBook()) {
    const reply = createRecordingReply();
    const deps = createTestTurnDependencies(calls, {
      sessions: createMemorySessionStore(),
      titles,
      settings: testTurnSettings({ titles: { maxTokens: 30 } }),
    });
    const request = (message: string, turnId: string) => ({
      connectionId: 'conn-1',
      sessionId: 'session-1',
      userId: 'ana',
      message,
      turnId,
      reply,
    });
    return { deps, reply, titles, request };
  }

  it('sends sessionUpdated after done, counts the call in the owner’s usage, and names it once', async () => {
    const { deps, reply, titles, request } = setup([
      answer('Here is how.', { inputTokens: 12, outputTokens: 3 }),
      answer('Password reset', { inputTokens: 20, outputTokens: 2 }),
      answer('Anything else?', { inputTokens: 30, outputTokens: 3 }),
    ]);

    const summary = await runTurn(deps, request('How do I reset my password?', 'turn-1'));

    // 20 input tokens at $1/M and 2 output tokens at $5/M: the stats count it with the turn.
    expect(summary.afterDone).toEqual({ usage: { inputTokens: 20, outputTokens: 2 }, costMicroUsd: 30 });
    const types = reply.frames.map((frame) => frame.type);
    expect(types.slice(-2)).toEqual(['done', 'sessionUpdated']);
    expect(reply.frames.at(-1)).toEqual({
      type: 'sessionUpdated',
      sessionId: 'session-1',
      title: 'Password reset',
    });
    expect(titles.titles.get('session-1')).toBe('Password reset');
    // The answer's and the title's tokens; the title call is no turn.
    expect(await deps.usage.totals('ana')).toMatchObject({ turns: 1, inputTokens: 32, outputTokens: 5 });

    // The stored session has its title now (the directory wrote it); the next turn makes no title call.
    const saved = await deps.sessions.load('session-1');
    if (!saved) throw new Error('not saved');
    await deps.sessions.save(
      { ...saved, version: saved.version + 1, title: 'Password reset' },
      saved.version,
    );
    await runTurn(deps, request('Thanks', 'turn-2'));
    expect(deps.model.requests).toHaveLength(3);
    expect(reply.frames.filter((frame) => frame.type === 'sessionUpdated')).toHaveLength(1);
  });

  it('keeps the answer when the title call fails, and tries again after the next answer', async () => {
    const { deps, reply, titles, request } = setup([
      answer('Here is how.'),
      [{ throw: new Error('model down') }],
      answer('Anything else?'),
      answer('Password help'),
    ]);

    const first = await runTurn(deps, request('How do I reset my password?', 'turn-1'));
    expect(first.outcome).toBe('completed');
    expect(reply.frames.at(-1)?.type).toBe('done');
    expect(titles.titles.size).toBe(0);

    await runTurn(deps, request('Thanks', 'turn-2'));
    expect(titles.titles.get('session-1')).toBe('Password help');
  });
});
