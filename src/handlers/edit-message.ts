import { runTurn } from '../chat/run-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnRoute } from '../lambda/turn-route.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const { route, turn, withTurnStats } = createTurnRoute(config);

/** `editMessage`: an earlier question asked again as edited, answered as a new branch (decision 27). */
export const handler = createWebSocketRoute(route, 'editMessage', async (request) => {
  const { sessionId, message } = request.frame;
  const turnId = request.frame.newTurnId ?? crypto.randomUUID();
  route.observability.logger.appendKeys({ sessionId, turnId, editedTurnId: request.frame.turnId });
  const context = { kind: 'turn', sessionId, userId: request.userId, coldStart: request.coldStart } as const;
  await withTurnStats(turn, context, (deps) =>
    runTurn(deps, {
      sessionId,
      message,
      turnId,
      version: { of: request.frame.turnId, sameQuestion: false },
      userId: request.userId,
      connectionId: request.connectionId,
      reply: request.reply,
      remainingTimeMs: request.remainingTimeMs,
    }),
  );
});
