import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import type { ClientPush } from '../chat/ports.ts';
import { toChatError } from '../errors.ts';
import { peekSessionId } from '../protocol/client-frame.ts';
import { errorFrame } from '../protocol/server-frame.ts';
import type { Logger } from './logger.ts';
import { managementEndpointOf, toWebSocketRequest, type WebSocketRequest } from './websocket-event.ts';

export interface RouteContext {
  region: string;
  managementEndpoint: string | undefined;
  pushFor: (endpoint: string) => ClientPush;
  logger: Logger;
}

export type RouteHandler = (
  event: APIGatewayProxyWebsocketEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * A WebSocket route as a Lambda handler that never throws: whatever `handle` throws is logged and sent to the
 * client as an `error` frame, and API Gateway always gets a 200 (a thrown error would only tell the client
 * "Internal server error").
 */
export function createWebSocketRoute(
  route: RouteContext,
  handle: (request: WebSocketRequest, push: ClientPush, context: Context) => Promise<void>,
): RouteHandler {
  return async (event, context) => {
    const connectionId = event.requestContext.connectionId;
    const push = route.pushFor(managementEndpointOf(event, route));
    try {
      const request = toWebSocketRequest(event, route);
      await handle(request, push, context);
    } catch (error) {
      const chatError = toChatError(error);
      const level =
        chatError.code === 'INTERNAL' || chatError.code === 'STORAGE_UNAVAILABLE' ? 'error' : 'info';
      route.logger[level]('request failed', { code: chatError.code, connectionId, error });
      const sessionId = typeof event.body === 'string' ? peekSessionId(event.body) : null;
      await push.push(connectionId, errorFrame(chatError, { sessionId })).catch((pushError: unknown) => {
        route.logger.info('could not deliver error frame', { connectionId, error: pushError });
      });
    }
    return { statusCode: 200 };
  };
}
