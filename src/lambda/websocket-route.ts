import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import type { ClientPush } from '../adapters/apigateway/client-push.ts';
import type { StatsLedger } from '../analytics/stats-ledger.ts';
import { ClientGoneError, toChatError } from '../chat/errors.ts';
import { ANONYMOUS_USER, type Reply } from '../chat/ports.ts';
import type { ClientAction, ClientFrame, FrameLimits } from '../protocol/client-frame.ts';
import { errorFrame, type ServerFrame } from '../protocol/server-frame.ts';
import { FrameRefusedError } from './errors.ts';
import { type Observability, recordError, recordPushFailure } from './observability.ts';
import { groupsOf, managementEndpointOf, readFrameOf, userIdOf } from './websocket-event.ts';

export interface RouteContext {
  region: string;
  managementEndpoint: string | undefined;
  pushFor: (endpoint: string) => ClientPush;
  observability: Observability;
  limits: FrameLimits;
  /** Where refused requests count as errors in the usage stats (absent: only in the metrics). */
  refusals?: Pick<StatsLedger, 'recordRefusal'>;
}

export type RouteHandler = (
  event: APIGatewayProxyWebsocketEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/** What a route's work is given: plain values, never the Lambda event or context. */
export interface RouteRequest<F extends ClientFrame = ClientFrame> {
  /** The client's frame, parsed once, of the route's action. */
  frame: F;
  /** Named by the $connect authorizer; absent when auth is off. */
  userId: string | undefined;
  /** The user's groups, from their token (`admins` may read usage statistics). */
  groups: string[];
  /** The first invocation of this Lambda container. */
  coldStart: boolean;
  /** The caller's connection as data (a rate-limit key when there is no user); frames go through `reply`. */
  connectionId: string;
  /** Sends frames to this connection. */
  reply: Reply;
  /** Sends a frame to another connection of this API (a user's other tabs, an agent); 410 is ClientGoneError. */
  /** The management endpoint of the caller's API (its region's, with several). */
  endpoint: string;
  /** Sends to another connection: on the caller's API, or on the one `endpoint` names. */
  sendTo: (connectionId: string, frame: ServerFrame, endpoint?: string) => Promise<void>;
  /** Time left before the Lambda deadline. */
  remainingTimeMs: () => number;
}

type FrameOf<A extends ClientAction | undefined> = A extends ClientAction
  ? Extract<ClientFrame, { action: A }>
  : ClientFrame;

/**
 * A WebSocket route as a Lambda handler that never throws. The frame is read once, here: one the protocol
 * refuses, or whatever `handle` throws, is logged and sent to the client as an `error` frame addressed to the
 * session and turn the frame names, and API Gateway always gets a 200 (a thrown error would only tell the
 * client "Internal server error"). Every log line of the invocation carries the connection id (handlers add
 * the session and turn ids); metrics are flushed at the end.
 */
export function createWebSocketRoute<A extends ClientAction | undefined>(
  route: RouteContext,
  action: A,
  handle: (request: RouteRequest<FrameOf<A>>) => Promise<void>,
): RouteHandler {
  const { logger, metrics } = route.observability;
  let invocations = 0;
  return async (event, context) => {
    const coldStart = invocations++ === 0;
    const { connectionId, routeKey } = event.requestContext;
    logger.addContext(context);
    logger.appendKeys({ connectionId, routeKey });
    metrics.captureColdStartMetric(context.functionName);
    const endpoint = managementEndpointOf(event, route);
    // The push client is built when the first frame goes out: a route that answers nothing never needs it.
    const reply: Reply = { send: (frame) => route.pushFor(endpoint).push(connectionId, frame) };
    const reading = readFrameOf(event, action, route.limits);
    try {
      if (!reading.ok) throw new FrameRefusedError(reading.problem);
      await handle({
        frame: reading.frame as FrameOf<A>,
        userId: userIdOf(event),
        groups: groupsOf(event),
        coldStart,
        connectionId,
        reply,
        endpoint,
        sendTo: (to, frame, at = endpoint) => route.pushFor(at).push(to, frame),
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
      });
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
      await route.refusals
        ?.recordRefusal({ userId: userIdOf(event) ?? ANONYMOUS_USER, code: chatError.code, at: Date.now() })
        .catch((statsError: unknown) =>
          logger.warn('refusal not counted in the usage stats', { statsError }),
        );
      await reply.send(errorFrame(chatError, reading.address)).catch((pushError: unknown) => {
        if (pushError instanceof ClientGoneError) logger.info('client left before the error frame was sent');
        else recordPushFailure(route.observability, pushError);
      });
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
    return { statusCode: 200 };
  };
}
