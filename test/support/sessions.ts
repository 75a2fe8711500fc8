import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
