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
 * every conversation), and after the messages sent unchanged on the previous turn (`stableMessages`), which that
 * turn wrote to the cache. A checkpoint is placed only when the model caches (`minTokens`) and at least that
 * many tokens lie since the previous one (shorter ones are ignored by Bedrock anyway). Nothing else changes, so
 * the prefix stays byte-identical from one turn to the next.
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
  const prefixTokens =
    estimate(prompt.tools) +
    prompt.system.reduce((sum, block) => sum + estimate(block), 0) +
    prompt.messages.slice(0, stableMessages).reduce((sum, message) => sum + estimate(message.content), 0);
  if (prefixTokens - cachedTokens < minTokens) return { ...prompt, system };
  const messages = prompt.messages.map((message, index) =>
    index === stableMessages - 1
      ? { ...message, content: [...(message.content ?? []), CACHE_POINT] }
      : message,
  );
  return { ...prompt, system, messages };
}
