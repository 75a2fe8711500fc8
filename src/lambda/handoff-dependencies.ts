import { createDynamoDbConnectionRegistry } from '../adapters/dynamodb/connection-registry.ts';
import { createDynamoDbHandoffQueue } from '../adapters/dynamodb/handoff-queue.ts';
import { createDynamoDbSessionStore } from '../adapters/dynamodb/session-store.ts';
import { createBroadcast } from '../chat/handoff/broadcast.ts';
import type { HandoffDependencies } from '../chat/handoff/handoff-dependencies.ts';
import type { SendToConnection } from '../chat/handoff/handoff-ports.ts';
import { systemClock } from '../chat/ports.ts';
import type { ChatConfig } from '../config.ts';
import { type ChatTable, createChatTable } from './chat-table.ts';
import { createHandoffObserver } from './handoff-observer.ts';
import { type Observability, recordPushFailure } from './observability.ts';
import { createStatsLedger } from './stats-dependencies.ts';

/**
 * The handoff's adapters, built once per container; the frames to other connections go through the request's
 * API (its management endpoint comes with each event on AWS), so the dependencies are completed per request.
 */
export function createHandoffDependencies(
  config: ChatConfig,
  table: ChatTable,
  observability: Observability,
): (send: SendToConnection) => HandoffDependencies {
  const clock = systemClock;
  const queue = createDynamoDbHandoffQueue({ ...table, clock });
  const registry = createDynamoDbConnectionRegistry({ ...table, clock });
  const sessions = createDynamoDbSessionStore(table);
  const observer = createHandoffObserver(observability, createStatsLedger(config, table));
  return (send) => ({
    queue,
    sessions,
    clock,
    settings: config.turn,
    observer,
    broadcast: createBroadcast({
      registry,
      send,
      onPushFailed: (error) => recordPushFailure(observability, error),
    }),
  });
}

/** The handoff queue alone, for a route that only reads it (getHistory). */
export function createHandoffQueue(config: ChatConfig, table: ChatTable = createChatTable(config)) {
  return createDynamoDbHandoffQueue({ ...table, clock: systemClock });
}
