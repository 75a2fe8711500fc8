import type { ChatConfig } from '../config.ts';
import { UnknownActionError } from '../errors.ts';
import { CLIENT_ACTIONS, parseClientFrame } from '../protocol/client-frame.ts';
import { createRouteContext } from './route-context.ts';
import { createWebSocketRoute, type RouteHandler } from './websocket-route.ts';

/**
 * Answers a frame no route accepts (not JSON, no action, unknown action) with the error frame that names
 * the problem. A frame that parses carries a known action whose route is missing from serverless.yml.
 */
export function createUnroutableFrameRoute(config: ChatConfig): RouteHandler {
  return createWebSocketRoute(createRouteContext(config), async (request) => {
    const frame = parseClientFrame(request.body, undefined, config);
    throw new UnknownActionError(frame.action, CLIENT_ACTIONS);
  });
}

/**
 * A frame whose action is "$connect" or "$disconnect" is routed to those routes' handlers as a MESSAGE
 * event (serverless-offline does it, and API Gateway's route selection allows it); it must be refused there.
 */
export function isMessageEvent(event: { requestContext: { eventType?: string } }): boolean {
  return event.requestContext.eventType === 'MESSAGE';
}
