import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type PutCommandInput, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TurnTooLargeError, VersionConflictError } from '../../chat/errors.ts';
import type { BranchChange, SessionStore, StoredBranch, StoredSession } from '../../chat/ports.ts';
import { branchKey, sessionKey } from './keys.ts';
import { LISTING_ATTRIBUTES, listingAttributesOf } from './session-listing.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/**
 * Sessions as one item each (`SESSION#<id>` / `STATE`): created empty to claim them for their owner, then
 * written with a version condition.
 */
export function createDynamoDbSessionStore(table: TableOptions): SessionStore {
  const { client, tableName } = table;
  return {
    async load(sessionId, options = {}) {
      try {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: sessionKey(sessionId), ConsistentRead: true }),
          storageCall(table, options.signal),
        );
        return Item ? toSession(Item) : undefined;
      } catch (error) {
        throw storageUnavailable(error);
      }
    },

    async create(session) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...sessionKey(session.sessionId), ...session },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
          storageCall(table),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw storageUnavailable(error);
      }
    },

    async save(session, expectedVersion, options = {}) {
      const put: PutCommandInput = {
        TableName: tableName,
        Item: { ...sessionKey(session.sessionId), ...session, ...listingAttributesOf(session) },
        // Version 0 is a session not stored yet, or claimed and still empty.
        ConditionExpression:
          expectedVersion === 0 ? 'attribute_not_exists(PK) OR #version = :expected' : '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      };
      try {
        const call = storageCall(table, options.signal);
        if (options.branch) {
          const TransactItems = branchWrites(tableName, session.sessionId, put, options.branch);
          await client.send(new TransactWriteCommand({ TransactItems }), call);
        } else {
          await client.send(new PutCommand(put), call);
        }
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException || isVersionCancelled(error)) {
          throw new VersionConflictError(session.sessionId, expectedVersion, error);
        }
        if (isItemTooLarge(error)) throw new TurnTooLargeError(error);
        throw storageUnavailable(error);
      }
    },

    async loadBranch(sessionId, turnId) {
      try {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: branchKey(sessionId, turnId), ConsistentRead: true }),
          storageCall(table),
        );
        if (!Item) return undefined;
        const { PK: _pk, SK: _sk, ...branch } = Item;
        return branch as StoredBranch;
      } catch (error) {
        throw storageUnavailable(error);
      }
    },
  };
}

/**
 * A save that leaves a branch: the session (on its version), the branch left and the deletion of the one taken
 * up, in one transaction, so a branch is never both in the window and stored, or in neither.
 */
function branchWrites(tableName: string, sessionId: string, put: PutCommandInput, change: BranchChange) {
  const { leave, takeUp } = change;
  return [
    { Put: put },
    { Put: { TableName: tableName, Item: { ...branchKey(sessionId, leave.turnId), ...leave } } },
    ...(takeUp && takeUp !== leave.turnId
      ? [{ Delete: { TableName: tableName, Key: branchKey(sessionId, takeUp) } }]
      : []),
  ];
}

/** A transaction refused because the session's version condition failed (the first write's). */
function isVersionCancelled(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
  );
}

/** DynamoDB refuses an item over 400 KB with a ValidationException; retrying can never help. */
function isItemTooLarge(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationException' &&
    /item size has exceeded/i.test(error.message)
  );
}

function toSession(item: Record<string, unknown>): StoredSession {
  const { PK: _pk, SK: _sk, ...session } = item;
  for (const attribute of LISTING_ATTRIBUTES) delete session[attribute];
  return session as unknown as StoredSession;
}
