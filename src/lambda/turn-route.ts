import { systemClock } from '../chat/ports.ts';
import type { ChatConfig } from '../config.ts';
import { createTurnDependencies } from './chat-dependencies.ts';
import { createChatTable } from './chat-table.ts';
import { createTurnObserver } from './observability.ts';
import { createRouteContext } from './route-context.ts';
import { createStatsLedger } from './stats-dependencies.ts';
import { createTurnStats } from './turn-stats.ts';

/**
 * What a route that runs the model loop (sendMessage, resume) builds once per container: its route context,
 * the turn's dependencies with the metrics observer, and the usage stats wrapper, all on one DynamoDB client.
 */
export function createTurnRoute(config: ChatConfig) {
  const table = createChatTable(config);
  const stats = createStatsLedger(config, table);
  const route = createRouteContext(config, { stats });
  const turn = {
    ...createTurnDependencies(config, systemClock, table),
    observer: createTurnObserver(route.observability),
  };
  const withTurnStats = createTurnStats({ observability: route.observability, stats, clock: systemClock });
  return { route, turn, withTurnStats, table };
}
