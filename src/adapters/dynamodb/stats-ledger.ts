import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HOUR_MS, hourOf, type StatsLedger, type StatsRow } from '../../analytics/stats-ledger.ts';
import {
  type Counters,
  countersOf,
  feedbackCountersOf,
  handoffCountersOf,
  refusalCountersOf,
} from '../../analytics/turn-facts.ts';
import { StorageUnavailableError } from '../../chat/errors.ts';
import { statsHourPrefix, statsKey, statsPartition } from './keys.ts';

/** Attributes of a stats item that are not counters. */
const META = new Set(['PK', 'SK', 'kind', 'hour', 'userId', 'sessionId', 'firstAt', 'lastAt', 'expiresAt']);

/**
 * The stats ledger in the chat table: `STATS#<day>` / `<hh>#SESSION#<id>` items, one per session and hour,
 * grown by one UpdateItem per turn (counters with ADD, so concurrent turns never lose a count), and
 * `<hh>#REFUSALS#<user>` items for refused requests, `<hh>#FEEDBACK#<user>` items for ratings of answers,
 * `<hh>#HANDOFFS#<user>` items for the steps of conversations handed to a person. Items expire after
 * `retentionDays`.
 */
export function createDynamoDbStatsLedger(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
  now?: () => number;
}): StatsLedger {
  const { client, tableName, retentionDays } = options;
  const now = options.now ?? Date.now;
  const expiresAt = (hour: number) => Math.floor(hour / 1000) + retentionDays * 86_400;

  async function add(
    key: Record<string, string>,
    counters: Counters,
    set: Record<string, string | number>,
    ifAbsent: Record<string, number> = {},
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, string | number> = {};
    const sets: string[] = [];
    const adds: string[] = [];
    Object.entries(set).forEach(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
    });
    Object.entries(ifAbsent).forEach(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = if_not_exists(#f${i}, :f${i})`);
    });
    Object.entries(counters).forEach(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      adds.push(`#c${i} :c${i}`);
    });
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      throw new StorageUnavailableError(error);
    }
  }

  /** One user's counters of one kind in their hour's item (refusals, feedback, handoffs). */
  const addForUser = (
    kind: 'REFUSALS' | 'FEEDBACK' | 'HANDOFFS',
    label: string,
    fact: { userId: string; at: number },
    counters: Counters,
  ) => {
    const hour = hourOf(fact.at);
    return add(statsKey(hour, kind, fact.userId), counters, {
      kind: label,
      hour,
      userId: fact.userId,
      expiresAt: expiresAt(hour),
    });
  };

  return {
    async recordTurn(facts) {
      const hour = hourOf(facts.finishedAt);
      await add(
        statsKey(hour, 'SESSION', facts.sessionId),
        countersOf(facts),
        {
          kind: 'session',
          hour,
          userId: facts.userId,
          sessionId: facts.sessionId,
          lastAt: facts.finishedAt,
          expiresAt: expiresAt(hour),
        },
        { firstAt: facts.startedAt },
      );
    },

    recordRefusal: (refusal) => addForUser('REFUSALS', 'refusals', refusal, refusalCountersOf(refusal)),

    async recordFeedback(fact) {
      const counters = feedbackCountersOf(fact);
      if (Object.keys(counters).length > 0) await addForUser('FEEDBACK', 'feedback', fact, counters);
    },

    recordHandoff: (fact) => addForUser('HANDOFFS', 'handoffs', fact, handoffCountersOf(fact)),

    async read(query) {
      const first = hourOf(query.since);
      const last = hourOf(query.until - 1);
      const days: Array<{ from: number; to: number }> = [];
      for (let hour = first; hour <= last; hour += HOUR_MS) {
        const day = days[days.length - 1];
        if (day && statsPartition(day.from) === statsPartition(hour)) day.to = hour;
        else days.push({ from: hour, to: hour });
      }
      try {
        const pages = await Promise.all(days.map((day) => queryDay(day.from, day.to, query.userId)));
        const nowSeconds = Math.floor(now() / 1000);
        // DynamoDB deletes expired items up to days late (and DynamoDB Local never does).
        return pages
          .flat()
          .filter((row) => row.expiresAt > nowSeconds)
          .map(({ expiresAt: _, ...row }) => row);
      } catch (error) {
        throw new StorageUnavailableError(error);
      }
    },
  };

  async function queryDay(from: number, to: number, userId: string | undefined) {
    const rows: Array<StatsRow & { expiresAt: number }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': statsPartition(from),
            ':from': `${statsHourPrefix(from)}#`,
            ':to': `${statsHourPrefix(to)}#\uffff`,
            ...(userId === undefined ? {} : { ':user': userId }),
          },
          ...(userId === undefined ? {} : { FilterExpression: 'userId = :user' }),
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) rows.push(rowOf(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return rows;
  }
}

function rowOf(item: Record<string, unknown>): StatsRow & { expiresAt: number } {
  const counters: Counters = {};
  for (const [name, value] of Object.entries(item)) {
    if (!META.has(name) && typeof value === 'number') counters[name] = value;
  }
  return {
    hour: Number(item.hour),
    kind:
      item.kind === 'refusals' || item.kind === 'feedback' || item.kind === 'handoffs'
        ? item.kind
        : 'session',
    userId: String(item.userId),
    ...(typeof item.sessionId === 'string' ? { sessionId: item.sessionId } : {}),
    ...(typeof item.firstAt === 'number' ? { firstAt: item.firstAt } : {}),
    ...(typeof item.lastAt === 'number' ? { lastAt: item.lastAt } : {}),
    expiresAt: Number(item.expiresAt),
    counters,
  };
}
