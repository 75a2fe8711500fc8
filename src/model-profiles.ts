/**
 * What the chat needs to know of a Bedrock model: its context window (the history's token budget is a share of
 * it) and the fewest tokens a prompt-cache checkpoint must cover (none: the model does not cache). Figures from
 * the AWS and Anthropic pages cited in emulator/models/model-catalogue.json; an unknown model gets a cautious
 * default and no caching. Matched on the model id, so inference profiles (`us.…`) and ARNs find their model.
 */
export interface ModelProfile {
  contextWindow: number;
  cacheMinTokens?: number;
}

const PROFILES: Array<[RegExp, ModelProfile]> = [
  [/anthropic\.claude-haiku-4-5/, { contextWindow: 200_000, cacheMinTokens: 4096 }],
  [/anthropic\.claude-sonnet-4-6/, { contextWindow: 1_000_000, cacheMinTokens: 1024 }],
  [/anthropic\.claude-(sonnet-4|3-7-sonnet)/, { contextWindow: 200_000, cacheMinTokens: 1024 }],
  [/anthropic\.claude-3-5-haiku/, { contextWindow: 200_000, cacheMinTokens: 2048 }],
  [/anthropic\.claude-3-(haiku|sonnet)|anthropic\.claude-v2/, { contextWindow: 200_000 }],
  [/amazon\.nova-(micro)/, { contextWindow: 128_000, cacheMinTokens: 1000 }],
  [/amazon\.nova-/, { contextWindow: 300_000, cacheMinTokens: 1000 }],
  [/amazon\.titan-text-lite/, { contextWindow: 4_096 }],
  [/amazon\.titan-text/, { contextWindow: 8_192 }],
];

const UNKNOWN: ModelProfile = { contextWindow: 32_000 };

export function modelProfileOf(modelId: string): ModelProfile {
  return PROFILES.find(([pattern]) => pattern.test(modelId))?.[1] ?? UNKNOWN;
}

/** The history's default token budget: a tenth of the context window, leaving room for tools and answers. */
export function defaultWindowTokens(modelId: string): number {
  return Math.floor(modelProfileOf(modelId).contextWindow / 10);
}
