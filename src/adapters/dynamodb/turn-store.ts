import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StopRequest, StopRequestReason, StoredTurn, TurnStore } from '../../chat/ports.ts';
import { mayUseTurn } from '../../chat/turn-ownership.ts';
import { turnKey } from './keys.ts';
import { queryAll } from './query-all.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

const STOP_ATTRIBUTES = ['stopReason', 'stopRequestedAt', 'stopRunId', 'stopSeenSeq'] as const;

/**
 * Turns as small items (`SESSION#<id>` / `TURN#<turnId>`) beside their session: claimed with a conditional
 * put, their lease and stop requests changed with conditional updates, so they never touch (or conflict
 * with) the session item the turn is about to write. A stop request's attributes are flat, so one update can
 * copy the lease holder's `runId` into it.
 */
export function createDynamoDbTurnStore(
  table: TableOptions & {
    /** The region this Lambda runs in: a lease names its run's region (decision 21). */
    region: string;
  },
): TurnStore {
  const { client, tableName, region } = table;
  /** Runs a conditional write: false when its condition failed, a typed error when storage did. */
  const conditionally = async (write: () => Promise<unknown>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw storageUnavailable(error);
    }
  };
  const find = async (sessionId: string, turnId: string) => {
    try {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: turnKey(sessionId, turnId), ConsistentRead: true }),
        storageCall(table),
      );
      return Item ? toTurn(Item, region) : undefined;
    } catch (error) {
      throw storageUnavailable(error);
    }
  };

  /**
   * Whether `runId` holds the turn: after a refused conditional write, the SDK may have retried it after an
   * attempt that landed but whose answer was lost (a timeout), and the condition then failed on our own write.
   */
  const isHeldBy = async (sessionId: string, turnId: string, runId: string) =>
    (await find(sessionId, turnId))?.runId === runId;

  return {
    async leased(sessionId, nowMs) {
      const items = await queryAll(table, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :turn)',
        FilterExpression: 'leaseUntil > :now',
        ExpressionAttributeValues: { ':pk': turnKey(sessionId, '').PK, ':turn': 'TURN#', ':now': nowMs },
        ConsistentRead: true,
      });
      // Runs anywhere count here: a turn streaming in another region is still in progress.
      return items.map((item) => toTurn(item));
    },

    async claim(turn) {
      const claimed = await conditionally(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...turnKey(turn.sessionId, turn.turnId), ...withoutStop(turn), runRegion: region },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
          storageCall(table),
        ),
      );
      return claimed || (await isHeldBy(turn.sessionId, turn.turnId, turn.runId));
    },

    find,

    async takeOver(sessionId, turnId, fromRunId, lease) {
      const taken = await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: turnKey(sessionId, turnId),
            UpdateExpression: `SET runId = :runId, leaseUntil = :until, runRegion = :region REMOVE ${STOP_ATTRIBUTES.join(', ')}`,
            ConditionExpression: 'runId = :from',
            ExpressionAttributeValues: {
              ':runId': lease.runId,
              ':until': lease.leaseUntil,
              ':region': region,
              ':from': fromRunId,
            },
          }),
          storageCall(table),
        ),
      );
      return taken || (await isHeldBy(sessionId, turnId, lease.runId));
    },

    async release(sessionId, turnId, runId) {
      await conditionally(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: turnKey(sessionId, turnId),
            UpdateExpression: 'SET leaseUntil = :zero',
            ConditionExpression: 'runId = :runId',
            ExpressionAttributeValues: { ':zero': 0, ':runId': runId },
          }),
          storageCall(table),
        ),
      );
    },

    async discard(sessionId, turnId, runId) {
      await conditionally(() =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: turnKey(sessionId, turnId),
            ConditionExpression: 'runId = :runId',
            ExpressionAttributeValues: { ':runId': runId },
          }),
          storageCall(table),
        ),
      );
    },

    async requestStop(sessionId, turnId, ownerId, request) {
      const owner =
        ownerId === undefined
          ? 'attribute_not_exists(ownerId)'
          : '(attribute_not_exists(ownerId) OR ownerId = :owner)';
      const write = () =>
        conditionally(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: turnKey(sessionId, turnId),
              // The request names the run holding the lease now: a later run (a resume) is not stopped by it.
              UpdateExpression: `SET stopReason = :reason, stopRequestedAt = :at, stopRunId = runId${
                request.seenSeq === undefined ? ' REMOVE stopSeenSeq' : ', stopSeenSeq = :seen'
              }`,
              ConditionExpression: `attribute_exists(PK) AND ${owner}`,
              ExpressionAttributeValues: {
                ':reason': request.reason,
                ':at': request.requestedAt,
                ...(ownerId === undefined ? {} : { ':owner': ownerId }),
                ...(request.seenSeq === undefined ? {} : { ':seen': request.seenSeq }),
              },
            }),
            storageCall(table),
          ),
        );
      if (await write()) return 'requested';
      // Refused: no such turn, or someone else's. Nothing was written either way.
      const turn = await find(sessionId, turnId);
      if (!turn) return 'absent';
      if (!mayUseTurn(turn, ownerId)) return 'forbidden';
      // The turn was claimed between the two calls: it is the caller's, so ask again.
      return (await write()) ? 'requested' : 'absent';
    },

    async findStop(sessionId, turnId) {
      try {
        const { Item } = await client.send(
          new GetCommand({
            TableName: tableName,
            Key: turnKey(sessionId, turnId),
            // Consistent, so a stop is seen by the very next poll; the projection keeps the read at its minimum.
            ConsistentRead: true,
            ProjectionExpression: STOP_ATTRIBUTES.join(', '),
          }),
          storageCall(table),
        );
        return Item ? stopOf(Item) : undefined;
      } catch (error) {
        throw storageUnavailable(error);
      }
    },
  };
}

function withoutStop(turn: StoredTurn): Omit<StoredTurn, 'stop'> {
  const { stop: _stop, ...rest } = turn;
  return rest;
}

function stopOf(item: Record<string, unknown>): StopRequest | undefined {
  if (typeof item.stopReason !== 'string') return undefined;
  return {
    reason: item.stopReason as StopRequestReason,
    requestedAt: Number(item.stopRequestedAt),
    runId: String(item.stopRunId),
    ...(item.stopSeenSeq === undefined ? {} : { seenSeq: Number(item.stopSeenSeq) }),
  };
}

/**
 * The turn as a Lambda in `ownRegion` sees it: a lease held by a run in another region counts as released
 * (decision 21). That run cannot stream to a client asking here, which has left its region (the region failed,
 * or the client failed over), so a retry takes the turn over at once instead of waiting for a dead region's
 * Lambda deadline. If that region was only cut off, both runs finish; the first save holds the turn and the
 * other finds it stored (decision 18), so the turn is stored once.
 */
function toTurn(item: Record<string, unknown>, ownRegion?: string): StoredTurn {
  const stop = stopOf(item);
  const elsewhere =
    ownRegion !== undefined && typeof item.runRegion === 'string' && item.runRegion !== ownRegion;
  return {
    sessionId: String(item.sessionId),
    turnId: String(item.turnId),
    ...(typeof item.ownerId === 'string' ? { ownerId: item.ownerId } : {}),
    runId: String(item.runId),
    leaseUntil: elsewhere ? 0 : Number(item.leaseUntil),
    createdAt: Number(item.createdAt),
    expiresAt: Number(item.expiresAt),
    ...(stop ? { stop } : {}),
  };
}
