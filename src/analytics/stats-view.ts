import { HOUR_MS, hourOf, type StatsRow } from './stats-ledger.ts';
import { COUNTERS, type Counters } from './turn-facts.ts';

/** One session over the range: its rows merged. */
export interface SessionSpan {
  sessionId: string;
  userId: string;
  /** New turns and resumed answers. */
  turns: number;
  firstAt: number;
  lastAt: number;
  costMicroUsd: number;
}

/** One user over the range. */
export interface UserTotals {
  userId: string;
  turns: number;
  sessions: number;
  costMicroUsd: number;
}

/** The ledger's rows over a range, merged the ways the figures read them. */
export interface StatsView {
  /** Start of each hour of the range (epoch ms). */
  hours: number[];
  /** Counters summed per hour, aligned with `hours`. */
  byHour: Counters[];
  /** Sessions with at least one turn in each hour. */
  activeSessionsByHour: number[];
  total: Counters;
  sessions: SessionSpan[];
  users: UserTotals[];
}

/** Every hour from the one `since` falls in up to `until` (exclusive). */
export function hoursBetween(since: number, until: number): number[] {
  const hours: number[] = [];
  for (let hour = hourOf(since); hour < until; hour += HOUR_MS) hours.push(hour);
  return hours;
}

/** Merges rows (in any order, of any hours) into the view of the range they were read for. */
export function viewOf(rows: readonly StatsRow[], range: { since: number; until: number }): StatsView {
  const hours = hoursBetween(range.since, range.until);
  const index = new Map(hours.map((hour, i) => [hour, i]));
  const byHour: Counters[] = hours.map(() => ({}));
  const activeSessionsByHour = hours.map(() => 0);
  const total: Counters = {};
  const sessions = new Map<string, SessionSpan>();
  const users = new Map<string, UserTotals & { sessionIds: Set<string> }>();

  for (const row of rows) {
    const at = index.get(row.hour);
    if (at === undefined) continue;
    addInto(byHour[at] as Counters, row.counters);
    addInto(total, row.counters);
    if (row.kind !== 'session' || row.sessionId === undefined) continue;
    const turns = (row.counters[COUNTERS.turns] ?? 0) + (row.counters[COUNTERS.resumes] ?? 0);
    const cost = row.counters[COUNTERS.costMicroUsd] ?? 0;
    activeSessionsByHour[at] = (activeSessionsByHour[at] ?? 0) + 1;
    const span = sessions.get(row.sessionId);
    const firstAt = row.firstAt ?? row.hour;
    const lastAt = row.lastAt ?? firstAt;
    if (span) {
      span.turns += turns;
      span.costMicroUsd += cost;
      span.firstAt = Math.min(span.firstAt, firstAt);
      span.lastAt = Math.max(span.lastAt, lastAt);
    } else {
      sessions.set(row.sessionId, {
        sessionId: row.sessionId,
        userId: row.userId,
        turns,
        firstAt,
        lastAt,
        costMicroUsd: cost,
      });
    }
    const user = users.get(row.userId) ?? {
      userId: row.userId,
      turns: 0,
      sessions: 0,
      costMicroUsd: 0,
      sessionIds: new Set<string>(),
    };
    user.turns += turns;
    user.costMicroUsd += cost;
    user.sessionIds.add(row.sessionId);
    user.sessions = user.sessionIds.size;
    users.set(row.userId, user);
  }
  return {
    hours,
    byHour,
    activeSessionsByHour,
    total,
    sessions: [...sessions.values()],
    users: [...users.values()].map(({ sessionIds: _, ...totals }) => totals),
  };
}

function addInto(target: Counters, counters: Counters): void {
  for (const [name, value] of Object.entries(counters)) target[name] = (target[name] ?? 0) + value;
}
