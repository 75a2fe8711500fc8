import { systemClock } from '../chat/ports.ts';
import { readUsage } from '../chat/read-usage.ts';
import { loadConfig } from '../config.ts';
import { createChatStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';
import { parseClientFrame } from '../protocol/client-frame.ts';

const config = loadConfig();
const route = createRouteContext(config);
const storage = createChatStorage(config);

/** `getUsage`: the signed-in user's token totals and estimated cost (and one session's, if named). */
export const handler = createWebSocketRoute(route, async (request, push) => {
  const frame = parseClientFrame(request.body, 'getUsage', config);
  const usage = await readUsage(
    { ...storage, clock: systemClock },
    { userId: request.userId, sessionId: frame.sessionId },
  );
  await push.push(request.connectionId, usage);
});
