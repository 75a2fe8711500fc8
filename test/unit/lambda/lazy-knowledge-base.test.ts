import { describe, expect, it, vi } from 'vitest';
import type { KnowledgeBase } from '../../../src/chat/ports.ts';
import { createLazyKnowledgeBase } from '../../../src/lambda/lazy-knowledge-base.ts';

const passage = {
  id: 'chunk-1',
  text: 'Reset it from the sign-in page.',
  source: 's3://kb/reset.md',
  title: 'Reset',
  score: 0.9,
};
const ask = (query: string) => ({ query, numberOfResults: 4 });
const loaded: KnowledgeBase = { retrieve: async () => [passage] };

describe('createLazyKnowledgeBase', () => {
  it('loads nothing until the first retrieval, then loads once for every retrieval', async () => {
    const load = vi.fn(async () => loaded);
    const knowledgeBase = createLazyKnowledgeBase(load);
    expect(load).not.toHaveBeenCalled();

    const answers = await Promise.all([
      knowledgeBase.retrieve(ask('reset password')),
      knowledgeBase.retrieve(ask('reset password')),
    ]);
    await knowledgeBase.retrieve(ask('again'));

    expect(answers).toEqual([[passage], [passage]]);
    expect(load).toHaveBeenCalledOnce();
  });

  it('tries the load again after it failed, instead of failing every later retrieval', async () => {
    const load = vi
      .fn<() => Promise<KnowledgeBase>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue(loaded);
    const knowledgeBase = createLazyKnowledgeBase(load);

    await expect(knowledgeBase.retrieve(ask('q'))).rejects.toThrow('offline');
    await expect(knowledgeBase.retrieve(ask('q'))).resolves.toEqual([passage]);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('passes the request and the abort signal through', async () => {
    const retrieve = vi.fn(async () => [passage]);
    const signal = new AbortController().signal;
    await createLazyKnowledgeBase(async () => ({ retrieve })).retrieve(ask('q'), signal);
    expect(retrieve).toHaveBeenCalledWith(ask('q'), signal);
  });
});
