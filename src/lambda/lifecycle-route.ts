import type { ChatConfig } from '../config.ts';
import { AGENTS_GROUP } from '../protocol/handoff-frames.ts';
import type { ConnectionRegistration } from './connection-registration.ts';
import { groupsOf, userIdOf } from './websocket-event.ts';
import type { RouteHandler } from './websocket-route.ts';

/**
 * `$connect` and `$disconnect`: the authorizer has decided, and `$connect` does nothing more (a write there
 * slowed every connection, and bursts of them timed out offline). A signed-in connection enters the
 * connection registry when it asks for a history or uses a handoff action (docs/decisions/0026), and leaves
 * it here when it closes. A frame whose action is "$connect" or "$disconnect" reaches them as a MESSAGE event
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
    if (userId === undefined || eventType !== 'DISCONNECT') return { statusCode: 200 };
    registration ??= import('./connection-registration.ts').then(({ createConnectionRegistration }) =>
      createConnectionRegistration(config),
    );
    const connection = { connectionId, userId, agent: groupsOf(event).includes(AGENTS_GROUP) };
    await (await registration).disconnected(connection);
    return { statusCode: 200 };
  };
}
