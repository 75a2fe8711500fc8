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
