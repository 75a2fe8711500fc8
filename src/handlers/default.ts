import { loadConfig } from '../config.ts';
import { UnknownActionError } from '../errors.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';
import { CLIENT_ACTIONS, parseClientFrame } from '../protocol/client-frame.ts';

const config = loadConfig();
const route = createRouteContext(config);

/**
 * `$default`: frames no route matched (not JSON, no action, unknown action). Parsing names the exact problem;
 * a frame that parses carries an action whose route is missing from serverless.yml.
 */
export const handler = createWebSocketRoute(route, async (request) => {
  const frame = parseClientFrame(request.body, undefined, config);
  throw new UnknownActionError(frame.action, CLIENT_ACTIONS);
});
