import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../src/adapters/dynamodb/document-client.ts';
import { createDynamoDbMemoryStore } from '../../../src/adapters/dynamodb/memory-store.ts';
import { createDynamoDbRateLimiter } from '../../../src/adapters/dynamodb/rate-limiter.ts';
import { createDynamoDbResourceCatalog } from '../../../src/adapters/dynamodb/resource-catalog.ts';
import { createDynamoDbSessionStore } from '../../../src/adapters/dynamodb/session-store.ts';
import { createDynamoDbStopRequests } from '../../../src/adapters/dynamodb/stop-requests.ts';
import { createDynamoDbUsageLedger } from '../../../src/adapters/dynamodb/usage-ledger.ts';
import { StorageUnavailableError } from '../../../src/chat/errors.ts';
import { describeStorageContract } from '../../support/storage-contract.ts';

const stack = inject('stack');
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
const client = createDocumentClient({ region: stack.region, endpoint: stack.dynamodbEndpoint });
afterAll(() => client.destroy());
const table = { client, tableName: stack.tableName };

describeStorageContract('DynamoDB storage (DynamoDB Local)', ({ clock, rateLimitPerMinute }) => ({
  sessions: createDynamoDbSessionStore(table),
  stopRequests: createDynamoDbStopRequests(table),
  usage: createDynamoDbUsageLedger(table),
  rateLimiter: createDynamoDbRateLimiter({ ...table, limitPerMinute: rateLimitPerMinute, clock }),
  memories: createDynamoDbMemoryStore(table),
}));

describe('DynamoDB storage failures', () => {
  it('reports an unreachable database as STORAGE_UNAVAILABLE', async () => {
    const offline = createDocumentClient({ region: stack.region, endpoint: 'http://127.0.0.1:9' });
    await expect(
      createDynamoDbSessionStore({ client: offline, tableName: stack.tableName }).load('x'),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    offline.destroy();
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
