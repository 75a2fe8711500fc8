import type { Connection, ConnectionRegistry } from '../../chat/handoff/handoff-ports.ts';

/** Open connections in a Map; for unit tests. */
export function createMemoryConnectionRegistry(): ConnectionRegistry & {
  readonly connections: Map<string, Connection>;
} {
  const connections = new Map<string, Connection>();
  return {
    connections,
    async add(connection) {
      connections.set(connection.connectionId, { ...connection });
    },
    async remove(connection) {
      connections.delete(connection.connectionId);
    },
    async ofUser(userId) {
      return [...connections.values()].filter((connection) => connection.userId === userId);
    },
    async ofAgents() {
      return [...connections.values()].filter((connection) => connection.agent);
    },
  };
}
