import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import type { ClientPush } from '../chat/ports.ts';
import { ClientGoneError, toChatError } from '../errors.ts';
import { peekAddress } from '../protocol/client-frame.ts';
import { errorFrame } from '../protocol/server-frame.ts';
import { type Observability, recordError } from './observability.ts';
import { managementEndpointOf, toWebSocketRequest, type WebSocketRequest } from './websocket-event.ts';

export interface RouteContext {
  region: string;
  managementEndpoint: string | undefined;
  pushFor: (endpoint: string) => ClientPush;
  observability: Observability;
}

export type RouteHandler = (
  event: APIGatewayProxyWebsocketEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/**
 * A WebSocket route as a Lambda handler that never throws: whatever `handle` throws is logged and sent to the
 * client as an `error` frame, and API Gateway always gets a 200 (a thrown error would only tell the client
 * "Internal server error"). Every log line of the invocation carries the connection id (handlers add the
 * session and turn ids); metrics are flushed at the end.
 */
export function createWebSocketRoute(
  route: RouteContext,
  handle: (request: WebSocketRequest, push: ClientPush, context: Context) => Promise<void>,
): RouteHandler {
  const { logger, metrics } = route.observability;
  return async (event, context) => {
    const { connectionId, routeKey } = event.requestContext;
    logger.addContext(context);
    logger.appendKeys({ connectionId, routeKey });
    metrics.captureColdStartMetric(context.functionName);
    const push = route.pushFor(managementEndpointOf(event, route));
    try {
      const request = toWebSocketRequest(event, route);
      await handle(request, push, context);
    } catch (error) {
      if (error instanceof ClientGoneError) {
        // The client left before its answer (e.g. a history) could be sent: nothing failed.
        logger.info('client left before the answer was sent');
        return { statusCode: 200 };
      }
      const chatError = toChatError(error);
      const level =
        chatError.code === 'INTERNAL' || chatError.code === 'STORAGE_UNAVAILABLE' ? 'error' : 'info';
      logger[level]('request failed', { code: chatError.code, error });
      recordError(route.observability, chatError.code);
      const address = typeof event.body === 'string' ? peekAddress(event.body) : { sessionId: null };
      await push.push(connectionId, errorFrame(chatError, address)).catch((pushError: unknown) => {
        logger.info('could not deliver error frame', { error: pushError });
      });
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
    return { statusCode: 200 };
  };
}
