import { systemClock } from '../chat/ports.ts';
import { resumeTurn } from '../chat/resume-turn.ts';
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

/** `resume`: after a reconnect, continues the answer the old connection was receiving. */
export const handler = createWebSocketRoute(route, 'resume', async (request) => {
  const { sessionId, turnId } = request.frame;
  route.observability.logger.appendKeys({ sessionId, turnId });
  const context = {
    kind: 'resume',
    sessionId,
    userId: request.userId,
    coldStart: request.coldStart,
  } as const;
  await withTurnStats(turn, context, (deps) =>
    resumeTurn(
      deps,
      {
        sessionId,
        turnId,
        userId: request.userId,
        reply: request.reply,
        remainingTimeMs: request.remainingTimeMs,
      },
      config.resume,
    ),
  );
});
