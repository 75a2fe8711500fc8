import { describe, expect, it } from 'vitest';
import { RRF_K, reciprocalRankFusion } from '../../../emulator/reciprocal-rank-fusion.ts';

describe('reciprocal rank fusion', () => {
  it('adds 1 / (k + rank) over the lists, with k = 60 by default', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b'],
      ['b', 'c'],
    ]);

    expect(RRF_K).toBe(60);
    expect(fused).toEqual([
      { id: 'b', score: 1 / 62 + 1 / 61 },
      { id: 'a', score: 1 / 61 },
      { id: 'c', score: 1 / 62 },
    ]);
  });

  it('lets an item ranked well in both lists beat one ranked first in only one', () => {
    const fused = reciprocalRankFusion([
      ['keyword-only', 'both'],
      ['meaning-only', 'both'],
    ]);

    expect(fused[0]?.id).toBe('both');
  });

  it('breaks ties by id, so the order never depends on the input order', () => {
    expect(reciprocalRankFusion([['y'], ['x']]).map((r) => r.id)).toEqual(['x', 'y']);
    expect(reciprocalRankFusion([['x'], ['y']], 1).map((r) => r.id)).toEqual(['x', 'y']);
  });
});
