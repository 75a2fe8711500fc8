import { systemClock } from '../chat/ports.ts';
import { readUsage } from '../chat/read-usage.ts';
import { loadConfig } from '../config.ts';
import { createChatStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const storage = createChatStorage(config);

/** `getUsage`: the signed-in user's token totals and estimated cost (and one session's, if named). */
export const handler = createWebSocketRoute(route, 'getUsage', async ({ frame, userId, reply }) => {
  await reply.send(
    await readUsage({ ...storage, clock: systemClock }, { userId, sessionId: frame.sessionId }),
  );
});
