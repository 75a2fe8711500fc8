/**
 * Bedrock's default chunking, as the local knowledge base applies it.
 *
 * Evidence:
 * - "Default chunking: Splits content into text chunks of approximately 300 tokens. The chunking process honors
 *   sentence boundaries, ensuring that complete sentences are preserved within each chunk."
 *   (https://docs.aws.amazon.com/bedrock/latest/userguide/kb-chunking.html)
 * - The bedrock-agent service model (botocore data/bedrock-agent/2023-06-05/service-2.json): a data source's
 *   `ChunkingConfiguration.chunkingStrategy` is FIXED_SIZE | NONE | HIERARCHICAL | SEMANTIC, and
 *   `FixedSizeChunkingConfiguration` takes `maxTokens` and `overlapPercentage` ("the percentage of overlap
 *   between adjacent chunks"). The console's FIXED_SIZE defaults are 300 tokens and 20 % overlap; the deployable
 *   data source (serverless.yml) sets exactly these, so the local and the deployed knowledge base chunk alike.
 * - Markdown is stored as its text: a real Retrieve's `content.text` keeps headings and front matter.
 *
 * Tokens are estimated as the emulator estimates them elsewhere (about four characters each, tokens.ts):
 * Bedrock counts with its embedding model's tokenizer, so chunk edges differ slightly from a real ingestion.
 */
export interface FixedSizeChunking {
  maxTokens: number;
  overlapPercentage: number;
}

export const DEFAULT_CHUNKING: FixedSizeChunking = { maxTokens: 300, overlapPercentage: 20 };

export function estimateChunkTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

interface Span {
  start: number;
  end: number;
  tokens: number;
}

/**
 * Splits `text` into chunks of at most `maxTokens` made of whole sentences (a sentence longer than that is cut
 * between words), each chunk starting with the last sentences of the one before, up to `overlapPercentage` of
 * `maxTokens`. Chunks are slices of the original text, whitespace and markdown included.
 */
export function chunkFixedSize(text: string, chunking: FixedSizeChunking = DEFAULT_CHUNKING): string[] {
  const { maxTokens, overlapPercentage } = chunking;
  if (!(maxTokens >= 1) || !(overlapPercentage >= 0 && overlapPercentage < 100)) {
    throw new RangeError('maxTokens must be at least 1 and overlapPercentage within 0-99.');
  }
  const spans = sentenceSpans(text).flatMap((span) => splitLongSpan(text, span, maxTokens));
  const overlapTokens = Math.floor((maxTokens * overlapPercentage) / 100);
  const chunks: string[] = [];
  let first = 0;
  while (first < spans.length) {
    let last = first;
    let tokens = spans[first]?.tokens ?? 0;
    while (last + 1 < spans.length && tokens + (spans[last + 1]?.tokens ?? 0) <= maxTokens) {
      last += 1;
      tokens += spans[last]?.tokens ?? 0;
    }
    chunks.push(text.slice(spans[first]?.start, spans[last]?.end).trim());
    if (last === spans.length - 1) break;
    // The next chunk repeats the tail of this one (whole sentences, within the overlap), and always moves on.
    let next = last + 1;
    let repeated = 0;
    while (next - 1 > first && repeated + (spans[next - 1]?.tokens ?? 0) <= overlapTokens) {
      next -= 1;
      repeated += spans[next]?.tokens ?? 0;
    }
    first = next;
  }
  return chunks.filter((chunk) => chunk !== '');
}

/** Sentences, and markdown lines that are no sentence (headings, list items), with their offsets. */
function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  const boundary = /(?<=[.!?])\s+(?=\S)|\n(?=\s*(?:#{1,6}\s|[-*]\s|\d+\.\s|\n))|\n{2,}/g;
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    const end = match.index ?? 0;
    if (text.slice(start, end).trim() !== '') spans.push(spanOf(text, start, end));
    start = end + match[0].length;
  }
  if (text.slice(start).trim() !== '') spans.push(spanOf(text, start, text.length));
  return spans;
}

function spanOf(text: string, start: number, end: number): Span {
  return { start, end, tokens: estimateChunkTokens(text.slice(start, end)) };
}

/** A sentence longer than a chunk, cut between words into pieces that fit. */
function splitLongSpan(text: string, span: Span, maxTokens: number): Span[] {
  if (span.tokens <= maxTokens) return [span];
  const pieces: Span[] = [];
  let start = span.start;
  for (const word of text.slice(span.start, span.end).matchAll(/\S+\s*/g)) {
    const end = span.start + (word.index ?? 0) + word[0].length;
    if (estimateChunkTokens(text.slice(start, end)) > maxTokens && end - word[0].length > start) {
      pieces.push(spanOf(text, start, end - word[0].length));
      start = end - word[0].length;
    }
  }
  pieces.push(spanOf(text, start, span.end));
  return pieces;
}
