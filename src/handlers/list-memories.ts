import { listMemories } from '../chat/memory/manage-memories.ts';
import { loadConfig } from '../config.ts';
import { createMemoryStoreFor } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const deps = { memories: createMemoryStoreFor(config), settings: config.turn.memory };

/** `listMemories`: what the model remembers about the signed-in user. */
export const handler = createWebSocketRoute(route, 'listMemories', async ({ userId, reply }) => {
  await reply.send(await listMemories(deps, { userId }));
});
