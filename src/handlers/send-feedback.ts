import { systemClock } from '../chat/ports.ts';
import { sendFeedback } from '../chat/send-feedback.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { recordFeedback } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const storage = createConversationStorage(config);

/** `sendFeedback`: thumbs up or down (and a comment) on one answer, stored with its turn and counted. */
export const handler = createWebSocketRoute(route, 'sendFeedback', async ({ frame, userId, reply }) => {
  route.observability.logger.appendKeys({ sessionId: frame.sessionId, turnId: frame.turnId });
  const stored = await sendFeedback(
    { ...storage, clock: systemClock },
    {
      sessionId: frame.sessionId,
      turnId: frame.turnId,
      userId,
      rating: frame.rating,
      comment: frame.comment,
    },
  );
  recordFeedback(route.observability, stored.rating, stored.comment !== undefined);
  await reply.send(stored);
});
