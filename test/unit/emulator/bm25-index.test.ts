import { describe, expect, it } from 'vitest';
import { createBm25Index } from '../../../emulator/bm25-index.ts';

describe('the BM25 index', () => {
  const index = createBm25Index([
    ['invoice', 'pdf', 'invoice'],
    ['invoice', 'card'],
    ['webhook', 'signature', 'secret', 'retry', 'endpoint', 'event', 'delivery', 'header'],
  ]);

  it('scores 0 for a document sharing no term, more for more occurrences', () => {
    expect(index.score(['webhook'], 0)).toBe(0);
    expect(index.score(['invoice'], 0)).toBeGreaterThan(index.score(['invoice'], 1));
  });

  it('matches Okapi BM25 (k1 1.2, b 0.75, Lucene idf) by hand', () => {
    // Document 2 has 8 terms; the average length is 13 / 3; "webhook" is in 1 of 3 documents.
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * 1 * 2.2) / (1 + 1.2 * (0.25 + (0.75 * 8) / (13 / 3)));

    expect(index.score(['webhook'], 2)).toBeCloseTo(expected, 10);
  });

  it('weighs a rare term above a common one', () => {
    expect(index.score(['pdf'], 0)).toBeGreaterThan(index.score(['card'], 1) / 2);
    expect(index.score(['card'], 1)).toBeGreaterThan(index.score(['invoice'], 1));
  });

  it('tells the share of the query a document holds, unknown terms weighing most', () => {
    expect(index.matchedShare(['invoice', 'pdf'], 0)).toBe(1);
    expect(index.matchedShare(['invoice', 'zebra'], 0)).toBeLessThan(0.5);
    expect(index.matchedShare([], 0)).toBe(0);
  });
});
