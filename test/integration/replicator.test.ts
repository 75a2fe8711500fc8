import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_TABLE_KEYS } from '../../infra/global-table.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { findFreePort } from '../../local/processes.ts';
import { type Replica, type Replicator, startReplicator } from '../../local/regions/replicator.ts';
import { createLocalDocumentClient } from '../../local/stack.ts';
import { createDynamoDbUsageLedger } from '../../src/adapters/dynamodb/usage-ledger.ts';
import { systemClock } from '../../src/chat/ports.ts';

/*
 * The regions simulation's replicator on its own: two DynamoDB Locals joined the way a global table in its
 * default mode joins its replicas (last writer wins per item, after a lag). The whole simulation, with the
 * chat's stacks on top, is in regions-simulation.test.ts.
 */
const TABLE = 'replicator-test';
const LAG_MS = 300;
const databases: DynamoDbLocal[] = [];
let replicas: Replica[] = [];
let replicator: Replicator;

beforeAll(async () => {
  for (const region of ['us-east-1', 'eu-west-1']) {
    const database = await startDynamoDbLocal({ port: await findFreePort(), timeoutMs: 180_000 });
    databases.push(database);
    const client = new DynamoDBClient({
      endpoint: database.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        ...CHAT_TABLE_KEYS,
      }),
    );
    client.destroy();
    replicas.push({ region, endpoint: database.endpoint, tableName: TABLE });
  }
  replicator = await startReplicator({ replicas, lagMs: LAG_MS });
}, 400_000);

afterAll(async () => {
  await replicator?.stop();
  for (const database of databases) await database.stop();
  replicas = [];
});

const documents = () => replicas.map((replica) => createLocalDocumentClient(replica.endpoint));
const read = async (client: ReturnType<typeof createLocalDocumentClient>, key: Record<string, string>) =>
  (await client.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }))).Item;

describe('the simulated global table', () => {
  it('copies a write to the other region after the lag, not before', async () => {
    const [east, west] = documents() as [
      ReturnType<typeof createLocalDocumentClient>,
      ReturnType<typeof createLocalDocumentClient>,
    ];
    const key = { PK: `T#${crypto.randomUUID()}`, SK: 'A' };
    await east.send(new PutCommand({ TableName: TABLE, Item: { ...key, value: 1 } }));

    await new Promise((resolve) => setTimeout(resolve, LAG_MS / 3));
    expect(await read(west, key)).toBeUndefined();
    await replicator.settle();
    expect(await read(west, key)).toMatchObject({ value: 1 });
    east.destroy();
    west.destroy();
  });

  it('keeps only the later of two writes of one item made in two regions at once, in both regions', async () => {
    const [east, west] = documents() as [
      ReturnType<typeof createLocalDocumentClient>,
      ReturnType<typeof createLocalDocumentClient>,
    ];
    const key = { PK: `T#${crypto.randomUUID()}`, SK: 'A' };
    const dropped = replicator.stats.dropped;
    await east.send(new PutCommand({ TableName: TABLE, Item: { ...key, from: 'east' } }));
    await west.send(new PutCommand({ TableName: TABLE, Item: { ...key, from: 'west' } }));
    await replicator.settle();

    const [inEast, inWest] = [await read(east, key), await read(west, key)];
    expect(inEast).toEqual(inWest);
    expect(replicator.stats.dropped).toBeGreaterThan(dropped);
    east.destroy();
    west.destroy();
  });

  it('copies nothing across a partition, and everything once it heals', async () => {
    const [east, west] = documents() as [
      ReturnType<typeof createLocalDocumentClient>,
      ReturnType<typeof createLocalDocumentClient>,
    ];
    const key = { PK: `T#${crypto.randomUUID()}`, SK: 'A' };
    replicator.partition('us-east-1', 'eu-west-1');
    await east.send(new PutCommand({ TableName: TABLE, Item: { ...key, value: 'during' } }));
    await new Promise((resolve) => setTimeout(resolve, LAG_MS * 2));
    expect(await read(west, key)).toBeUndefined();

    replicator.heal('us-east-1', 'eu-west-1');
    await replicator.settle();
    expect(await read(west, key)).toMatchObject({ value: 'during' });
    east.destroy();
    west.destroy();
  });

  it('loses usage increments two regions add to their own replicas, and none when both add at the write region', async () => {
    const [east, west] = documents() as [
      ReturnType<typeof createLocalDocumentClient>,
      ReturnType<typeof createLocalDocumentClient>,
    ];
    const delta = { turns: 1, inputTokens: 1, outputTokens: 1, costMicroUsd: 1 };
    const [naive, oneWriter] = [crypto.randomUUID(), crypto.randomUUID()];
    const ledger = (client: typeof east) =>
      createDynamoDbUsageLedger({ client, tableName: TABLE, clock: systemClock });
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        // Each region adds at its own replica: a global table in its default mode.
        ledger(east).record(naive, delta),
        ledger(west).record(naive, delta),
        // Both regions add at the write region's replica (decision 21).
        ledger(east).record(oneWriter, delta),
        ledger(east).record(oneWriter, delta),
      ]);
    }
    await replicator.settle();

    for (const client of [east, west]) {
      expect((await ledger(client).totals(naive)).turns).toBeLessThan(10);
      expect((await ledger(client).totals(oneWriter)).turns).toBe(10);
    }
    east.destroy();
    west.destroy();
  });
});
