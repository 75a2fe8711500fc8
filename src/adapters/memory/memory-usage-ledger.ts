import { addUsage } from '../../chat/messages.ts';
import type { UsageLedger, UsageTotals } from '../../chat/ports.ts';

/** Per-user totals in a Map; for unit tests, the recorder and benchmarks. */
export function createMemoryUsageLedger(): UsageLedger {
  const totals = new Map<string, UsageTotals>();
  const empty = (): UsageTotals => ({ turns: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 });
  return {
    async record(userId, delta) {
      const current = totals.get(userId) ?? empty();
      totals.set(userId, {
        ...addUsage(current, delta),
        turns: current.turns + delta.turns,
        costMicroUsd: current.costMicroUsd + delta.costMicroUsd,
      });
    },
    totals: async (userId) => ({ ...(totals.get(userId) ?? empty()) }),
  };
}
