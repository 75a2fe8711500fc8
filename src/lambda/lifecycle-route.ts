import type { ChatConfig } from '../config.ts';
import { AGENTS_GROUP } from '../protocol/handoff-frames.ts';
import type { ConnectionRegistration } from './connection-registration.ts';
import { groupsOf, userIdOf } from './websocket-event.ts';
import type { RouteHandler } from './websocket-route.ts';

/**
 * `$connect` and `$disconnect`: the authorizer has decided; a signed-in user's connection is kept in the
 * connection registry (so a person's replies reach every tab, and agents get the live queue) and removed
 * when it closes. A frame whose action is "$connect" or "$disconnect" reaches them as a MESSAGE event
 * (serverless-offline routes it so, and API Gateway's route selection allows it), and must be refused there.
 * The registry and the refusing route are loaded only when first needed, so an anonymous connection's cold
 * start loads neither.
 */
export function createLifecycleRoute(config: ChatConfig): RouteHandler {
  let refuseFrame: Promise<RouteHandler> | undefined;
  let registration: Promise<ConnectionRegistration> | undefined;
  return async (event, context) => {
    const { eventType, connectionId } = event.requestContext as { eventType?: string; connectionId: string };
    if (eventType === 'MESSAGE') {
      refuseFrame ??= import('./unroutable-frame.ts').then(({ createUnroutableFrameRoute }) =>
        createUnroutableFrameRoute(config),
      );
      return (await refuseFrame)(event, context);
    }
    const userId = userIdOf(event);
    if (userId === undefined) return { statusCode: 200 };
    registration ??= import('./connection-registration.ts').then(({ createConnectionRegistration }) =>
      createConnectionRegistration(config),
    );
    const connection = { connectionId, userId, agent: groupsOf(event).includes(AGENTS_GROUP) };
    if (eventType === 'CONNECT') await (await registration).connected(connection);
    else if (eventType === 'DISCONNECT') await (await registration).disconnected(connection);
    return { statusCode: 200 };
  };
}
