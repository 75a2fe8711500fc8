import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MemoryFullError, StorageUnavailableError } from '../../chat/errors.ts';
import type { Memory, MemoryStore } from '../../chat/ports.ts';
import { memoriesKey } from './keys.ts';

type StoredMemory = Omit<Memory, 'memoryId'>;

/**
 * A user's memories as one item (`USER#<id>` / `MEMORIES`) holding a map by memory id: one consistent read
 * gives a turn every memory, the cap is a condition on the map's size, and a deletion is one update.
 */
export function createDynamoDbMemoryStore(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): MemoryStore {
  const { client, tableName } = options;
  const send = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof MemoryFullError) throw error;
      throw new StorageUnavailableError(error);
    }
  };

  return {
    list: (userId) =>
      send(async () => {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: memoriesKey(userId), ConsistentRead: true }),
        );
        const stored = (Item?.memories ?? {}) as Record<string, StoredMemory>;
        return Object.entries(stored)
          .map(([memoryId, memory]) => ({ memoryId, text: memory.text, createdAt: memory.createdAt }))
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.memoryId.localeCompare(b.memoryId));
      }),

    add: (userId, memory, cap) =>
      send(async () => {
        const { memoryId, ...stored } = memory;
        // A nested SET needs the map to exist; the first memory creates it. Racing creators retry once more.
        for (let attempt = 1; ; attempt++) {
          try {
            await client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: memoriesKey(userId),
                UpdateExpression: 'SET memories.#id = :memory',
                ConditionExpression: 'attribute_exists(memories) AND size(memories) < :cap',
                ExpressionAttributeNames: { '#id': memoryId },
                ExpressionAttributeValues: { ':memory': stored, ':cap': cap },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              }),
            );
            return;
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            if (error.Item?.memories !== undefined) throw new MemoryFullError(cap);
          }
          try {
            await client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: memoriesKey(userId),
                UpdateExpression: 'SET memories = :memories',
                ConditionExpression: 'attribute_not_exists(memories)',
                ExpressionAttributeValues: { ':memories': { [memoryId]: stored } },
              }),
            );
            return;
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException) || attempt >= 3) throw error;
          }
        }
      }),

    remove: (userId, memoryId) =>
      send(async () => {
        await client
          .send(
            new UpdateCommand({
              TableName: tableName,
              Key: memoriesKey(userId),
              UpdateExpression: 'REMOVE memories.#id',
              ConditionExpression: 'attribute_exists(memories)',
              ExpressionAttributeNames: { '#id': memoryId },
            }),
          )
          .catch((error: unknown) => {
            // No memories at all: nothing to delete.
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          });
      }),

    clear: (userId) =>
      send(async () => {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: memoriesKey(userId),
            UpdateExpression: 'REMOVE memories',
          }),
        );
      }),
  };
}
