import type { TokenUsage } from './messages.ts';

/** The model's on-demand prices, in USD per million tokens (from config: they differ per model and region). */
export interface PriceTable {
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
}

/** Estimated cost in micro-dollars: per-million prices times tokens is exactly micro-dollars per token. */
export function costMicroUsd(usage: TokenUsage, prices: PriceTable): number {
  return Math.round(
    usage.inputTokens * prices.inputUsdPerMillion + usage.outputTokens * prices.outputUsdPerMillion,
  );
}
