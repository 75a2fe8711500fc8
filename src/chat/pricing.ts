import type { TokenUsage } from './messages.ts';

/** The model's on-demand prices, in USD per million tokens (from config: they differ per model and region). */
export interface PriceTable {
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
  /** Prompt-cache reads; absent: a tenth of the input price, as Bedrock prices Anthropic's models. */
  cacheReadUsdPerMillion?: number;
  /** Prompt-cache writes (5-minute entries); absent: 1.25 times the input price, likewise. */
  cacheWriteUsdPerMillion?: number;
}

/** Estimated cost in micro-dollars: per-million prices times tokens is exactly micro-dollars per token. */
export function costMicroUsd(usage: TokenUsage, prices: PriceTable): number {
  const cacheRead = prices.cacheReadUsdPerMillion ?? prices.inputUsdPerMillion * 0.1;
  const cacheWrite = prices.cacheWriteUsdPerMillion ?? prices.inputUsdPerMillion * 1.25;
  return Math.round(
    usage.inputTokens * prices.inputUsdPerMillion +
      usage.outputTokens * prices.outputUsdPerMillion +
      (usage.cacheReadTokens ?? 0) * cacheRead +
      (usage.cacheWriteTokens ?? 0) * cacheWrite,
  );
}
