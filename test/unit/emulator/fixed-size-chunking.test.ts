import { describe, expect, it } from 'vitest';
import { chunkFixedSize, estimateChunkTokens } from '../../../emulator/fixed-size-chunking.ts';

/** `count` sentences of exactly 40 characters (10 estimated tokens) each, numbered. */
function sentences(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `Sentence ${String(i).padStart(3, '0')} is here to fill sp.`,
  ).join(' ');
}

describe('fixed-size chunking (Bedrock default: ~300 tokens, 20 % overlap, whole sentences)', () => {
  it('keeps a document under the limit as one chunk, exactly as written', () => {
    const text = '# Title\n\n## Section\n\nOne sentence. Two sentences.';

    expect(chunkFixedSize(text)).toEqual([text]);
  });

  it('cuts at sentence boundaries, never over maxTokens, and repeats up to the overlap', () => {
    const text = sentences(100);
    const chunks = chunkFixedSize(text, { maxTokens: 100, overlapPercentage: 20 });

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(estimateChunkTokens(chunk)).toBeLessThanOrEqual(100);
      expect(chunk).toMatch(/^Sentence \d{3} .*\.$/);
    }
    // 20 % of 100 tokens = 20 tokens: the two last sentences of a chunk open the next one.
    const lastTwo = (chunks[0] ?? '')
      .split(/(?<=\.) /)
      .slice(-2)
      .join(' ');
    expect(chunks[1]?.startsWith(lastTwo)).toBe(true);
  });

  it('covers every sentence, in order', () => {
    const chunks = chunkFixedSize(sentences(60), { maxTokens: 50, overlapPercentage: 20 });
    const seen = new Set(chunks.flatMap((chunk) => chunk.match(/Sentence \d{3}/g) ?? []));

    expect(seen.size).toBe(60);
  });

  it('without overlap, shares nothing between chunks', () => {
    const chunks = chunkFixedSize(sentences(30), { maxTokens: 50, overlapPercentage: 0 });

    expect(chunks.join(' ')).toBe(sentences(30));
  });

  it('cuts a sentence longer than a chunk between words', () => {
    const long = `${'word '.repeat(200).trim()}.`;
    const chunks = chunkFixedSize(long, { maxTokens: 50, overlapPercentage: 0 });

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(estimateChunkTokens(chunk)).toBeLessThanOrEqual(50);
      expect(chunk).toMatch(/^word( word)*\.?$/);
    }
  });

  it('refuses a size or an overlap Bedrock would refuse', () => {
    expect(() => chunkFixedSize('x', { maxTokens: 0, overlapPercentage: 20 })).toThrow(RangeError);
    expect(() => chunkFixedSize('x', { maxTokens: 300, overlapPercentage: 100 })).toThrow(RangeError);
  });
});
