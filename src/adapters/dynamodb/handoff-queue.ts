import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  handoffMessageBytes,
  handoffMessagesBytes,
  MAX_HANDOFF_MESSAGE_BYTES,
} from '../../chat/handoff/handoff-bound.ts';
import type { HandoffQueue, StoredHandoff } from '../../chat/handoff/handoff-ports.ts';
import type { Clock } from '../../chat/ports.ts';
import type { HandoffEvent } from '../../protocol/handoff-frames.ts';
import {
  HANDOFF_ARCHIVE_PREFIX,
  HANDOFF_QUEUE_PARTITION,
  handoffArchiveKey,
  handoffKey,
  handoffQueueKey,
} from './keys.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/** The most queue entries one `list` reads (pages of DynamoDB's 1 MB); a longer queue shows its oldest. */
const MAX_LISTED = 500;

/**
 * Handoffs in the chat table (docs/decisions/0026). The open handoff is one item beside its session
 * (`SESSION#<id>` / `HANDOFF`, events and all); the queue is one partition (`HANDOFFS`) whose sort key starts
 * with the time it was queued, so listing it in order is one Query, never a scan. Every change of state
 * writes both in one transaction with a condition on the state it was read in; closing moves the handoff to
 * an archive item in the session (`HANDOFF#<queuedAt>`) and takes it off the queue.
 */
