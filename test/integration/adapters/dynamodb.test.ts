import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../src/adapters/dynamodb/document-client.ts';
import { createDynamoDbMemoryStore } from '../../../src/adapters/dynamodb/memory-store.ts';
import { createDynamoDbRateLimiter } from '../../../src/adapters/dynamodb/rate-limiter.ts';
import { createDynamoDbResourceCatalog } from '../../../src/adapters/dynamodb/resource-catalog.ts';
import { createDynamoDbSessionStore } from '../../../src/adapters/dynamodb/session-store.ts';
import { createDynamoDbTurnStore } from '../../../src/adapters/dynamodb/turn-store.ts';
import { createDynamoDbUsageLedger } from '../../../src/adapters/dynamodb/usage-ledger.ts';
import { StorageUnavailableError, TurnTooLargeError } from '../../../src/chat/errors.ts';
import { createSession } from '../../../src/chat/session.ts';
import { describeStorageContract } from '../../support/storage-contract.ts';

const stack = inject('stack');
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
const client = createDocumentClient({ region: stack.region, endpoint: stack.dynamodbEndpoint });
afterAll(() => client.destroy());
const table = { client, tableName: stack.tableName };

describeStorageContract('DynamoDB storage (DynamoDB Local)', ({ clock, rateLimitPerMinute }) => ({
  sessions: createDynamoDbSessionStore(table),
  turns: createDynamoDbTurnStore({ ...table, region: 'us-east-1' }),
  usage: createDynamoDbUsageLedger({ ...table, clock }),
  rateLimiter: createDynamoDbRateLimiter({ ...table, limitPerMinute: rateLimitPerMinute, clock }),
  memories: createDynamoDbMemoryStore(table),
}));

describe('turn leases across regions (decision 21)', () => {
  it("finds a turn leased by another region's run released, so a retry there takes it over at once", async () => {
    const [eastTurns, westTurns] = [
      createDynamoDbTurnStore({ ...table, region: 'us-east-1' }),
      createDynamoDbTurnStore({ ...table, region: 'eu-west-1' }),
    ];
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const leaseUntil = Date.now() + 60_000;
    const turn = {
      sessionId,
      turnId,
      ownerId: 'alice',
      runId: 'run-east',
      leaseUntil,
      createdAt: 1,
      expiresAt: 2e9,
    };
    expect(await eastTurns.claim(turn)).toBe(true);

    expect(await eastTurns.find(sessionId, turnId)).toMatchObject({ runId: 'run-east', leaseUntil });
    expect(await westTurns.find(sessionId, turnId)).toMatchObject({ runId: 'run-east', leaseUntil: 0 });
    // Still a turn in progress for the session, wherever it runs (regenerate and edit wait for it).
    expect((await westTurns.leased(sessionId, Date.now())).map((t) => t.turnId)).toEqual([turnId]);
    expect(await westTurns.takeOver(sessionId, turnId, 'run-east', { runId: 'run-west', leaseUntil })).toBe(
      true,
    );
    // Now the lease is the west's, and it is the east that no longer counts it.
    expect(await westTurns.find(sessionId, turnId)).toMatchObject({ runId: 'run-west', leaseUntil });
    expect(await eastTurns.find(sessionId, turnId)).toMatchObject({ runId: 'run-west', leaseUntil: 0 });
  });
});

describe('DynamoDB storage failures', () => {
  it('reports an unreachable database as STORAGE_UNAVAILABLE', async () => {
    const offline = createDocumentClient({ region: stack.region, endpoint: 'http://127.0.0.1:9' });
    await expect(
      createDynamoDbSessionStore({ client: offline, tableName: stack.tableName }).load('x'),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    offline.destroy();
  });

  it('gives up on a database that accepts the connection and never answers, within the call budget', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const hanging = createDocumentClient(
      { region: stack.region, endpoint },
      { connectionTimeoutMs: 200, requestTimeoutMs: 10_000, maxAttempts: 3, budgetMs: 600 },
    );
    const started = performance.now();

    const failure = await createDynamoDbSessionStore({
      client: hanging,
      tableName: stack.tableName,
      budgetMs: 600,
    })
      .load('x')
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect(performance.now() - started).toBeLessThan(3_000);
    hanging.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('refuses a session over the 400 KB item limit as TURN_TOO_LARGE, which a retry cannot fix', async () => {
    const sessions = createDynamoDbSessionStore(table);
    const huge = {
      ...createSession(crypto.randomUUID(), 'user-1', Date.now()),
      version: 1,
      messages: [{ role: 'user' as const, content: [{ text: 'x'.repeat(410 * 1024) }] }],
    };

    const failure = await sessions.save(huge, 0).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TurnTooLargeError);
    expect(failure).toMatchObject({ code: 'TURN_TOO_LARGE', retryable: false });
  });
});

describe('DynamoDB resource catalogue (seeded from fixtures/resources.json)', () => {
  const catalog = createDynamoDbResourceCatalog(table);

  it('finds a seeded resource by any spelling of its name', async () => {
    expect(await catalog.find('Billing API')).toMatchObject({
      name: 'billing-api',
      owner: 'Payments team (#team-payments)',
    });
  });

  it('returns undefined for an unknown or empty name', async () => {
    expect(await catalog.find('warp drive')).toBeUndefined();
    expect(await catalog.find('!!!')).toBeUndefined();
  });
});
