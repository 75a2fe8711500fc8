import { ANONYMOUS_USER, systemClock } from '../chat/ports.ts';
import { sendFeedback } from '../chat/send-feedback.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createChatTable } from '../lambda/chat-table.ts';
import { recordFeedback } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createStatsLedger } from '../lambda/stats-dependencies.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const table = createChatTable(config);
const stats = createStatsLedger(config, table);
const route = createRouteContext(config, { stats });
const storage = createConversationStorage(config, table);

/** `sendFeedback`: thumbs up or down (and a comment) on one answer, stored with its turn and counted. */
export const handler = createWebSocketRoute(route, 'sendFeedback', async ({ frame, userId, reply }) => {
  const { logger } = route.observability;
  logger.appendKeys({ sessionId: frame.sessionId, turnId: frame.turnId });
  const { frame: stored, replaced } = await sendFeedback(
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
  // After the answer, as a turn's stats are: a failure here loses only the count, never the rating.
  await stats
    .recordFeedback({
      userId: userId ?? ANONYMOUS_USER,
      rating: stored.rating,
      previous: replaced,
      at: systemClock.now(),
    })
    .catch((error: unknown) =>
      logger.warn('feedback not counted in the usage stats; it is stored', { error }),
    );
});
