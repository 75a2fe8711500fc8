import { systemClock } from '../chat/ports.ts';
import { readHistory } from '../chat/read-history.ts';
import { loadConfig } from '../config.ts';
import { createChatStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const { sessions } = createChatStorage(config);

/** `getHistory`: the stored window, so a reconnecting client can redraw the conversation. */
export const handler = createWebSocketRoute(route, 'getHistory', async ({ frame, userId, reply }) => {
  route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  await reply.send(
    await readHistory({ sessions, clock: systemClock }, { sessionId: frame.sessionId, userId }),
  );
});
