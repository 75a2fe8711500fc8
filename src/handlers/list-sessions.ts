import { listSessions } from '../chat/list-sessions.ts';
import { systemClock } from '../chat/ports.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const { directory } = createConversationStorage(config);

/** `listSessions`: one page of the user's conversations, newest first, optionally searched. */
export const handler = createWebSocketRoute(route, 'listSessions', async ({ frame, userId, reply }) => {
  await reply.send(
    await listSessions(
      { directory, clock: systemClock },
      { userId, cursor: frame.cursor, query: frame.query },
    ),
  );
});
