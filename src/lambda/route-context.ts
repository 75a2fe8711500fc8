import { createClientPushCache } from '../adapters/apigateway/client-push.ts';
import type { StatsLedger } from '../analytics/stats-ledger.ts';
import type { ChatConfig } from '../config.ts';
import { createObservability } from './observability.ts';
import type { RouteContext } from './websocket-route.ts';

/**
 * What every WebSocket route needs: the push client cache, logs and metrics. Built at module scope, once per
 * container, so warm invocations reuse the clients.
 */
export function createRouteContext(
  config: ChatConfig,
  options: { stats?: Pick<StatsLedger, 'recordRefusal'> } = {},
): RouteContext {
  return {
    region: config.region,
    managementEndpoint: config.endpoints.management,
    pushFor: createClientPushCache(config.region),
    observability: createObservability(),
    limits: { maxMessageBytes: config.maxMessageBytes },
    refusals: options.stats ?? createLazyRefusals(config),
  };
}

/** A route that keeps nothing in DynamoDB builds the stats ledger only when it first refuses a request. */
function createLazyRefusals(config: ChatConfig): Pick<StatsLedger, 'recordRefusal'> {
  let ledger: Promise<StatsLedger> | undefined;
  return {
    async recordRefusal(refusal) {
      ledger ??= import('./stats-dependencies.ts').then(({ createStatsLedger }) => createStatsLedger(config));
      await (await ledger).recordRefusal(refusal);
    },
  };
}
