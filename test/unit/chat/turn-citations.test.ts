import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { toPassageJson } from '../../../src/chat/citations/citable-passage.ts';
import type { KnowledgeBase, StoredSession } from '../../../src/chat/ports.ts';
import { readHistory } from '../../../src/chat/read-history.ts';
import { resumeTurn } from '../../../src/chat/resume-turn.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { createKbLookupTool } from '../../../src/chat/tools/kb-lookup.ts';
import { createToolRegistry } from '../../../src/chat/tools/registry.ts';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import {
  answer,
  createRecordingReply,
  createTestTurnDependencies,
  type ScriptedCall,
  storedSession,
  streamedText,
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

function setup(calls: ScriptedCall[], sessions: StoredSession[] = []) {
  const reply = createRecordingReply();
  const dropped: Array<{ turnId: string; numbers: number[] }> = [];
  const deps = createTestTurnDependencies(calls, {
    sessions: createMemorySessionStore(sessions),
    tools: createToolRegistry([createKbLookupTool(knowledgeBase)]),
    observer: { citationsDropped: (event) => dropped.push(event) },
  });
  const ask = (message: string, turnId: string, target = reply) =>
    runTurn(deps, { connectionId: 'c', sessionId: 's', message, turnId, reply: target });
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

const sourcesOf = (frames: ServerFrame[]) => {
  const done = frames.at(-1);
  return done?.type === 'done' ? done.sources : undefined;
};

describe('the sources of a turn that is answered again', () => {
  it('replays the same sources to a retry of the turn id, in a sources frame and in done', async () => {
    const { deps, reply, ask } = setup([
      toolCall({ name: 'kb_lookup', input: { query: 'reset password' } }),
      answer('Use "Forgot password" [1]. An admin can help [2].'),
    ]);
    await ask('How do I reset my password?', 't1');
    const retry = createRecordingReply();

    const summary = await ask('How do I reset my password?', 't1', retry);

    expect(summary).toMatchObject({ outcome: 'replayed', modelCalls: 0 });
    expect(deps.model.requests).toHaveLength(2);
    expect(sourcesOf(reply.frames)?.map((source) => source.passageId)).toEqual(['chunk-a', 'chunk-b']);
    expect(retry.frames.at(-1)).toMatchObject({ type: 'done', replayed: true });
    expect(sourcesOf(retry.frames)).toEqual(sourcesOf(reply.frames));
    expect(framesOf(retry.frames, 'sources')).toEqual([
      expect.objectContaining({ sources: sourcesOf(reply.frames) }),
    ]);
  });

  it('keeps the numbers of a resumed answer: the rest cites on, and done and getHistory list both parts', async () => {
    const first = toPassageJson({
      n: 1,
      id: 'chunk-a',
      title: 'Account',
      source: 's3://kb/account.md',
      score: 0.71,
      text: 'Choose "Forgot password" on the sign-in page.',
    });
    const partial = storedSession({
      sessionId: 's',
      messages: [
        { role: 'user', content: [{ text: 'How do I reset my password?' }], turnId: 't' },
        {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 'tu-1', name: 'kb_lookup', input: { query: 'reset' } } }],
        },
        {
          role: 'user',
          content: [
            {
              toolResult: {
                toolUseId: 'tu-1',
                content: [{ json: { passages: [first] } }],
                status: 'success',
              },
            },
          ],
        },
        { role: 'assistant', content: [{ text: 'Use "Forgot password" [1].' }] },
      ],
      lastTurn: { turnId: 't', stopReason: 'client_gone', lastSeq: 3, runId: 'run-1' },
    });
    const { deps, reply } = setup(
      [toolCall({ name: 'kb_lookup', input: { query: 'admin reset' } }), answer(' An admin can help [2].')],
      [partial],
    );
    await deps.turns.claim({
      sessionId: 's',
      turnId: 't',
      runId: 'run-1',
      leaseUntil: 0,
      createdAt: 0,
      expiresAt: partial.expiresAt,
    });

    const summary = await resumeTurn(
      deps,
      { sessionId: 's', turnId: 't', connectionId: 'c', reply },
      { waitMs: 100, pollMs: 10 },
    );

    expect(summary).toMatchObject({ outcome: 'completed' });
    expect(streamedText(reply.frames)).toBe(' An admin can help [2].');
    // The second search found chunk-a again (it keeps its 1) and chunk-b, numbered on from it.
    const expected = [
      expect.objectContaining({ n: 1, passageId: 'chunk-a' }),
      expect.objectContaining({ n: 2, passageId: 'chunk-b' }),
    ];
    expect(sourcesOf(reply.frames)).toEqual(expected);
    expect(framesOf(reply.frames, 'sources')).toEqual([expect.objectContaining({ sources: expected })]);
    const history = await readHistory(deps, { sessionId: 's' });
    expect(history.messages.at(-1)?.sources).toEqual(sourcesOf(reply.frames));
  });
});
