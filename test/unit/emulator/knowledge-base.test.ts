import { describe, expect, it } from 'vitest';
import { createLocalKnowledgeBase, tokenize } from '../../../emulator/knowledge-base.ts';
import { knowledgeBase } from './support/test-emulator.ts';

describe('the local knowledge base (fixtures/knowledge-base)', () => {
  it('stores each ## section of each document as a chunk with an S3-style location', () => {
    const chunk = knowledgeBase.chunks.find((c) => c.heading === 'Resetting your password');

    expect(chunk).toMatchObject({
      document: 'account-security.md',
      uri: 's3://local-knowledge-base/account-security.md',
    });
    expect(chunk?.text).not.toContain('##');
  });

  it.each([
    ['How do I reset my password?', 'Resetting your password'],
    ['Can I get a refund?', 'Refund policy'],
    ['my changes are not syncing', 'Changes are not syncing'],
    ['What is the maximum file size for uploads?', 'File size limits'],
  ])('ranks the right section first for "%s"', (query, heading) => {
    expect(knowledgeBase.search(query, 3)[0]?.heading).toBe(heading);
  });

  it('scores in (0, 1), best first, and returns no more than asked', () => {
    const results = knowledgeBase.search('password security sign-in two-factor', 3);

    expect(results).toHaveLength(3);
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const score of scores) {
      expect(score).toBeGreaterThan(0);
      expect(score).toBeLessThan(1);
    }
  });

  it('finds nothing for words no document uses, or only stop words', () => {
    expect(knowledgeBase.search('quantum chromodynamics', 5)).toEqual([]);
    expect(knowledgeBase.search('what is the', 5)).toEqual([]);
  });

  it('weighs rare terms above common ones (BM25 idf)', () => {
    const kb = createLocalKnowledgeBase([
      { name: 'a.md', markdown: '## A\ncommon common rare' },
      { name: 'b.md', markdown: '## B\ncommon common common' },
      { name: 'c.md', markdown: '## C\ncommon words here' },
    ]);

    expect(kb.search('common rare', 3).map((r) => r.document)).toEqual(['a.md', 'b.md', 'c.md']);
  });
});

describe('tokenize', () => {
  it('lower-cases, drops stop words and strips plural and verb endings', () => {
    expect(tokenize('How do I reset the Passwords? Resetting policies!')).toEqual([
      'reset',
      'password',
      'reset',
      'policy',
    ]);
    expect(tokenize('stopped installing')).toEqual(['stop', 'install']);
  });
});
