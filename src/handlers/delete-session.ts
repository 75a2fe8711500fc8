import { deleteSession } from '../chat/delete-session.ts';
import { loadConfig } from '../config.ts';
import { createAttachmentStore } from '../lambda/attachment-store.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createHandoffQueue } from '../lambda/handoff-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const storage = { ...createConversationStorage(config), attachments: createAttachmentStore(config) };
const handoffs = createHandoffQueue(config);

/** `deleteSession`: the conversation and everything stored for it, gone at once. */
export const handler = createWebSocketRoute(route, 'deleteSession', async ({ frame, userId, reply }) => {
  route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  // A conversation waiting for (or with) a person leaves the agents' queue too (docs/decisions/0026).
  const handoff = userId === undefined ? undefined : await handoffs.find(frame.sessionId);
  const deleted = await deleteSession(storage, { sessionId: frame.sessionId, userId });
  // Before the answer: once the client hears the conversation is gone, no agent finds it queued.
  if (handoff && handoff.userId === userId) await handoffs.discard(handoff);
  await reply.send(deleted);
});
