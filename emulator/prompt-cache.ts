import { createHash, type Hash } from 'node:crypto';
import type { ConverseBody } from './bedrock-types.ts';
import type { CatalogueModel } from './models/model-catalogue.ts';
import { estimateTokens } from './tokens.ts';

/** Tokens of one request as Bedrock bills them: read from the cache, written to it, and the rest. */
export interface CacheAccount {
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export interface PromptCache {
  /**
   * Splits a request's input tokens into cache reads, cache writes and plain input, and updates the cache: the
   * longest cached prefix is read (its time to live starts again), the prefixes after it are written.
   */
  account(modelId: string, body: ConverseBody, model: CatalogueModel): CacheAccount;
}

interface Checkpoint {
  /** Estimated tokens from the start of the prompt to this checkpoint. */
  tokens: number;
  key: string;
  ttlMs: number;
  field: 'tools' | 'system' | 'messages';
}

const TTL_MS: Record<string, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/**
 * Bedrock's prompt caching: a `cachePoint` in `toolConfig.tools`, `system` or a message marks the end of a
 * prefix (in that order: tools, system, messages). A checkpoint counts only when at least the model's minimum
 * number of tokens lies between it and the previous counted one; shorter ones are ignored without an error, as
 * on Bedrock. Entries live 5 minutes (or the checkpoint's `ttl`) from their last use.
 */
export function createPromptCache(clock: () => number = Date.now): PromptCache {
  const entries = new Map<string, number>();

  return {
    account(modelId, body, model) {
      const total = estimateTokens([body.system ?? [], body.messages ?? [], body.toolConfig ?? {}]);
      const rules = model.promptCaching;
      if (!rules) return { inputTokens: total, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

      const checkpoints = findCheckpoints(modelId, body).filter((point) =>
        rules.fields.includes(point.field),
      );
      const counted: Checkpoint[] = [];
      for (const point of checkpoints) {
        const previous = counted.at(-1)?.tokens ?? 0;
        if (point.tokens - previous >= rules.minTokensPerCheckpoint) counted.push(point);
      }

      const now = clock();
      let hit = -1;
      for (let index = counted.length - 1; index >= 0; index--) {
        const expiresAt = entries.get((counted[index] as Checkpoint).key);
        if (expiresAt !== undefined && expiresAt > now) {
          hit = index;
          break;
        }
      }
      const read = hit >= 0 ? (counted[hit] as Checkpoint).tokens : 0;
      const written =
        counted.length > 0 && hit < counted.length - 1 ? (counted.at(-1) as Checkpoint).tokens - read : 0;
      for (const [index, point] of counted.entries()) {
        if (index >= hit) entries.set(point.key, now + point.ttlMs);
      }
      return {
        inputTokens: Math.max(0, total - read - written),
        cacheReadInputTokens: read,
        cacheWriteInputTokens: written,
      };
    },
  };
}

/** Every `cachePoint` of a request, in prompt order, with the tokens before it and a key for that prefix. */
export function findCheckpoints(modelId: string, body: ConverseBody): Checkpoint[] {
  const hash: Hash = createHash('sha256').update(modelId);
  const points: Checkpoint[] = [];
  let tokens = 0;
  const walk = (field: Checkpoint['field'], items: unknown[]) => {
    for (const item of items) {
      const cachePoint = (item as { cachePoint?: { ttl?: string } } | null)?.cachePoint;
      if (cachePoint) {
        points.push({
          tokens,
          key: hash.copy().digest('base64url'),
          ttlMs: TTL_MS[cachePoint.ttl ?? '5m'] ?? (TTL_MS['5m'] as number),
          field,
        });
        continue;
      }
      hash.update(JSON.stringify(item));
      tokens += estimateTokens(item);
    }
  };
  walk('tools', body.toolConfig?.tools ?? []);
  walk('system', body.system ?? []);
  for (const message of body.messages ?? []) {
    hash.update(message.role);
    walk('messages', message.content ?? []);
  }
  return points;
}

/** How many cache checkpoints a request holds, wherever they are. */
export function countCheckpoints(body: ConverseBody): number {
  const count = (items: unknown[] | undefined) =>
    (items ?? []).filter((item) => (item as { cachePoint?: unknown } | null)?.cachePoint !== undefined)
      .length;
  return (
    count(body.toolConfig?.tools) +
    count(body.system) +
    (body.messages ?? []).reduce((sum, message) => sum + count(message.content), 0)
  );
}
