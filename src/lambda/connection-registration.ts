import { createDynamoDbConnectionRegistry } from '../adapters/dynamodb/connection-registry.ts';
import type { Connection } from '../chat/handoff/handoff-ports.ts';
import { systemClock } from '../chat/ports.ts';
import type { ChatConfig } from '../config.ts';
import { createChatTable } from './chat-table.ts';
import { createLogger } from './observability.ts';

/** What `$connect` and `$disconnect` do with a signed-in connection (docs/decisions/0026). */
export interface ConnectionRegistration {
  connected(connection: Connection): Promise<void>;
  disconnected(connection: Connection): Promise<void>;
}

/**
 * Keeps the connection registry. A failed write never refuses or breaks the connection: it only means a
 * person's replies (or the live queue) reach that connection after a reconnect; the miss is logged.
 */
export function createConnectionRegistration(config: ChatConfig): ConnectionRegistration {
  const registry = createDynamoDbConnectionRegistry({ ...createChatTable(config), clock: systemClock });
  const logger = createLogger();
  const logged = (what: string) => (error: unknown) =>
    logger.warn('connection registry not updated', { what, error });
  return {
    connected: (connection) => registry.add(connection).catch(logged('connect')),
    disconnected: (connection) => registry.remove(connection).catch(logged('disconnect')),
  };
}
