import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError, VersionConflictError } from '../../chat/errors.ts';
import type { SessionStore, StoredSession } from '../../chat/ports.ts';
import { sessionKey } from './keys.ts';

/** Sessions as one item each (`SESSION#<id>` / `STATE`), written with a version condition. */
export function createDynamoDbSessionStore(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SessionStore {
  const { client, tableName } = options;
  return {
    async load(sessionId) {
      try {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: sessionKey(sessionId), ConsistentRead: true }),
        );
        return Item ? toSession(Item) : undefined;
      } catch (error) {
        throw new StorageUnavailableError(error);
      }
    },

    async save(session, expectedVersion) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...sessionKey(session.sessionId), ...session },
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(PK)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          throw new VersionConflictError(session.sessionId, expectedVersion, error);
        }
        throw new StorageUnavailableError(error);
      }
    },
  };
}

function toSession(item: Record<string, unknown>): StoredSession {
  const { PK: _pk, SK: _sk, ...session } = item;
  return session as unknown as StoredSession;
}
