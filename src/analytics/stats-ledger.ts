import type { Counters, FeedbackFact, HandoffFact, Refusal, TurnFacts } from './turn-facts.ts';

export const HOUR_MS = 3_600_000;

/** The start of the UTC hour `at` falls in (epoch ms). */
export const hourOf = (at: number): number => Math.floor(at / HOUR_MS) * HOUR_MS;

/**
 * One row of the ledger: what one session did in one hour (its turns), what one user was refused in one
 * hour, how one user rated answers in one hour, or what happened to one user's handoffs to a person in one
 * hour. Rows are the unit of storage and of reading; figures are computed from them (summarize-stats.ts).
 */
export interface StatsRow {
  /** Start of the UTC hour (epoch ms). */
  hour: number;
  kind: 'session' | 'refusals' | 'feedback' | 'handoffs';
  userId: string;
  /** For session rows. */
  sessionId?: string;
  /** Session rows: when its first turn in this hour started, and its last one ended (epoch ms). */
  firstAt?: number;
  lastAt?: number;
  counters: Counters;
}

export interface StatsQuery {
  /** Hours from the one `since` falls in, up to (excluding) `until` (epoch ms). */
  since: number;
  until: number;
  /** Only this user's rows. */
  userId?: string;
}

/**
 * Usage figures kept as hourly counters, grown by one atomic write per turn (docs/decisions/0020). Writing
 * never blocks a client: it happens after `done`, and a failure only loses that turn from the figures.
 */
export interface StatsLedger {
  recordTurn(facts: TurnFacts): Promise<void>;
  recordRefusal(refusal: Refusal): Promise<void>;
  recordFeedback(fact: FeedbackFact): Promise<void>;
  recordHandoff(fact: HandoffFact): Promise<void>;
  read(query: StatsQuery): Promise<StatsRow[]>;
}
