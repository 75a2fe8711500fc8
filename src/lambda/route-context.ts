import { createClientPushCache } from '../adapters/apigateway/client-push.ts';
import type { ChatConfig } from '../config.ts';
import { createObservability } from './observability.ts';
import type { RouteContext } from './websocket-route.ts';

/**
 * What every WebSocket route needs: the push client cache, logs and metrics. Built at module scope, once per
 * container, so warm invocations reuse the clients.
 */
export function createRouteContext(config: ChatConfig): RouteContext {
  return {
    region: config.region,
    managementEndpoint: config.endpoints.management,
    pushFor: createClientPushCache(config.region),
    observability: createObservability(),
    limits: { maxMessageBytes: config.maxMessageBytes },
  };
}
