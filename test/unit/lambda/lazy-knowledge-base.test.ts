import { describe, expect, it, vi } from 'vitest';
import type { KnowledgeBase } from '../../../src/chat/ports.ts';
import { createLazyKnowledgeBase } from '../../../src/lambda/lazy-knowledge-base.ts';

const passage = { text: 'Reset it from the sign-in page.', source: 's3://kb/reset.md', score: 0.9 };
const loaded: KnowledgeBase = { retrieve: async () => [passage] };

describe('createLazyKnowledgeBase', () => {
  it('loads nothing until the first retrieval, then loads once for every retrieval', async () => {
    const load = vi.fn(async () => loaded);
    const knowledgeBase = createLazyKnowledgeBase(load);
    expect(load).not.toHaveBeenCalled();

    const answers = await Promise.all([
      knowledgeBase.retrieve('reset password', 4),
      knowledgeBase.retrieve('reset password', 4),
    ]);
    await knowledgeBase.retrieve('again', 4);

    expect(answers).toEqual([[passage], [passage]]);
    expect(load).toHaveBeenCalledOnce();
  });

  it('tries the load again after it failed, instead of failing every later retrieval', async () => {
    const load = vi
      .fn<() => Promise<KnowledgeBase>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue(loaded);
    const knowledgeBase = createLazyKnowledgeBase(load);

    await expect(knowledgeBase.retrieve('q', 4)).rejects.toThrow('offline');
    await expect(knowledgeBase.retrieve('q', 4)).resolves.toEqual([passage]);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('passes the query, the result count and the abort signal through', async () => {
    const retrieve = vi.fn(async () => [passage]);
    const signal = new AbortController().signal;
    await createLazyKnowledgeBase(async () => ({ retrieve })).retrieve('q', 3, signal);
    expect(retrieve).toHaveBeenCalledWith('q', 3, signal);
  });
});
