import { systemClock } from '../chat/ports.ts';
import { renameSession } from '../chat/rename-session.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const storage = createConversationStorage(config);

/** `renameSession`: the user names one of their conversations. */
export const handler = createWebSocketRoute(route, 'renameSession', async ({ frame, userId, reply }) => {
  route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  await reply.send(
    await renameSession(
      { ...storage, clock: systemClock },
      { sessionId: frame.sessionId, userId, title: frame.title },
    ),
  );
});
