import {
  ApiGatewayManagementApiClient,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { ClientGoneError } from '../../chat/errors.ts';
import { MAX_SERVER_MESSAGE_BYTES, type ServerFrame } from '../../protocol/server-frame.ts';
import { utf8Length } from '../../protocol/utf8-length.ts';
import { createHttpHandler } from '../http-handler.ts';

/** Sends frames to any connection of one API; the route binds it to one connection as a Reply. */
export interface ClientPush {
  /**
   * Sends one frame. Throws ClientGoneError when the connection no longer exists (410), FrameTooLargeError when
   * the frame is over API Gateway's message limit.
   */
  push(connectionId: string, frame: ServerFrame): Promise<void>;
}

/** A frame over API Gateway's 128 KB message limit: it was not sent (AWS answers 413). */
export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
  constructor(
    readonly bytes: number,
    cause?: unknown,
  ) {
    super(`A ${bytes}-byte frame is over API Gateway's ${MAX_SERVER_MESSAGE_BYTES}-byte message limit`, {
      cause,
    });
  }
}

/**
 * PostToConnection as a ClientPush. A 410 (GoneException) becomes ClientGoneError. A frame over the 128 KB
 * message limit is refused here, before the call, as API Gateway refuses it on AWS: serverless-offline would
 * deliver it, and the tests would never see what AWS does.
 */
export function createManagementApiPush(client: ApiGatewayManagementApiClient): ClientPush {
  return {
    async push(connectionId, frame) {
      const data = JSON.stringify(frame);
      const bytes = utf8Length(data);
      if (bytes > MAX_SERVER_MESSAGE_BYTES) throw new FrameTooLargeError(bytes);
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      } catch (error) {
        if (
          error instanceof GoneException ||
          (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
        ) {
          throw new ClientGoneError(error);
        }
        if (error instanceof PayloadTooLargeException) throw new FrameTooLargeError(bytes, error);
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
          // Another region's API (a user's tab there, decision 21) is signed for that region.
          region: regionOfEndpoint(endpoint) ?? region,
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

/** The region in an `execute-api` endpoint's host, e.g. eu-west-1 in `abc.execute-api.eu-west-1.amazonaws.com`. */
export function regionOfEndpoint(endpoint: string): string | undefined {
  return /\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com/.exec(endpoint)?.[1];
}
