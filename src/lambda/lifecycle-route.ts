import type { ChatConfig } from '../config.ts';
import type { RouteHandler } from './websocket-route.ts';

/**
 * `$connect` and `$disconnect`: there is nothing to do (the authorizer has decided; nothing is stored per
 * connection). But a frame whose action is "$connect" or "$disconnect" reaches them as a MESSAGE event
 * (serverless-offline routes it so, and API Gateway's route selection allows it), and must be refused there.
 * The refusing route (push client, logs, metrics) is loaded only when such a frame comes: a connection's
 * cold start loads none of it.
 */
export function createLifecycleRoute(config: ChatConfig): RouteHandler {
  let refuseFrame: Promise<RouteHandler> | undefined;
  return async (event, context) => {
    if (!isMessageEvent(event)) return { statusCode: 200 };
    refuseFrame ??= import('./unroutable-frame.ts').then(({ createUnroutableFrameRoute }) =>
      createUnroutableFrameRoute(config),
    );
    return (await refuseFrame)(event, context);
  };
}

function isMessageEvent(event: { requestContext: { eventType?: string } }): boolean {
  return event.requestContext.eventType === 'MESSAGE';
}
