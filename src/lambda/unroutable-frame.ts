import type { ChatConfig } from '../config.ts';
import { unknownActionProblem } from '../protocol/client-frame.ts';
import { FrameRefusedError } from './errors.ts';
import { createRouteContext } from './route-context.ts';
import { createWebSocketRoute, type RouteHandler } from './websocket-route.ts';

/**
 * Answers a frame no route accepts (not JSON, no action, unknown action) with the error frame that names
 * the problem. A frame that parses carries a known action whose route is missing from serverless.yml.
 */
export function createUnroutableFrameRoute(config: ChatConfig): RouteHandler {
  return createWebSocketRoute(createRouteContext(config), undefined, async ({ frame }) => {
    throw new FrameRefusedError(unknownActionProblem(frame.action));
  });
}

/**
 * `$connect` and `$disconnect`: there is nothing to do (the authorizer has decided; nothing is stored per
 * connection). But a frame whose action is "$connect" or "$disconnect" reaches them as a MESSAGE event
 * (serverless-offline routes it so, and API Gateway's route selection allows it), and must be refused there.
 */
export function createLifecycleRoute(config: ChatConfig): RouteHandler {
  const refuseFrame = createUnroutableFrameRoute(config);
  return async (event, context) =>
    isMessageEvent(event) ? refuseFrame(event, context) : { statusCode: 200 };
}

function isMessageEvent(event: { requestContext: { eventType?: string } }): boolean {
  return event.requestContext.eventType === 'MESSAGE';
}
