import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';

/** One replica of the simulated global table: a region's own DynamoDB Local. */
export interface Replica {
  region: string;
  endpoint: string;
  tableName: string;
}

/** A write's place in last-writer-wins order: when the replicator saw it, then the region, then arrival. */
interface Stamp {
  at: number;
  region: string;
  seq: number;
}

type Image = Record<string, AttributeValue> | undefined;

interface Delivery {
  key: string;
  keys: Record<string, AttributeValue>;
  image: Image;
  stamp: Stamp;
  dueAt: number;
}

export interface ReplicatorStats {
  /** Item writes made in one region and read from its stream. */
  writes: number;
  /** Writes copied into another region. */
  applied: number;
  /** Writes a region dropped because it held another region's later write of the same item (last writer wins). */
  dropped: number;
  /** `dropped` by the kind of item (itemKindOf): which items two regions wrote. */
  droppedByKind: Record<string, number>;
}

export interface Replicator {
  /** Stops copying between two regions (both ways) until `heal`. */
  partition(a: string, b: string): void;
  heal(a: string, b: string): void;
  /** Cuts a region off from every other region (a region outage, as replication sees it). */
  isolate(region: string): void;
  rejoin(region: string): void;
  /** Resolves once every region holds the same item versions: streams drained, nothing left to copy. */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  readonly stats: ReplicatorStats;
  stop(): Promise<void>;
}

const POLL_MS = 25;
/** How long every stream must have shown nothing before `settle` believes replication has caught up. */
const SETTLE_QUIET_MS = 1_000;

/**
 * Copies changes between the replicas the way a DynamoDB global table in its default mode (multi-Region
 * eventual consistency) does: each replica's stream is read, every changed item is written to the other
 * replicas after `lagMs`, and when two regions changed one item, the later write wins everywhere and the
 * other is dropped. Writes are ordered by when the replicator read them (within a poll of 25 ms), as a stand-in
 * for the write timestamp AWS keeps per item.
 *
 * A replica's own writes come back on its stream; they are recognised and not copied again. After every copy,
 * a replica that does not hold the winning version of an item is given it again, so the replicas converge even
 * when a local write races a copy.
 */
