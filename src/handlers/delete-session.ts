import { deleteSession } from '../chat/delete-session.ts';
import { loadConfig } from '../config.ts';
import { createAttachmentStore } from '../lambda/attachment-store.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const storage = { ...createConversationStorage(config), attachments: createAttachmentStore(config) };

/** `deleteSession`: the conversation and everything stored for it, gone at once. */
export const handler = createWebSocketRoute(route, 'deleteSession', async ({ frame, userId, reply }) => {
  route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  await reply.send(await deleteSession(storage, { sessionId: frame.sessionId, userId }));
});
