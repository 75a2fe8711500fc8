import { describe, expect, it } from 'vitest';
import { createLocalKnowledgeBase } from '../../../emulator/knowledge-base.ts';
import { tokenize } from '../../../emulator/search-terms.ts';
import { knowledgeBase } from './support/test-emulator.ts';

describe('the local knowledge base (fixtures/knowledge-base)', () => {
  it('stores each document in chunks of about 300 tokens, markdown kept, with an S3-style location', () => {
    const chunks = knowledgeBase.chunks.filter((c) => c.document === 'account-security.md');

    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(chunks[0]).toMatchObject({
      id: 'account-security.md#0',
      heading: 'Resetting your password',
      uri: 's3://local-knowledge-base/account-security.md',
    });
    expect(chunks[0]?.text).toMatch(/^# Account and security\n\n## Resetting your password/);
    for (const chunk of knowledgeBase.chunks) expect(chunk.text.length / 4).toBeLessThanOrEqual(300);
  });

  it('holds at least 30 documents, some with metadata from their sidecar file', () => {
    const documents = new Set(knowledgeBase.chunks.map((c) => c.document));
    const withMetadata = knowledgeBase.chunks.filter((c) => Object.keys(c.attributes).length > 0);

    expect(documents.size).toBeGreaterThanOrEqual(30);
    expect(new Set(withMetadata.map((c) => c.document)).size).toBeGreaterThanOrEqual(10);
    expect(knowledgeBase.chunks.find((c) => c.document === 'webhooks.md')?.attributes).toMatchObject({
      category: 'developers',
    });
  });

  it.each([
    ['How do I reset my password?', 'account-security.md'],
    ['What is the refund policy for annual plans?', 'billing-and-plans.md'],
    ['my changes are not syncing', 'troubleshooting.md'],
    ['What is the maximum file size for uploads?', 'limits-and-quotas.md'],
    ['How do I verify a webhook signature?', 'webhooks.md'],
  ])('ranks the right document first for "%s"', (query, document) => {
    expect(knowledgeBase.search(query, 3)[0]?.document).toBe(document);
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

  it('says how much of the question a chunk covers: all of a product question, little of small talk', () => {
    expect(knowledgeBase.search('How do I reset my password?', 1)[0]?.matchedShare).toBe(1);
    expect(knowledgeBase.search('Tell me about roses', 1)[0]?.matchedShare ?? 0).toBeLessThan(0.5);
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
