import type { ServerFrame } from '../../protocol/server-frame.ts';
import { ClientGoneError } from '../errors.ts';
import type { Connection, ConnectionRegistry, SendToConnection } from './handoff-ports.ts';

/** Frames for every open connection of a user (all their tabs), or of every agent. */
export interface Broadcast {
  /** Sends to each of the user's open connections; returns how many got it. */
  toUser(userId: string, frame: ServerFrame): Promise<number>;
  toAgents(frame: ServerFrame): Promise<number>;
}

/**
 * Sends through the connection registry. A connection API Gateway says is gone (410) is dropped from the
 * registry at once (its $disconnect may never have run); any other failure is reported and the rest still
 * get the frame.
 */
export function createBroadcast(deps: {
  registry: ConnectionRegistry;
  send: SendToConnection;
  onPushFailed?: (error: unknown) => void;
}): Broadcast {
  const sendAll = async (connections: Connection[], frame: ServerFrame) => {
    const sent = await Promise.all(
      connections.map(async (connection) => {
        try {
          await deps.send(connection.connectionId, frame, connection.endpoint);
          return 1;
        } catch (error) {
          if (error instanceof ClientGoneError) await deps.registry.remove(connection).catch(() => undefined);
          else deps.onPushFailed?.(error);
          return 0;
        }
      }),
    );
    return sent.reduce<number>((sum, one) => sum + one, 0);
  };
  return {
    toUser: async (userId, frame) => sendAll(await deps.registry.ofUser(userId), frame),
    toAgents: async (frame) => sendAll(await deps.registry.ofAgents(), frame),
  };
}
