import { systemClock } from '../chat/ports.ts';
import { runTurn } from '../chat/run-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnDependencies } from '../lambda/chat-dependencies.ts';
import { createChatTable } from '../lambda/chat-table.ts';
import { createTurnObserver } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createStatsLedger } from '../lambda/stats-dependencies.ts';
import { createTurnStats } from '../lambda/turn-stats.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const table = createChatTable(config);
const stats = createStatsLedger(config, table);
const route = createRouteContext(config, { stats });
const turn = {
  ...createTurnDependencies(config, systemClock, table),
  observer: createTurnObserver(route.observability),
};
const withTurnStats = createTurnStats({ observability: route.observability, stats, clock: systemClock });

/** `sendMessage`: one chat turn, streamed back to the sender. */
export const handler = createWebSocketRoute(route, 'sendMessage', async (request) => {
  const { sessionId, message } = request.frame;
  const turnId = request.frame.turnId ?? crypto.randomUUID();
  route.observability.logger.appendKeys({ sessionId, turnId });
  const context = { kind: 'turn', sessionId, userId: request.userId, coldStart: request.coldStart } as const;
  await withTurnStats(turn, context, (deps) =>
    runTurn(deps, {
      sessionId,
      message,
      turnId,
      userId: request.userId,
      connectionId: request.connectionId,
      reply: request.reply,
      remainingTimeMs: request.remainingTimeMs,
    }),
  );
});
