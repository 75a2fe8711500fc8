import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ClientLocation, createHttpHandler } from '../http-handler.ts';

/**
 * How long one DynamoDB call may take: each attempt is bounded (connection, then the whole request), at most
 * `maxAttempts` are made, and the call as a whole gives up after `budgetMs` (storage-call.ts). A call that
 * hangs would otherwise hold the Lambda until it dies (docs/decisions/0018).
 */
export interface StorageTimeouts {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  budgetMs: number;
}

export const DEFAULT_STORAGE_TIMEOUTS: StorageTimeouts = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 3,
  budgetMs: 5_000,
};

export function createDocumentClient(
  location: ClientLocation,
  timeouts: StorageTimeouts = DEFAULT_STORAGE_TIMEOUTS,
): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: location.region,
    endpoint: location.endpoint,
    requestHandler: createHttpHandler({
      connectionTimeoutMs: timeouts.connectionTimeoutMs,
      requestTimeoutMs: timeouts.requestTimeoutMs,
    }),
    maxAttempts: timeouts.maxAttempts,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