export function createDynamoDbHandoffQueue(table: TableOptions & { clock: Clock }): HandoffQueue {
  const { client, tableName, clock } = table;
  const transact = async (
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
  ) => {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: items }), storageCall(table));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return false;
      }
      throw storageUnavailable(error);
    }
  };
  const find = async (sessionId: string) => {
    try {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: handoffKey(sessionId), ConsistentRead: true }),
        storageCall(table),
      );
      const handoff = Item ? toHandoff(Item) : undefined;
      return handoff && !isExpired(handoff, clock.now()) ? handoff : undefined;
    } catch (error) {
      throw storageUnavailable(error);
    }
  };

  return {
    async open(handoff) {
      const { events: _events, ...entry } = handoff;
      return transact([
        {
          Put: {
            TableName: tableName,
            Item: {
              ...handoffKey(handoff.sessionId),
              ...handoff,
              messageBytes: handoffMessagesBytes(handoff.events),
            },
            // An expired one (DynamoDB deletes late) may be replaced.
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt <= :nowSeconds',
            ExpressionAttributeValues: { ':nowSeconds': Math.floor(clock.now() / 1000) },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...handoffQueueKey(handoff.queuedAt, handoff.sessionId), ...entry },
          },
        },
      ]);
    },

    find,

    async list() {
      const handoffs: StoredHandoff[] = [];
      let start: QueryCommandOutput['LastEvaluatedKey'];
      try {
        do {
          const page = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'PK = :queue',
              ExpressionAttributeValues: { ':queue': HANDOFF_QUEUE_PARTITION },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
            storageCall(table),
          );
          for (const item of page.Items ?? []) handoffs.push(toHandoff({ ...item, events: [] }));
          start = page.LastEvaluatedKey;
        } while (start && handoffs.length < MAX_LISTED);
      } catch (error) {
        throw storageUnavailable(error);
      }
      const now = clock.now();
      return handoffs.filter((handoff) => !isExpired(handoff, now)).slice(0, MAX_LISTED);
    },

    async claim(sessionId, event) {
      const current = await find(sessionId);
      if (!current) return { outcome: 'absent' };
      if (current.status === 'claimed') {
        return current.agentId === event.by
          ? { outcome: 'claimed', handoff: current }
          : { outcome: 'taken', agentId: current.agentId ?? 'someone' };
      }
      const claimed = await transact([
        {
          Update: {
            TableName: tableName,
            Key: handoffKey(sessionId),
            UpdateExpression:
              'SET #status = :claimed, agentId = :agent, claimedAt = :at, events = list_append(events, :event)',
            ConditionExpression: '#status = :queued AND queuedAt = :queuedAt',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':claimed': 'claimed',
              ':queued': 'queued',
              ':agent': event.by,
              ':at': event.at,
              ':event': [event],
              ':queuedAt': current.queuedAt,
            },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: handoffQueueKey(current.queuedAt, sessionId),
            UpdateExpression: 'SET #status = :claimed, agentId = :agent, claimedAt = :at',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':claimed': 'claimed', ':agent': event.by, ':at': event.at },
          },
        },
      ]);
      if (claimed) {
        return {
          outcome: 'claimed',
          handoff: {
            ...current,
            status: 'claimed',
            agentId: event.by,
            claimedAt: event.at,
            events: [...current.events, event],
          },
        };
      }
      // Someone else was faster, or it closed meanwhile: say which.
      const now = await find(sessionId);
      if (!now) return { outcome: 'absent' };
      if (now.status === 'claimed' && now.agentId === event.by) return { outcome: 'claimed', handoff: now };
      return { outcome: 'taken', agentId: now.agentId ?? 'someone' };
    },

    async append(sessionId, event, agentId) {
      // A message counts against the handoff's bound (docs/decisions/0026), kept as a running total beside the
      // events so the condition can hold it: the write that would pass the bound does not happen. (An item
      // opened before the total existed starts counting at its next message.)
      const bytes = handoffMessageBytes(event);
      const conditions = ['attribute_exists(PK)'];
      if (agentId !== undefined) conditions.push('#status = :claimed AND agentId = :agent');
      if (bytes > 0) conditions.push('(attribute_not_exists(messageBytes) OR messageBytes <= :room)');
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: handoffKey(sessionId),
            UpdateExpression:
              bytes > 0
                ? 'SET events = list_append(events, :event), messageBytes = if_not_exists(messageBytes, :zero) + :bytes'
                : 'SET events = list_append(events, :event)',
            ConditionExpression: conditions.join(' AND '),
            ...(agentId === undefined ? {} : { ExpressionAttributeNames: { '#status': 'status' } }),
            ExpressionAttributeValues: {
              ':event': [event],
              ...(agentId === undefined ? {} : { ':claimed': 'claimed', ':agent': agentId }),
              ...(bytes > 0
                ? { ':zero': 0, ':bytes': bytes, ':room': MAX_HANDOFF_MESSAGE_BYTES - bytes }
                : {}),
            },
            ReturnValues: 'ALL_NEW',
          }),
          storageCall(table),
        );
        return Attributes ? toHandoff(Attributes) : undefined;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw storageUnavailable(error);
      }
    },

    async close(handoff, event) {
      return transact([
        {
          Delete: {
            TableName: tableName,
            Key: handoffKey(handoff.sessionId),
            // As it was read: nothing said or claimed since, so the archive holds every event.
            ConditionExpression: '#status = :status AND queuedAt = :queuedAt AND size(events) = :events',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': handoff.status,
              ':queuedAt': handoff.queuedAt,
              ':events': handoff.events.length,
            },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...handoffArchiveKey(handoff.sessionId, handoff.queuedAt),
              ...handoff,
              status: event.kind,
              closedAt: event.at,
              events: [...handoff.events, event],
            },
          },
        },
        { Delete: { TableName: tableName, Key: handoffQueueKey(handoff.queuedAt, handoff.sessionId) } },
      ]);
    },

    async lastClosedAt(sessionId) {
      try {
        // The archive's sort keys end with the zero-padded time it was queued: the newest is the first backwards.
        const { Items } = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :archive)',
            ExpressionAttributeValues: {
              ':pk': handoffKey(sessionId).PK,
              ':archive': HANDOFF_ARCHIVE_PREFIX,
            },
            ProjectionExpression: 'closedAt',
            ScanIndexForward: false,
            Limit: 1,
            ConsistentRead: true,
          }),
          storageCall(table),
        );
        const closedAt = Items?.[0]?.closedAt;
        return closedAt === undefined ? undefined : Number(closedAt);
      } catch (error) {
        throw storageUnavailable(error);
      }
    },

    async discard(handoff) {
      await transact([
        { Delete: { TableName: tableName, Key: handoffKey(handoff.sessionId) } },
        { Delete: { TableName: tableName, Key: handoffQueueKey(handoff.queuedAt, handoff.sessionId) } },
      ]);
    },
  };
}

function isExpired(handoff: StoredHandoff, nowMs: number): boolean {
  return handoff.expiresAt > 0 && handoff.expiresAt * 1000 <= nowMs;
}

function toHandoff(item: Record<string, unknown>): StoredHandoff {
  return {
    sessionId: String(item.sessionId),
    userId: String(item.userId),
    reason: String(item.reason),
    summary: String(item.summary),
    status: item.status === 'claimed' ? 'claimed' : 'queued',
    queuedAt: Number(item.queuedAt),
    ...(typeof item.agentId === 'string' ? { agentId: item.agentId } : {}),
    ...(item.claimedAt === undefined ? {} : { claimedAt: Number(item.claimedAt) }),
    events: Array.isArray(item.events) ? (item.events as HandoffEvent[]) : [],
    expiresAt: Number(item.expiresAt),
  };
}
