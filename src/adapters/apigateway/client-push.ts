import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { ClientGoneError } from '../../chat/errors.ts';
import type { ServerFrame } from '../../protocol/server-frame.ts';
import { createHttpHandler } from '../http-handler.ts';

/** Sends frames to any connection of one API; the route binds it to one connection as a Reply. */
export interface ClientPush {
  /** Sends one frame. Throws ClientGoneError when the connection no longer exists (410). */
  push(connectionId: string, frame: ServerFrame): Promise<void>;
}

/** PostToConnection as a ClientPush. A 410 (GoneException) becomes ClientGoneError. */
export function createManagementApiPush(client: ApiGatewayManagementApiClient): ClientPush {
  return {
    async push(connectionId, frame) {
      try {
        await client.send(
          new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(frame) }),
        );
      } catch (error) {
        if (
          error instanceof GoneException ||
          (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
        ) {
          throw new ClientGoneError(error);
        }
        throw error;
      }
    },
  };
}

/**
 * A PostToConnection answers in milliseconds; one that hangs would hold the turn (the first token's push is
 * awaited), so it fails instead, and the turn treats the client as gone.
 */
export const PUSH_TIMEOUT_MS = 5_000;

/**
 * One management client per API endpoint, built on first use and kept for the container's life. The endpoint
 * comes from the event on AWS, so it is not known when the module loads.
 */
export function createClientPushCache(
  region: string,
  options: { timeoutMs?: number } = {},
): (endpoint: string) => ClientPush {
  const byEndpoint = new Map<string, ClientPush>();
  return (endpoint) => {
    let push = byEndpoint.get(endpoint);
    if (!push) {
      push = createManagementApiPush(
        new ApiGatewayManagementApiClient({
          region,
          endpoint,
          requestHandler: createHttpHandler({ requestTimeoutMs: options.timeoutMs ?? PUSH_TIMEOUT_MS }),
          maxAttempts: 2,
        }),
      );
      byEndpoint.set(endpoint, push);
    }
    return push;
  };
}
