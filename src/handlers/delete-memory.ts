import { deleteMemory } from '../chat/memory/manage-memories.ts';
import { loadConfig } from '../config.ts';
import { createMemoryStoreFor } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const deps = { memories: createMemoryStoreFor(config), settings: config.turn.memory };

/** `deleteMemory`: forgets one memory of the signed-in user, or all of them; answers with what is left. */
export const handler = createWebSocketRoute(route, 'deleteMemory', async ({ frame, userId, reply }) => {
  await reply.send(await deleteMemory(deps, { userId, memoryId: frame.memoryId }));
});
