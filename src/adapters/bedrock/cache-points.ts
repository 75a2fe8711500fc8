import type { Message, SystemContentBlock, Tool } from '@aws-sdk/client-bedrock-runtime';

/** The parts of a Converse request that prompt caching covers, in Bedrock's order: tools, system, messages. */
export interface CacheablePrompt {
  tools: Tool[];
  /** The configured system prompt first, then the conversation's own blocks (memories, summary). */
  system: SystemContentBlock[];
  messages: Message[];
}

const CACHE_POINT = { cachePoint: { type: 'default' as const } };

/** About four characters a token, as the emulator and Bedrock's guidance estimate. */
const estimate = (value: unknown) => Math.ceil(JSON.stringify(value).length / 4);

/**
 * Puts prompt-cache checkpoints where they pay: after the configured system prompt and the tools (the same for
 * every conversation), and in the messages sent before (`stableMessages`: the history before this turn's
 * question). A checkpoint is placed only when the model caches (`minTokens`) and at least that many tokens lie
 * since the previous one (shorter ones are ignored by Bedrock anyway).
 *
 * The history's checkpoints sit at fixed places: the ends of turns where another `minTokens` of history has
 * grown since the previous such place, counted from the start. History only grows at its end, so those places
 * do not move from one turn to the next; the request marks the last two of them, so it reads the prefix an
 * earlier request wrote at the first and writes the newer one once (checkpoints at exactly the same place,
 * which is how a cache hit is found without relying on Bedrock's look-back). Nothing else changes, so the
 * prefix stays byte-identical from one turn to the next. At most three checkpoints (Bedrock allows four).
 */
export function placeCachePoints(
  prompt: CacheablePrompt,
  options: { minTokens?: number; stableMessages?: number },
): CacheablePrompt {
  const { minTokens, stableMessages = 0 } = options;
  if (minTokens === undefined) return prompt;
  const [base, ...rest] = prompt.system;
  let cachedTokens = 0;
  let system = prompt.system;
  const baseTokens = estimate(prompt.tools) + (base ? estimate(base) : 0);
  if (base && baseTokens >= minTokens) {
    system = [base, CACHE_POINT, ...rest];
    cachedTokens = baseTokens;
  }
  if (stableMessages <= 0 || stableMessages > prompt.messages.length) return { ...prompt, system };
  const marked = new Set(
    historyCheckpoints(prompt, stableMessages, { minTokens, cachedTokens }).slice(-MESSAGE_CHECKPOINTS),
  );
  if (marked.size === 0) return { ...prompt, system };
  const messages = prompt.messages.map((message, index) =>
    marked.has(index) ? { ...message, content: [...(message.content ?? []), CACHE_POINT] } : message,
  );
  return { ...prompt, system, messages };
}

/** Checkpoints in the messages per request: one to read what an earlier turn wrote, one to write. */
const MESSAGE_CHECKPOINTS = 2;

/**
 * The indexes of the stable messages after which a checkpoint belongs: each turn's last message (the one before
 * the next user question) where at least `minTokens` have grown since the previous checkpoint.
 */
function historyCheckpoints(
  prompt: CacheablePrompt,
  stableMessages: number,
  counts: { minTokens: number; cachedTokens: number },
): number[] {
  const indexes: number[] = [];
  let tokens = estimate(prompt.tools) + prompt.system.reduce((sum, block) => sum + estimate(block), 0);
  let previous = counts.cachedTokens;
  for (let index = 0; index < stableMessages; index++) {
    const message = prompt.messages[index] as Message;
    tokens += estimate(message.content);
    const endsTurn = message.role === 'assistant' && prompt.messages[index + 1]?.role === 'user';
    if (endsTurn && tokens - previous >= counts.minTokens) {
      indexes.push(index);
      previous = tokens;
    }
  }
  return indexes;
}
