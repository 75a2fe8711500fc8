import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Connection, ConnectionRegistry } from '../../chat/handoff/handoff-ports.ts';
import type { Clock } from '../../chat/ports.ts';
import { AGENT_CONNECTIONS_PARTITION, agentConnectionKey, userConnectionKey } from './keys.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/**
 * API Gateway closes a WebSocket after 2 hours whatever happens: a connection item outlives that a little, so
 * one whose $disconnect never ran goes away on its own (and is ignored once expired, as DynamoDB deletes late).
 */
export const CONNECTION_TTL_SECONDS = 2 * 3600 + 600;

/**
 * Open connections in the chat table (docs/decisions/0026): `USER#<id>` / `CONNECTION#<connectionId>` for
 * every signed-in connection, and `AGENTS` / `CONNECTION#<connectionId>` for agents' too, so a user's tabs
 * and all agents are each one Query.
 */
export function createDynamoDbConnectionRegistry(table: TableOptions & { clock: Clock }): ConnectionRegistry {
  const { client, tableName, clock } = table;
  const query = async (partition: string): Promise<Connection[]> => {
    try {
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :connection)',
          ExpressionAttributeValues: { ':pk': partition, ':connection': 'CONNECTION#' },
        }),
        storageCall(table),
      );
      const nowSeconds = clock.now() / 1000;
      return (Items ?? [])
        .filter((item) => Number(item.expiresAt) > nowSeconds)
        .map((item) => ({
          connectionId: String(item.connectionId),
          userId: String(item.userId),
          agent: item.agent === true,
          ...(typeof item.endpoint === 'string' ? { endpoint: item.endpoint } : {}),
        }));
    } catch (error) {
      throw storageUnavailable(error);
    }
  };
  const send = async (command: PutCommand | DeleteCommand) => {
    try {
      // Either command; the document client's overloads take one command type at a time.
      await client.send(command as PutCommand, storageCall(table));
    } catch (error) {
      throw storageUnavailable(error);
    }
  };
  return {
    async add(connection) {
      const item = { ...connection, expiresAt: Math.floor(clock.now() / 1000) + CONNECTION_TTL_SECONDS };
      await Promise.all([
        send(
          new PutCommand({
            TableName: tableName,
            Item: { ...userConnectionKey(connection.userId, connection.connectionId), ...item },
          }),
        ),
        connection.agent
          ? send(
              new PutCommand({
                TableName: tableName,
                Item: { ...agentConnectionKey(connection.connectionId), ...item },
              }),
            )
          : undefined,
      ]);
    },
    async remove(connection) {
      await Promise.all([
        send(
          new DeleteCommand({
            TableName: tableName,
            Key: userConnectionKey(connection.userId, connection.connectionId),
          }),
        ),
        connection.agent
          ? send(
              new DeleteCommand({ TableName: tableName, Key: agentConnectionKey(connection.connectionId) }),
            )
          : undefined,
      ]);
    },
    ofUser: (userId) => query(`USER#${userId}`),
    ofAgents: () => query(AGENT_CONNECTIONS_PARTITION),
  };
}
