import { resumeTurn } from '../chat/resume-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnRoute } from '../lambda/turn-route.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const { route, turn, withTurnStats } = createTurnRoute(config);

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
        connectionId: request.connectionId,
        reply: request.reply,
        remainingTimeMs: request.remainingTimeMs,
      },
      config.resume,
    ),
  );
});
