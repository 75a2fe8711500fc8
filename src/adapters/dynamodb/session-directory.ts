import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SessionDirectory, SessionListQuery, SessionPage } from '../../chat/conversation-ports.ts';
import { InvalidCursorError } from '../../chat/errors.ts';
import type { SessionSummary } from '../../protocol/server-frame.ts';
import { sessionKey } from './keys.ts';
import { SESSIONS_BY_OWNER_INDEX } from './session-listing.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/** Index reads per page at most: a search that matches little stops here and hands out a cursor. */
const MAX_QUERIES_PER_PAGE = 5;
/** BatchWriteItem takes at most 25 requests. */
const BATCH_SIZE = 25;

/**
 * The list of conversations over the `SessionsByOwner` index (owner, last activity): a Query per page, newest
 * first, never a scan. Search and expiry are filters on the index's own attributes. Deleting reads the
 * session's partition (its state and turns) and deletes every item of it.
 */
export function createDynamoDbSessionDirectory(table: TableOptions): SessionDirectory {
  const { client, tableName } = table;
  /** One storage call within the table's budget; a failed condition passes through, anything else is typed. */
  const call = async <T>(run: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> => {
    try {
      return await run(storageCall(table));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw storageUnavailable(error);
    }
  };

  return {
    async list(ownerKey, query) {
      let startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, ownerKey);
      const sessions: SessionSummary[] = [];
      for (let round = 0; round < MAX_QUERIES_PER_PAGE; round++) {
        const remaining = query.limit - sessions.length;
        const page = await call((options) =>
          client.send(new QueryCommand(listQuery(tableName, ownerKey, query, remaining, startKey)), options),
        );
        sessions.push(...(page.Items ?? []).map(toSummary));
        startKey = page.LastEvaluatedKey;
        if (!startKey || sessions.length >= query.limit) break;
      }
      return { sessions, ...(startKey ? { cursor: encodeCursor(startKey) } : {}) } satisfies SessionPage;
    },

    async setTitle(sessionId, ownerId, title, options = {}) {
      const conditions = ['attribute_exists(PK)', ownerCondition(ownerId)];
      if (options.onlyIfUntitled) conditions.push('attribute_not_exists(title)');
      try {
        await call((options) =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: sessionKey(sessionId),
              UpdateExpression: 'SET title = :title, titleSearch = :search ADD #version :one',
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: {
                ':title': title,
                ':search': title.toLowerCase(),
                ':one': 1,
                ...(ownerId === undefined ? {} : { ':owner': ownerId }),
              },
            }),
            options,
          ),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async deleteAll(sessionId, ownerId) {
      // The state first, on the owner's condition: from then on the session is gone for every reader.
      try {
        await call((options) =>
          client.send(
            new DeleteCommand({
              TableName: tableName,
              Key: sessionKey(sessionId),
              ConditionExpression: `attribute_not_exists(PK) OR ${ownerCondition(ownerId)}`,
              ...(ownerId === undefined ? {} : { ExpressionAttributeValues: { ':owner': ownerId } }),
            }),
            options,
          ),
        );
      } catch (error) {
        // Claimed by someone else between the caller's check and here: not theirs to delete.
        if (error instanceof ConditionalCheckFailedException) return;
        throw error;
      }
      // Then the rest of the partition: turns (with their feedback and stop mailboxes) and anything else.
      let startKey: Record<string, unknown> | undefined;
      do {
        const current = startKey;
        const page = await call((options) =>
          client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': sessionKey(sessionId).PK },
              ProjectionExpression: 'PK, SK, ownerId',
              ConsistentRead: true,
              ExclusiveStartKey: current,
            }),
            options,
          ),
        );
        // A stranger naming a session whose state is gone deletes nothing of its owner's.
        const keys = (page.Items ?? []).filter(
          (item) => item.ownerId === undefined || item.ownerId === ownerId,
        );
        for (let start = 0; start < keys.length; start += BATCH_SIZE) {
          await deleteBatch(keys.slice(start, start + BATCH_SIZE));
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    },
  };

  async function deleteBatch(keys: Record<string, unknown>[]): Promise<void> {
    let requests: unknown[] = keys.map((key) => ({ DeleteRequest: { Key: { PK: key.PK, SK: key.SK } } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt === 5) throw storageUnavailable(new Error('DynamoDB left deletes unprocessed'));
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const batch = requests;
      const result = await call((options) =>
        client.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch as never } }), options),
      );
      requests = result.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

function ownerCondition(ownerId: string | undefined): string {
  return ownerId === undefined ? 'attribute_not_exists(ownerId)' : 'ownerId = :owner';
}

function listQuery(
  tableName: string,
  ownerKey: string,
  query: SessionListQuery,
  limit: number,
  startKey: Record<string, unknown> | undefined,
): QueryCommandInput {
  const filters = ['expiresAt > :now'];
  if (query.query) filters.push('(contains(titleSearch, :q) OR contains(searchText, :q))');
  return {
    TableName: tableName,
    IndexName: SESSIONS_BY_OWNER_INDEX,
    KeyConditionExpression: 'ownerKey = :owner',
    FilterExpression: filters.join(' AND '),
    ExpressionAttributeValues: {
      ':owner': ownerKey,
      ':now': Math.floor(query.nowMs / 1000),
      ...(query.query ? { ':q': query.query } : {}),
    },
    ProjectionExpression: 'sessionId, title, turns, createdAt, updatedAt',
    ScanIndexForward: false,
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}

function toSummary(item: Record<string, unknown>): SessionSummary {
  return {
    sessionId: String(item.sessionId),
    ...(typeof item.title === 'string' ? { title: item.title } : {}),
    turns: Number(item.turns ?? 0),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

/** A page's last key, opaque to the client. */
function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor holds, only if it is a key of this owner's listing (a cursor is no way into another's). */
function decodeCursor(cursor: string, ownerKey: string): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.keys(key).length === 4 &&
    (key as Record<string, unknown>).ownerKey === ownerKey &&
    typeof (key as Record<string, unknown>).activityAt === 'string' &&
    /^SESSION#[0-9a-f-]{36}$/.test(String((key as Record<string, unknown>).PK)) &&
    (key as Record<string, unknown>).SK === 'STATE';
  if (!valid) throw new InvalidCursorError();
  return key as Record<string, unknown>;
}