export async function startReplicator(options: {
  replicas: Replica[];
  lagMs: number;
  onEvent?: (line: string) => void;
}): Promise<Replicator> {
  const { lagMs } = options;
  const stats: ReplicatorStats = { writes: 0, applied: 0, dropped: 0, droppedByKind: {} };
  const countDrop = (keys: Record<string, AttributeValue>) => {
    stats.dropped++;
    const kind = itemKindOf(keys);
    stats.droppedByKind[kind] = (stats.droppedByKind[kind] ?? 0) + 1;
  };
  const cut = new Set<string>();
  const link = (a: string, b: string) => [a, b].sort().join('|');
  const isCut = (a: string, b: string) => cut.has(link(a, b));
  let seq = 0;
  let stopped = false;

  const regions = await Promise.all(options.replicas.map((replica) => openReplica(replica)));
  /** The winning version of every item seen, and the version each region holds. */
  const winners = new Map<string, { stamp: Stamp; image: Image }>();
  const held = new Map<string, Map<string, Stamp>>(regions.map((r) => [r.region, new Map()]));

  const later = (a: Stamp, b: Stamp) =>
    a.at !== b.at ? a.at > b.at : a.region !== b.region ? a.region > b.region : a.seq > b.seq;

  const enqueue = (target: OpenReplica, delivery: Delivery) => {
    target.queue.push(delivery);
  };

  const observe = (origin: OpenReplica, record: StreamRecord) => {
    const keys = record.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
    if (!keys) return;
    const key = keyOf(keys);
    const image = record.dynamodb?.NewImage as Image;
    const fingerprint = fingerprintOf(key, image);
    const echo = origin.echoes.get(fingerprint);
    if (echo) {
      // A copy this replicator wrote: the region now holds that version.
      origin.echoes.delete(fingerprint);
      held.get(origin.region)?.set(key, echo);
      const winner = winners.get(key);
      if (winner && later(winner.stamp, echo)) {
        // The copy landed before the region's own later write was read from its stream: the copy loses.
        if (winner.stamp.region !== echo.region) countDrop(keys);
        enqueue(origin, { key, keys, image: winner.image, stamp: winner.stamp, dueAt: Date.now() });
      }
      return;
    }
    stats.writes++;
    const stamp: Stamp = { at: Date.now(), region: origin.region, seq: seq++ };
    held.get(origin.region)?.set(key, stamp);
    const winner = winners.get(key);
    if (!winner || later(stamp, winner.stamp)) winners.set(key, { stamp, image });
    for (const target of regions) {
      if (target !== origin) enqueue(target, { key, keys, image, stamp, dueAt: stamp.at + lagMs });
    }
  };

  const deliver = async (target: OpenReplica) => {
    const now = Date.now();
    const queue = target.queue.splice(0);
    const waiting: Delivery[] = [];
    try {
      while (queue.length > 0) {
        const delivery = queue.shift() as Delivery;
        if (delivery.dueAt > now || isCut(delivery.stamp.region, target.region)) {
          waiting.push(delivery);
          continue;
        }
        const current = held.get(target.region)?.get(delivery.key);
        if (current && !later(delivery.stamp, current)) {
          // An older write of the same region arriving after a newer one (held back by a partition) is
          // superseded, not lost to another region: only a conflict between regions counts as a drop.
          if (current.region !== delivery.stamp.region) {
            countDrop(delivery.keys);
            options.onEvent?.(
              `${target.region} keeps its later write of ${delivery.key}; ${delivery.stamp.region}'s is dropped`,
            );
          }
          continue;
        }
        try {
          await write(target, delivery);
        } catch (error) {
          waiting.push(delivery);
          throw error;
        }
      }
    } finally {
      target.queue.unshift(...waiting, ...queue);
    }
  };

  const write = async (target: OpenReplica, delivery: Delivery) => {
    const fingerprint = fingerprintOf(delivery.key, delivery.image);
    target.echoes.set(fingerprint, delivery.stamp);
    const { Attributes: before } = delivery.image
      ? await target.client.send(
          new PutItemCommand({ TableName: target.tableName, Item: delivery.image, ReturnValues: 'ALL_OLD' }),
        )
      : await target.client.send(
          new DeleteItemCommand({ TableName: target.tableName, Key: delivery.keys, ReturnValues: 'ALL_OLD' }),
        );
    // A write that changes nothing leaves no stream record (as on AWS), so no echo will come.
    if (fingerprintOf(delivery.key, before) === fingerprint) target.echoes.delete(fingerprint);
    held.get(target.region)?.set(delivery.key, delivery.stamp);
    stats.applied++;
  };

  // One loop reads every stream, then copies: copies never race each other.
  const loop = (async () => {
    while (!stopped) {
      for (const replica of regions) {
        try {
          const records = await replica.poll();
          for (const record of records) observe(replica, record);
          replica.quietPolls = records.length === 0 ? replica.quietPolls + 1 : 0;
          if (records.length > 0) replica.lastRecordAt = Date.now();
        } catch (error) {
          options.onEvent?.(`replicator: reading ${replica.region}: ${String(error)}`);
        }
      }
      for (const target of regions) {
        try {
          await deliver(target);
        } catch (error) {
          options.onEvent?.(`replicator: writing ${target.region}: ${String(error)}`);
        }
      }
      await sleep(POLL_MS);
    }
  })();

  return {
    stats,
    partition(a, b) {
      cut.add(link(a, b));
    },
    heal(a, b) {
      cut.delete(link(a, b));
    },
    isolate(region) {
      for (const other of regions) if (other.region !== region) cut.add(link(region, other.region));
    },
    rejoin(region) {
      for (const other of regions) if (other.region !== region) cut.delete(link(region, other.region));
    },
    async settle({ timeoutMs = 30_000 } = {}) {
      const started = Date.now();
      const deadline = started + timeoutMs;
      for (;;) {
        // A write's stream record can take a while to show up on a busy machine: the streams must also have
        // been quiet for a while since settle was called, not just for the last two polls.
        const quietFor = (r: OpenReplica) => Date.now() - Math.max(r.lastRecordAt, started);
        const pending = regions.some(
          (r) =>
            r.queue.some((d) => !isCut(d.stamp.region, r.region)) ||
            r.echoes.size > 0 ||
            r.quietPolls < 2 ||
            quietFor(r) < SETTLE_QUIET_MS,
        );
        if (!pending) return;
        if (Date.now() > deadline) throw new Error('The replicas did not converge in time');
        await sleep(POLL_MS);
      }
    },
    async stop() {
      stopped = true;
      await loop;
      for (const replica of regions) replica.close();
    },
  };
}

