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

/**
 * Every item of a partition (those whose sort key starts with `skPrefix`, if given), read consistently, straight
 * from DynamoDB Local.
 */
export async function readPartition(
  stack: StackInfo,
  pk: string,
  skPrefix?: string,
): Promise<Array<Record<string, unknown>>> {
  const client = createLocalDocumentClient(stack.dynamodbEndpoint);
  try {
    const { Items } = await client.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: skPrefix === undefined ? 'PK = :pk' : 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ...(skPrefix === undefined ? {} : { ':prefix': skPrefix }) },
        ConsistentRead: true,
      }),
    );
    return Items ?? [];
  } finally {
    client.destroy();
  }
}

/** Every item of a session's partition (its state and its turns). */
export function readSessionPartition(
  stack: StackInfo,
  sessionId: string,
): Promise<Array<Record<string, unknown>>> {
  return readPartition(stack, `SESSION#${sessionId}`);
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
  const items = await readPartition(stack, `RATE#${key}`);
  return items.reduce((sum, item) => sum + Number(item.count ?? 0), 0);
}
