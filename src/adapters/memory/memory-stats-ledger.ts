import { hourOf, type StatsLedger, type StatsRow } from '../../analytics/stats-ledger.ts';
import {
  type Counters,
  countersOf,
  feedbackCountersOf,
  handoffCountersOf,
  refusalCountersOf,
} from '../../analytics/turn-facts.ts';

/** The stats ledger in a Map, rows keyed as the DynamoDB adapter keys its items; for tests and the recorder. */
export function createMemoryStatsLedger(): StatsLedger {
  const rows = new Map<string, StatsRow>();
  const addInto = (target: Counters, counters: Counters) => {
    for (const [name, value] of Object.entries(counters)) target[name] = (target[name] ?? 0) + value;
  };
  return {
    async recordTurn(facts) {
      const hour = hourOf(facts.finishedAt);
      const key = `${hour}#SESSION#${facts.sessionId}`;
      const row = rows.get(key) ?? {
        hour,
        kind: 'session',
        userId: facts.userId,
        sessionId: facts.sessionId,
        firstAt: facts.startedAt,
        counters: {},
      };
      row.lastAt = facts.finishedAt;
      addInto(row.counters, countersOf(facts));
      rows.set(key, row);
    },
    async recordRefusal(refusal) {
      const hour = hourOf(refusal.at);
      const key = `${hour}#REFUSALS#${refusal.userId}`;
      const row = rows.get(key) ?? { hour, kind: 'refusals', userId: refusal.userId, counters: {} };
      addInto(row.counters, refusalCountersOf(refusal));
      rows.set(key, row);
    },
    async recordFeedback(fact) {
      // As the DynamoDB ledger: a repeated rating changes no count and writes no row.
      const counters = feedbackCountersOf(fact);
      if (Object.keys(counters).length === 0) return;
      const hour = hourOf(fact.at);
      const key = `${hour}#FEEDBACK#${fact.userId}`;
      const row = rows.get(key) ?? { hour, kind: 'feedback', userId: fact.userId, counters: {} };
      addInto(row.counters, counters);
      rows.set(key, row);
    },
    async recordHandoff(fact) {
      const hour = hourOf(fact.at);
      const key = `${hour}#HANDOFFS#${fact.userId}`;
      const row = rows.get(key) ?? { hour, kind: 'handoffs', userId: fact.userId, counters: {} };
      addInto(row.counters, handoffCountersOf(fact));
      rows.set(key, row);
    },
    async read({ since, until, userId }) {
      return [...rows.values()]
        .filter((row) => row.hour >= hourOf(since) && row.hour < until)
        .filter((row) => userId === undefined || row.userId === userId)
        .map((row) => structuredClone(row));
    },
  };
}
