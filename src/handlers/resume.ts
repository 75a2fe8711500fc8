import { resumeTurn } from '../chat/resume-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnDependencies } from '../lambda/chat-dependencies.ts';
import { createTurnObserver } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';
import { parseClientFrame } from '../protocol/client-frame.ts';

const config = loadConfig();
const route = createRouteContext(config);
const turn = { ...createTurnDependencies(config), observer: createTurnObserver(route.observability) };

/** `resume`: after a reconnect, continues the answer the old connection was receiving. */
export const handler = createWebSocketRoute(route, async (request, push, context) => {
  const frame = parseClientFrame(request.body, 'resume', config);
  route.observability.logger.appendKeys({ sessionId: frame.sessionId, turnId: frame.turnId });
  await resumeTurn(
    { ...turn, push },
    {
      connectionId: request.connectionId,
      sessionId: frame.sessionId,
      turnId: frame.turnId,
      userId: request.userId,
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
    },
    config.resume,
  );
});
