import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../../../../src/adapters/memory/memory-session-store.ts';
import type { Message } from '../../../../src/chat/messages.ts';
import type { StoredSession } from '../../../../src/chat/ports.ts';
import { foldSummary, SummaryFailedError, turnsToFold } from '../../../../src/chat/summary/fold-summary.ts';
import { createToolRegistry } from '../../../../src/chat/tools/registry.ts';
import {
  answer,
  createFakeModel,
  type ScriptedCall,
  storedSession,
  toolCall,
} from '../../../support/fakes.ts';

const turn = (n: number, tokens = 100): Message[] => [
  { role: 'user', content: [{ text: `question ${n}` }], tokens },
  { role: 'assistant', content: [{ text: `answer ${n}` }] },
];
const turns = (count: number) => Array.from({ length: count }, (_, i) => turn(i + 1)).flat();

const settings = {
  windowMessages: 6,
  windowTokens: 1_000,
  summary: { keepTurns: 1, maxChars: 200, timeoutMs: 1_000 },
  prices: { inputUsdPerMillion: 1, outputUsdPerMillion: 5 },
  saveAttempts: 3,
  maxWindowBytes: 300 * 1024,
  sessionTtlSeconds: 3600,
};

async function setup(calls: ScriptedCall[], session: StoredSession) {
  const sessions = createMemorySessionStore([session]);
  const model = createFakeModel(calls);
  const deps = { sessions, model, tools: createToolRegistry([]), settings };
  const fold = () => foldSummary(deps, session, { system: ['memories'] }, new AbortController().signal);
  return { sessions, model, fold };
}

describe('turnsToFold', () => {
  it('folds nothing while the window fits its messages and its tokens', () => {
    expect(turnsToFold(turns(3), settings)).toBeUndefined();
  });

  it('folds all but the newest kept turns once the window has too many messages', () => {
    expect(turnsToFold(turns(4), settings)).toBe(3);
  });

  it('folds once the turns the model counted exceed the token budget, however few the messages', () => {
    expect(turnsToFold([...turn(1, 700), ...turn(2, 400)], settings)).toBe(1);
    expect(turnsToFold([...turn(1, 500), ...turn(2, 400)], settings)).toBeUndefined();
  });

  it('never folds without summaries', () => {
    expect(turnsToFold(turns(10), { ...settings, summary: undefined })).toBeUndefined();
  });
});

describe('foldSummary', () => {
  it("folds the oldest turns into the summary, saved with the call's usage, after the conversation itself", async () => {
    const session = storedSession({ messages: turns(4), summary: { text: '- older fact', turns: 2 } });
    const { sessions, model, fold } = await setup(
      [answer('- older fact\n- question 1 fact\nchatter', { inputTokens: 40, outputTokens: 10 })],
      session,
    );

    const result = await fold();

    const saved = await sessions.load(session.sessionId);
    expect(saved).toMatchObject({
      version: session.version + 1,
      messages: turn(4),
      summary: { text: '- older fact\n- question 1 fact', turns: 5 },
      usage: { inputTokens: session.usage.inputTokens + 40, outputTokens: session.usage.outputTokens + 10 },
    });
    expect(result?.usage).toEqual({ inputTokens: 40, outputTokens: 10 });
    // The turn's own system blocks and messages first (the cached prefix), the instruction last.
    const [request] = model.requests;
    expect(request?.system).toEqual(['memories']);
    expect(request?.messages.slice(0, 8)).toEqual(
      turns(4).map(({ role, content, tokens }) => ({ role, content, ...(tokens ? { tokens } : {}) })),
    );
    expect(request?.messages.at(-1)?.content).toEqual([
      { text: expect.stringContaining('fold the first 3 exchanges') },
    ]);
  });

  it('keeps every turn when the summary call fails, answers without a summary, or asks for a tool', async () => {
    for (const call of [
      [{ throw: new Error('throttled') }],
      answer('I cannot do that.'),
      toolCall({ name: 'kb_lookup', input: { query: 'x' } }),
    ] satisfies ScriptedCall[]) {
      const session = storedSession({ messages: turns(4) });
      const { sessions, fold } = await setup([call], session);

      await expect(fold()).rejects.toThrow();

      expect(await sessions.load(session.sessionId)).toEqual(session);
    }
    const session = storedSession({ messages: turns(4) });
    const { fold } = await setup([answer('nothing useful')], session);
    await expect(fold()).rejects.toBeInstanceOf(SummaryFailedError);
  });

  it('applies the fold on top of a turn saved meanwhile, keeping that turn', async () => {
    const session = storedSession({ messages: turns(4) });
    const { sessions, fold } = await setup([answer('- fact')], session);
    const newer = { ...session, version: session.version + 1, messages: [...turns(4), ...turn(5)] };
    await sessions.save(newer, session.version);

    await fold();

    expect(await sessions.load(session.sessionId)).toMatchObject({
      version: session.version + 2,
      messages: [...turn(4), ...turn(5)],
      summary: { text: '- fact', turns: 3 },
    });
  });
});
