import { systemClock } from '../chat/ports.ts';
import { readHistory } from '../chat/read-history.ts';
import { loadConfig } from '../config.ts';
import { createChatStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';
import { parseClientFrame } from '../protocol/client-frame.ts';

const config = loadConfig();
const route = createRouteContext(config);
const { sessions } = createChatStorage(config);

/** `getHistory`: the stored window, so a reconnecting client can redraw the conversation. */
export const handler = createWebSocketRoute(route, async (request, push) => {
  const frame = parseClientFrame(request.body, 'getHistory', config);
  route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  const history = await readHistory(
    { sessions, clock: systemClock },
    { sessionId: frame.sessionId, userId: request.userId },
  );
  await push.push(request.connectionId, history);
});
