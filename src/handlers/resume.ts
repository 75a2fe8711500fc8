import { resumeTurn } from '../chat/resume-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnDependencies } from '../lambda/chat-dependencies.ts';
import { createTurnObserver } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const turn = { ...createTurnDependencies(config), observer: createTurnObserver(route.observability) };

/** `resume`: after a reconnect, continues the answer the old connection was receiving. */
export const handler = createWebSocketRoute(route, 'resume', async (request) => {
  const { sessionId, turnId } = request.frame;
  route.observability.logger.appendKeys({ sessionId, turnId });
  await resumeTurn(
    turn,
    {
      sessionId,
      turnId,
      userId: request.userId,
      connectionId: request.connectionId,
      reply: request.reply,
      remainingTimeMs: request.remainingTimeMs,
    },
    config.resume,
  );
});
