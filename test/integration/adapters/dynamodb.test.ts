import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../src/adapters/dynamodb/document-client.ts';
import { createDynamoDbResourceCatalog } from '../../../src/adapters/dynamodb/resource-catalog.ts';
import { createDynamoDbSessionStore } from '../../../src/adapters/dynamodb/session-store.ts';
import { createDynamoDbStopRequests } from '../../../src/adapters/dynamodb/stop-requests.ts';
import { StorageUnavailableError, VersionConflictError } from '../../../src/chat/errors.ts';
import type { StoredSession } from '../../../src/chat/ports.ts';

const stack = inject('stack');
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
const client = createDocumentClient({ region: stack.region, endpoint: stack.dynamodbEndpoint });
afterAll(() => client.destroy());
const table = { client, tableName: stack.tableName };

const session = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  sessionId: crypto.randomUUID(),
  ownerId: 'user-1',
  version: 1,
  turns: 1,
  messages: [
    { role: 'user', content: [{ text: 'What time is it?' }] },
    {
      role: 'assistant',
      content: [
        {
          toolUse: {
            toolUseId: 't1',
            name: 'current_time',
            input: { timeZone: 'UTC', nested: { list: [1, 'two', null] } },
          },
        },
      ],
    },
    {
      role: 'user',
      content: [
        {
          toolResult: {
            toolUseId: 't1',
            content: [{ json: { iso: '2026-11-24T12:00:00Z' } }],
            status: 'success',
          },
        },
      ],
    },
    { role: 'assistant', content: [{ text: 'Noon.' }] },
  ],
  usage: { inputTokens: 10, outputTokens: 3 },
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:00.000Z',
  expiresAt: 1_800_000_000,
  lastTurn: { turnId: 'turn-1', stopReason: 'end_turn', lastSeq: 4 },
  ...overrides,
});

describe('DynamoDB session store (DynamoDB Local)', () => {
  const store = createDynamoDbSessionStore(table);

  it('returns undefined for a session that was never saved', async () => {
    expect(await store.load(crypto.randomUUID())).toBeUndefined();
  });

  it('stores a session and reads it back unchanged, tool blocks included', async () => {
    const original = session();
    await store.save(original, 0);
    expect(await store.load(original.sessionId)).toEqual(original);
  });

  it('refuses a write based on a stale version', async () => {
    const first = session();
    await store.save(first, 0);
    await store.save({ ...first, version: 2 }, 1);

    await expect(store.save({ ...first, version: 2 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
    await expect(store.save({ ...first, version: 1 }, 0)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.load(first.sessionId))?.version).toBe(2);
  });

  it('reports an unreachable database as STORAGE_UNAVAILABLE', async () => {
    const offline = createDocumentClient({ region: stack.region, endpoint: 'http://127.0.0.1:9' });
    await expect(
      createDynamoDbSessionStore({ client: offline, tableName: stack.tableName }).load('x'),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    offline.destroy();
  });
});

describe('DynamoDB stop requests', () => {
  const stops = createDynamoDbStopRequests(table);

  it('finds a stop request for exactly the turn it names', async () => {
    const sessionId = crypto.randomUUID();
    await stops.request(sessionId, 'turn-a', { reason: 'cancelled', requestedAt: 1_700_000_000_123 });
    expect(await stops.find(sessionId, 'turn-a')).toEqual({
      reason: 'cancelled',
      requestedAt: 1_700_000_000_123,
    });
    expect(await stops.find(sessionId, 'turn-b')).toBeUndefined();
  });

  it('keeps stop requests beside the session item without touching it', async () => {
    const store = createDynamoDbSessionStore(table);
    const original = session();
    await store.save(original, 0);
    await stops.request(original.sessionId, 'turn-1', { reason: 'client_gone', requestedAt: Date.now() });
    expect(await store.load(original.sessionId)).toEqual(original);
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
