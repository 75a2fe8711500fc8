import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import type { ChatConfig } from '../config.ts';

/**
 * The chat table and one DynamoDB client for it, which a route's stores share. With several regions every
 * region's Lambdas use the write region's replica, so conditions and transactions hold across regions
 * (docs/decisions/0021).
 */
export interface ChatTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** How long one storage call may take in all, retries included (docs/decisions/0018). */
  budgetMs: number;
}

export function createChatTable(config: ChatConfig): ChatTable {
  const client = createDocumentClient(
    { region: config.tableRegion, endpoint: config.endpoints.dynamodb },
    config.storage,
  );
  return { client, tableName: config.tableName, budgetMs: config.storage.budgetMs };
}
