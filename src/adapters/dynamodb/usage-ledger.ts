import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UsageLedger } from '../../chat/ports.ts';
import { usageKey } from './keys.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/** Per-user totals as one item each (`USER#<id>` / `USAGE`), grown with atomic ADDs. */
export function createDynamoDbUsageLedger(options: TableOptions): UsageLedger {
  const { client, tableName } = options;
  return {
    async record(userId, delta) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: usageKey(userId),
            UpdateExpression:
              'ADD turns :turns, inputTokens :input, outputTokens :output, cacheReadTokens :cacheRead, cacheWriteTokens :cacheWrite, costMicroUsd :cost',
            ExpressionAttributeValues: {
              ':turns': delta.turns,
              ':input': delta.inputTokens,
              ':output': delta.outputTokens,
              ':cacheRead': delta.cacheReadTokens ?? 0,
              ':cacheWrite': delta.cacheWriteTokens ?? 0,
              ':cost': delta.costMicroUsd,
            },
          }),
          storageCall(options),
        );
      } catch (error) {
        throw storageUnavailable(error);
      }
    },

    async totals(userId) {
      try {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: usageKey(userId) }),
          storageCall(options),
        );
        return {
          turns: Number(Item?.turns ?? 0),
          inputTokens: Number(Item?.inputTokens ?? 0),
          outputTokens: Number(Item?.outputTokens ?? 0),
          // Only when there were any, as usage is summed everywhere else.
          ...(Number(Item?.cacheReadTokens ?? 0) > 0
            ? { cacheReadTokens: Number(Item?.cacheReadTokens) }
            : {}),
          ...(Number(Item?.cacheWriteTokens ?? 0) > 0
            ? { cacheWriteTokens: Number(Item?.cacheWriteTokens) }
            : {}),
          costMicroUsd: Number(Item?.costMicroUsd ?? 0),
        };
      } catch (error) {
        throw storageUnavailable(error);
      }
    },
  };
}
