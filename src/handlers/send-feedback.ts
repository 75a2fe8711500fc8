import { handOffOnNegativeFeedback } from '../chat/handoff/negative-feedback.ts';
import { ANONYMOUS_USER, systemClock } from '../chat/ports.ts';
import { sendFeedback } from '../chat/send-feedback.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createChatTable } from '../lambda/chat-table.ts';
import { callerConnection, createConnectionRegistration } from '../lambda/connection-registration.ts';
import { createHandoffDependencies } from '../lambda/handoff-dependencies.ts';
import { recordFeedback } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createStatsLedger } from '../lambda/stats-dependencies.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const table = createChatTable(config);
const stats = createStatsLedger(config, table);
const route = createRouteContext(config, { stats });
const storage = createConversationStorage(config, table);
const handoffFor = createHandoffDependencies(config, table, route.observability);
const registration = createConnectionRegistration(config, table);

/**
 * `sendFeedback`: thumbs up or down (and a comment) on one answer, stored with its turn and counted. After a
 * thumbs-down, the repeated-negative-feedback rule may hand the conversation to a person (docs/decisions/0026).
 */
export const handler = createWebSocketRoute(route, 'sendFeedback', async (request) => {
  const { frame, userId, reply } = request;
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
  if (stored.rating !== 'down' || userId === undefined || config.handoffAfterNegativeFeedback < 1) return;
  const caller = callerConnection(request);
  await handOffOnNegativeFeedback(
    { ...handoffFor(request.sendTo), feedback: storage.feedback },
    {
      sessionId: frame.sessionId,
      userId,
      expiresAt: Math.floor(systemClock.now() / 1000) + config.turn.sessionTtlSeconds,
      afterDownRatings: config.handoffAfterNegativeFeedback,
      // The rating tab hears of its place in line.
      beforeHandoff: () => (caller ? registration.connected(caller) : Promise.resolve()),
    },
  ).catch((error: unknown) => logger.warn('negative-feedback rule not applied', { error }));
});
