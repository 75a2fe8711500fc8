import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createLocalDocumentClient } from '../../local/stack.ts';
import type { StoredSession } from '../../src/chat/ports.ts';
import type { StackInfo } from './stack-info.ts';

/** Reads a session item straight from DynamoDB Local (what the handlers wrote). */
export async function readSessionItem(
  stack: StackInfo,
  sessionId: string,
): Promise<(StoredSession & Record<string, unknown>) | undefined> {
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  try {
    const { Item } = await client.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: { PK: `SESSION#${sessionId}`, SK: 'STATE' },
        ConsistentRead: true,
      }),
    );
    return Item as (StoredSession & Record<string, unknown>) | undefined;
  } finally {
    client.destroy();
  }
}

/** Writes a session item directly, to set up histories the handlers would not produce themselves. */
export async function writeSessionItem(stack: StackInfo, session: StoredSession): Promise<void> {
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  try {
    await client.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { PK: `SESSION#${session.sessionId}`, SK: 'STATE', ...session },
      }),
    );
  } finally {
    client.destroy();
  }
}

/** Every item of a session's partition (its state and its turns), straight from DynamoDB Local. */
export async function readSessionPartition(
  stack: StackInfo,
  sessionId: string,
): Promise<Array<Record<string, unknown>>> {
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  try {
    const { Items } = await client.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `SESSION#${sessionId}` },
        ConsistentRead: true,
      }),
    );
    return Items ?? [];
  } finally {
    client.destroy();
  }
}

/** A turn's item (owner, lease, stop request), or undefined. */
export async function readTurnItem(
  stack: StackInfo,
  sessionId: string,
  turnId: string,
): Promise<Record<string, unknown> | undefined> {
  const items = await readSessionPartition(stack, sessionId);
  return items.find((item) => item.SK === `TURN#${turnId}`);
}

/** The turns (and model-calling resumes) the rate limiter counted for `key`, over every minute window kept. */
export async function countedTurns(stack: StackInfo, key: string): Promise<number> {
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  try {
    const { Items } = await client.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `RATE#${key}` },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).reduce((sum, item) => sum + Number(item.count ?? 0), 0);
  } finally {
    client.destroy();
  }
}