interface OpenReplica extends Replica {
  client: DynamoDBClient;
  queue: Delivery[];
  /** Copies written here and not yet seen on this replica's stream, by key and image. */
  echoes: Map<string, Stamp>;
  quietPolls: number;
  /** When this replica's stream last returned records (epoch ms). */
  lastRecordAt: number;
  poll(): Promise<StreamRecord[]>;
  close(): void;
}

/** Turns the replica's stream on (DynamoDB Local supports Streams; the stack's migrate leaves them off). */
export async function enableStream(replica: Replica): Promise<void> {
  const client = localClient(DynamoDBClient, replica.endpoint);
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: replica.tableName }));
    if (Table?.StreamSpecification?.StreamEnabled) return;
    await client.send(
      new UpdateTableCommand({
        TableName: replica.tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } finally {
    client.destroy();
  }
}

async function openReplica(replica: Replica): Promise<OpenReplica> {
  await enableStream(replica);
  const client = localClient(DynamoDBClient, replica.endpoint);
  const streams = localClient(DynamoDBStreamsClient, replica.endpoint);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: replica.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`No stream on ${replica.tableName} in ${replica.region}`);
  /** Open shard iterators by shard id; closed shards are replaced by their children on the next describe. */
  const iterators = new Map<string, string | undefined>();
  const finished = new Set<string>();

  const discoverShards = async () => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (iterators.has(shardId) || finished.has(shardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      iterators.set(shardId, ShardIterator);
    }
  };
  await discoverShards();

  return {
    ...replica,
    client,
    queue: [],
    echoes: new Map(),
    quietPolls: 0,
    lastRecordAt: 0,
    async poll() {
      const records: StreamRecord[] = [];
      let closed = false;
      for (const [shardId, iterator] of iterators) {
        if (!iterator) continue;
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
        else {
          iterators.delete(shardId);
          finished.add(shardId);
          closed = true;
        }
      }
      if (closed || iterators.size === 0) await discoverShards();
      return records;
    },
    close() {
      client.destroy();
      streams.destroy();
    },
  };
}

function localClient<T>(Client: new (config: object) => T, endpoint: string): T {
  return new Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
}

/** The item's key and content, independent of attribute order (a stream may list attributes in any order). */
function fingerprintOf(key: string, image: Image): string {
  return `${key}\u0000${JSON.stringify(canonical(image ?? null))}`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((name) => [name, canonical((value as Record<string, unknown>)[name])]),
    );
  }
  return value;
}

/**
 * What kind of item a key names, for the drop counts: a session partition's items by their sort key (`STATE`,
 * `TURN`), every other item by its partition (`USER`, `RATE`, `STATS`, `RESOURCE`).
 */
export function itemKindOf(keys: Record<string, AttributeValue>): string {
  const [partition = '?'] = String(keys.PK?.S ?? '').split('#');
  return partition === 'SESSION' ? (String(keys.SK?.S ?? '').split('#')[0] ?? '?') : partition;
}

function keyOf(keys: Record<string, AttributeValue>): string {
  return JSON.stringify(
    Object.keys(keys)
      .sort()
      .map((name) => [name, keys[name]]),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
