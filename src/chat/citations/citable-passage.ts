import type { JsonObject, JsonValue, Message } from '../messages.ts';
import { isToolResultBlock } from '../messages.ts';

/**
 * A retrieved passage as a tool result gives it to the model: numbered for this turn, so the answer can cite
 * it as `[n]`. Stored with the turn's tool result, it is also what the answer's sources are rebuilt from.
 */
export interface CitablePassage {
  /** The number the model cites: unique within the turn. */
  n: number;
  /** Stable id: the knowledge base's chunk id. */
  id: string;
  title: string;
  /** The document's location (an `s3://` URI for an S3 data source). */
  source: string;
  /** An http(s) address for the document, when it has one. */
  url?: string;
  score: number;
  text: string;
}

/** A passage as JSON for the model (and for storage, inside the tool result). */
export function toPassageJson(passage: CitablePassage): JsonObject {
  return {
    n: passage.n,
    id: passage.id,
    title: passage.title,
    source: passage.source,
    ...(passage.url ? { url: passage.url } : {}),
    score: passage.score,
    text: passage.text,
  };
}

/** Every citable passage in the tool results of `messages`, by number (the first wins if one repeats). */
export function citablePassagesOf(messages: readonly Message[]): Map<number, CitablePassage> {
  const passages = new Map<number, CitablePassage>();
  for (const message of messages) {
    for (const block of message.content) {
      if (!isToolResultBlock(block) || block.toolResult.status !== 'success') continue;
      for (const content of block.toolResult.content) {
        if (!('json' in content)) continue;
        const list = content.json.passages;
        if (!Array.isArray(list)) continue;
        for (const item of list) {
          const passage = asCitablePassage(item);
          if (passage && !passages.has(passage.n)) passages.set(passage.n, passage);
        }
      }
    }
  }
  return passages;
}

function asCitablePassage(value: JsonValue): CitablePassage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { n, id, title, source, url, score, text } = value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return undefined;
  if (typeof id !== 'string' || typeof source !== 'string' || typeof text !== 'string') return undefined;
  return {
    n,
    id,
    title: typeof title === 'string' ? title : source,
    source,
    ...(typeof url === 'string' ? { url } : {}),
    score: typeof score === 'number' ? score : 0,
    text,
  };
}
