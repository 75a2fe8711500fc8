import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../../chat/errors.ts';
import type { StopRequestReason, StopRequests } from '../../chat/ports.ts';
import { stopRequestKey } from './keys.ts';

/** A stop request outlives any turn (28 s Lambda timeout) by far; TTL removes it after an hour. */
const STOP_REQUEST_TTL_SECONDS = 3600;

/**
 * Stop requests as their own small items (`SESSION#<id>` / `STOP#<turnId>`), so asking a turn to stop never
 * touches, or conflicts with, the session item the turn is about to write.
 */
export function createDynamoDbStopRequests(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): StopRequests {
  const { client, tableName } = options;
  return {
    async request(sessionId, turnId, { reason, requestedAt }) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...stopRequestKey(sessionId, turnId),
              reason,
              requestedAt,
              expiresAt: Math.floor(requestedAt / 1000) + STOP_REQUEST_TTL_SECONDS,
            },
          }),
        );
      } catch (error) {
        throw new StorageUnavailableError(error);
      }
    },

    async find(sessionId, turnId) {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: stopRequestKey(sessionId, turnId),
          // Eventually consistent (half the cost): a request one poll misses, the next one finds.
        }),
      );
      return Item
        ? { reason: Item.reason as StopRequestReason, requestedAt: Number(Item.requestedAt) }
        : undefined;
    },
  };
}
