import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackStore, StoredFeedback } from '../../chat/conversation-ports.ts';
import { sessionKey, turnKey } from './keys.ts';
import { queryAll } from './query-all.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/**
 * Feedback as an attribute of its turn's item (`SESSION#<id>` / `TURN#<turnId>`, decision 18): stored with
 * the turn, deleted with the session, and read for a history with one Query of the session's turns.
 */
export function createDynamoDbFeedbackStore(table: TableOptions): FeedbackStore {
  const { client, tableName } = table;
  return {
    async record(sessionId, turnId, feedback) {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: turnKey(sessionId, turnId),
            UpdateExpression: 'SET feedback = :feedback',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':feedback': feedback },
            // The rating it replaces, so the usage figures move a count instead of adding one.
            ReturnValues: 'UPDATED_OLD',
          }),
          storageCall(table),
        );
        const replaced = Attributes?.feedback as StoredFeedback | undefined;
        return replaced ? { replaced } : {};
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'absent';
        throw storageUnavailable(error);
      }
    },

    async forSession(sessionId) {
      const items = await queryAll(table, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :turn)',
        FilterExpression: 'attribute_exists(feedback)',
        ProjectionExpression: 'turnId, feedback',
        ExpressionAttributeValues: { ':pk': sessionKey(sessionId).PK, ':turn': 'TURN#' },
      });
      return new Map(items.map((item) => [String(item.turnId), item.feedback as StoredFeedback]));
    },
  };
}
