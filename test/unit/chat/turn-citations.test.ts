import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { createMemoryStopRequests } from '../../../src/adapters/memory/memory-stop-requests.ts';
import { createMemoryUsageLedger } from '../../../src/adapters/memory/memory-usage-ledger.ts';
import type { KnowledgeBase } from '../../../src/chat/ports.ts';
import { readHistory } from '../../../src/chat/read-history.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { createKbLookupTool } from '../../../src/chat/tools/kb-lookup.ts';
import { createToolRegistry } from '../../../src/chat/tools/registry.ts';
import type { TurnDependencies } from '../../../src/chat/turn.ts';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import {
  answer,
  createFakeClock,
  createFakeModel,
  createRecordingReply,
  type ScriptedCall,
  toolCall,
} from '../../support/fakes.ts';

const knowledgeBase: KnowledgeBase = {
  retrieve: async () => [
    {
      id: 'chunk-a',
      text: 'Choose "Forgot password" on the sign-in page.',
      source: 's3://kb/account.md',
      title: 'Account',
      score: 0.71,
    },
    {
      id: 'chunk-b',
      text: 'Admins can send a new link.',
      source: 's3://kb/admin.md',
      title: 'Admin',
      score: 0.52,
    },
  ],
};

function setup(calls: ScriptedCall[]) {
  const sessions = createMemorySessionStore();
  const reply = createRecordingReply();
  const clock = createFakeClock();
  const dropped: Array<{ turnId: string; numbers: number[] }> = [];
  const deps: TurnDependencies = {
    sessions,
    stopRequests: createMemoryStopRequests(),
    rateLimiter: createMemoryRateLimiter(10, clock),
    usage: createMemoryUsageLedger(),
    model: createFakeModel(calls),
    tools: createToolRegistry([createKbLookupTool(knowledgeBase)]),
    clock,
    settings: {
      windowMessages: 20,
      sessionTtlSeconds: 3600,
      prices: { inputUsdPerMillion: 1, outputUsdPerMillion: 5 },
      maxToolRounds: 4,
      modelIdleTimeoutMs: 1_000,
      deadlineMarginMs: 100,
      saveAttempts: 5,
      stopPollMs: 20,
      flush: { minDelayMs: 1, maxDelayMs: 1, maxFrameBytes: 10_000 },
    },
    observer: { citationsDropped: (event) => dropped.push(event) },
  };
  const ask = (message: string, turnId: string) =>
    runTurn(deps, { connectionId: 'c', sessionId: 's', message, turnId, reply });
  return { deps, reply, dropped, ask };
}

const framesOf = (frames: ServerFrame[], type: ServerFrame['type']) => frames.filter((f) => f.type === type);

describe('a turn that cites the knowledge base', () => {
  it('sends the cited passages as a sources frame before done and in done, and getHistory returns them', async () => {
    const { deps, reply, dropped, ask } = setup([
      toolCall({ name: 'kb_lookup', input: { query: 'reset password' } }),
      answer('Use "Forgot password" [1]. An admin can help [2].'),
    ]);

    await ask('How do I reset my password?', 't1');

    const expected = [
      {
        n: 1,
        passageId: 'chunk-a',
        title: 'Account',
        uri: 's3://kb/account.md',
        snippet: 'Choose "Forgot password" on the sign-in page.',
        score: 0.71,
      },
      {
        n: 2,
        passageId: 'chunk-b',
        title: 'Admin',
        uri: 's3://kb/admin.md',
        snippet: 'Admins can send a new link.',
        score: 0.52,
      },
    ];
    const types = reply.frames.map((f) => f.type);
    expect(types.slice(-2)).toEqual(['sources', 'done']);
    expect(framesOf(reply.frames, 'sources')).toEqual([
      expect.objectContaining({ turnId: 't1', sources: expected }),
    ]);
    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', sources: expected });
    expect(dropped).toEqual([]);

    const history = await readHistory(deps, { sessionId: 's' });
    expect(history.messages.at(-1)).toMatchObject({
      role: 'assistant',
      tools: ['kb_lookup'],
      sources: expected,
    });
  });

  it('drops and reports a citation of a passage the turn did not retrieve, in the frames and in history', async () => {
    const { deps, reply, dropped, ask } = setup([
      toolCall({ name: 'kb_lookup', input: { query: 'reset password' } }),
      answer('Reset it [1]. Also [5].'),
    ]);

    await ask('How do I reset my password?', 't1');

    expect(reply.frames.at(-1)).toMatchObject({ type: 'done', sources: [expect.objectContaining({ n: 1 })] });
    expect((reply.frames.at(-1) as { sources: unknown[] }).sources).toHaveLength(1);
    expect(dropped).toEqual([{ turnId: 't1', numbers: [5] }]);
    const history = await readHistory(deps, { sessionId: 's' });
    expect(history.messages.at(-1)?.sources?.map((s) => s.n)).toEqual([1]);
  });

  it('never lets an answer cite the passages of an earlier turn', async () => {
    const { deps, reply, dropped, ask } = setup([
      toolCall({ name: 'kb_lookup', input: { query: 'reset password' } }),
      answer('Reset it [1].'),
      answer('As I said [1].'),
    ]);

    await ask('How do I reset my password?', 't1');
    reply.frames.length = 0;
    await ask('And again?', 't2');

    expect(framesOf(reply.frames, 'sources')).toEqual([]);
    expect(reply.frames.at(-1)).not.toHaveProperty('sources');
    expect(dropped).toEqual([{ turnId: 't2', numbers: [1] }]);
    const history = await readHistory(deps, { sessionId: 's' });
    expect(history.messages.map((m) => m.sources?.length ?? 0)).toEqual([0, 1, 0, 0]);
  });

  it('sends no sources frame for an answer without citations', async () => {
    const { reply, ask } = setup([answer('Hello there.')]);
    await ask('Hi', 't1');
    expect(reply.frames.map((f) => f.type)).not.toContain('sources');
    expect(reply.frames.at(-1)).not.toHaveProperty('sources');
  });
});
