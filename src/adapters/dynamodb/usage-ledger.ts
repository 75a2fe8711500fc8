import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Clock, type UsageLedger, type UsageTotals, utcDayOf } from '../../chat/ports.ts';
import { dayUsageKey, usageKey } from './keys.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/** How long a day's totals are kept (DynamoDB TTL): a month of days for a user to look back on. */
const DAY_RETENTION_SECONDS = 35 * 24 * 3600;

/**
 * Per-user totals as one item each (`USER#<id>` / `USAGE`), and each UTC day's beside it
 * (`USAGE#<YYYY-MM-DD>`, expiring after 35 days), grown with atomic ADDs.
 */
export function createDynamoDbUsageLedger(options: TableOptions & { clock: Clock }): UsageLedger {
  const { client, tableName, clock } = options;

  const add = async (key: Record<string, string>, delta: UsageTotals, expiresAt?: number) => {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `ADD turns :turns, inputTokens :input, outputTokens :output, cacheReadTokens :cacheRead, cacheWriteTokens :cacheWrite, costMicroUsd :cost${expiresAt === undefined ? '' : ' SET expiresAt = :expiresAt'}`,
        ExpressionAttributeValues: {
          ':turns': delta.turns,
          ':input': delta.inputTokens,
          ':output': delta.outputTokens,
          ':cacheRead': delta.cacheReadTokens ?? 0,
          ':cacheWrite': delta.cacheWriteTokens ?? 0,
          ':cost': delta.costMicroUsd,
          ...(expiresAt === undefined ? {} : { ':expiresAt': expiresAt }),
        },
      }),
      storageCall(options),
    );
  };

  const read = async (key: Record<string, string>): Promise<UsageTotals> => {
    try {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: key }),
        storageCall(options),
      );
      return {
        turns: Number(Item?.turns ?? 0),
        inputTokens: Number(Item?.inputTokens ?? 0),
        outputTokens: Number(Item?.outputTokens ?? 0),
        // Only when there were any, as usage is summed everywhere else.
        ...(Number(Item?.cacheReadTokens ?? 0) > 0 ? { cacheReadTokens: Number(Item?.cacheReadTokens) } : {}),
        ...(Number(Item?.cacheWriteTokens ?? 0) > 0
          ? { cacheWriteTokens: Number(Item?.cacheWriteTokens) }
          : {}),
        costMicroUsd: Number(Item?.costMicroUsd ?? 0),
      };
    } catch (error) {
      throw storageUnavailable(error);
    }
  };

  return {
    async record(userId, delta) {
      const now = clock.now();
      try {
        await Promise.all([
          add(usageKey(userId), delta),
          add(dayUsageKey(userId, utcDayOf(now)), delta, Math.floor(now / 1000) + DAY_RETENTION_SECONDS),
        ]);
      } catch (error) {
        throw storageUnavailable(error);
      }
    },
    totals: (userId) => read(usageKey(userId)),
    dayTotals: (userId, day) => read(dayUsageKey(userId, day)),
  };
}
