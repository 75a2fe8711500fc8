import { describe, expect, it } from 'vitest';
import { rankedDocuments, recallAtK, reciprocalRank, scoreRun } from '../../../eval/retrieval-metrics.ts';

describe('retrieval metrics', () => {
  it('ranks documents by their first chunk, each once', () => {
    expect(rankedDocuments(['s3://kb/a.md', 's3://kb/a.md', 's3://kb/b.md', 's3://kb/a.md'])).toEqual([
      'a.md',
      'b.md',
    ]);
  });

  it('recall@k is the share of relevant documents within the first k', () => {
    expect(recallAtK(['a', 'b', 'c'], ['c'], 3)).toBe(1);
    expect(recallAtK(['a', 'b', 'c'], ['c'], 2)).toBe(0);
    expect(recallAtK(['a', 'b', 'c'], ['a', 'z'], 5)).toBe(0.5);
    expect(recallAtK(['a'], [], 5)).toBe(0);
  });

  it('reciprocal rank is 1 over the rank of the first relevant document, 0 when none', () => {
    expect(reciprocalRank(['a', 'b', 'c'], ['b', 'c'])).toBe(0.5);
    expect(reciprocalRank(['a'], ['a'])).toBe(1);
    expect(reciprocalRank(['a', 'b'], ['z'])).toBe(0);
  });

  it('averages both over the questions', () => {
    const scores = scoreRun(
      [
        { ranked: ['a', 'b'], relevant: ['a'] },
        { ranked: ['x', 'y', 'z'], relevant: ['z', 'w'] },
        { ranked: ['q'], relevant: ['r'] },
      ],
      5,
    );

    expect(scores.questions).toBe(3);
    expect(scores.recall).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(scores.mrr).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
  });
});
