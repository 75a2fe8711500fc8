import { createDynamoDbStatsLedger } from '../adapters/dynamodb/stats-ledger.ts';
import type { StatsLedger } from '../analytics/stats-ledger.ts';
import type { ChatConfig } from '../config.ts';
import { type ChatTable, createChatTable } from './chat-table.ts';

/** The usage stats ledger in the chat table (docs/decisions/0020). */
export function createStatsLedger(
  config: ChatConfig,
  table: ChatTable = createChatTable(config),
): StatsLedger {
  return createDynamoDbStatsLedger({ ...table, retentionDays: config.statsRetentionDays });
}
