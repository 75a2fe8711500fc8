import { createDynamoDbConnectionRegistry } from '../adapters/dynamodb/connection-registry.ts';
import type { Connection } from '../chat/handoff/handoff-ports.ts';
import { systemClock } from '../chat/ports.ts';
import type { ChatConfig } from '../config.ts';
import { AGENTS_GROUP } from '../protocol/handoff-frames.ts';
import { createChatTable } from './chat-table.ts';
import { createLogger } from './observability.ts';

/** What the routes do with a signed-in connection (docs/decisions/0026). */
export interface ConnectionRegistration {
  /** The caller's connection enters the registry (a history asked for, a handoff action). */
  connected(connection: Connection): Promise<void>;
  /** `$disconnect`. */
  disconnected(connection: Connection): Promise<void>;
}

/**
 * Keeps the connection registry. A failed write never refuses or breaks the connection: it only means a
 * person's replies (or the live queue) reach that connection after a reconnect; the miss is logged.
 */
export function createConnectionRegistration(
  config: ChatConfig,
  table = createChatTable(config),
): ConnectionRegistration {
  const registry = createDynamoDbConnectionRegistry({ ...table, clock: systemClock });
  const logger = createLogger();
  const logged = (what: string) => (error: unknown) =>
    logger.warn('connection registry not updated', { what, error });
  return {
    connected: (connection) => registry.add(connection).catch(logged('connect')),
    disconnected: (connection) => registry.remove(connection).catch(logged('disconnect')),
  };
}

/** The caller of a route as a registry entry, when signed in. */
export function callerConnection(request: {
  connectionId: string;
  endpoint?: string;
  userId: string | undefined;
  groups: readonly string[];
}): Connection | undefined {
  if (request.userId === undefined) return undefined;
  return {
    connectionId: request.connectionId,
    userId: request.userId,
    agent: request.groups.includes(AGENTS_GROUP),
    ...(request.endpoint ? { endpoint: request.endpoint } : {}),
  };
}
