import { readStats } from '../analytics/read-stats.ts';
import { systemClock } from '../chat/ports.ts';
import { loadConfig } from '../config.ts';
import { createChatTable } from '../lambda/chat-table.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createStatsLedger } from '../lambda/stats-dependencies.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const stats = createStatsLedger(config, createChatTable(config));
const route = createRouteContext(config, { stats });

/** `getStats`: every usage figure over a range of hours; for the `admins` group only (FORBIDDEN otherwise). */
export const handler = createWebSocketRoute(route, 'getStats', async ({ frame, groups, reply }) => {
  await reply.send(
    await readStats(
      { stats, clock: systemClock },
      { groups, since: frame.since, until: frame.until, userId: frame.userId },
    ),
  );
});
