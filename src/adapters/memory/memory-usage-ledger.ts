import { addUsage } from '../../chat/messages.ts';
import { type Clock, type UsageLedger, type UsageTotals, utcDayOf } from '../../chat/ports.ts';

/** Per-user totals (all time and per UTC day) in a Map; for unit tests, the recorder and benchmarks. */
export function createMemoryUsageLedger(clock: Clock = { now: () => Date.now() }): UsageLedger {
  const totals = new Map<string, UsageTotals>();
  const empty = (): UsageTotals => ({ turns: 0, inputTokens: 0, outputTokens: 0, costMicroUsd: 0 });
  const add = (key: string, delta: UsageTotals) => {
    const current = totals.get(key) ?? empty();
    totals.set(key, {
      ...addUsage(current, delta),
      turns: current.turns + delta.turns,
      costMicroUsd: current.costMicroUsd + delta.costMicroUsd,
    });
  };
  return {
    async record(userId, delta) {
      add(userId, delta);
      add(`${userId}@${utcDayOf(clock.now())}`, delta);
    },
    totals: async (userId) => ({ ...(totals.get(userId) ?? empty()) }),
    dayTotals: async (userId, day) => ({ ...(totals.get(`${userId}@${day}`) ?? empty()) }),
  };
}
