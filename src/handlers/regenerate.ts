import { runTurn } from '../chat/run-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnRoute } from '../lambda/turn-route.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const { route, turn, withTurnStats } = createTurnRoute(config);

/** `regenerate`: a new answer to the last question, streamed back as the active branch (decision 27). */
export const handler = createWebSocketRoute(route, 'regenerate', async (request) => {
  const { sessionId } = request.frame;
  const turnId = request.frame.newTurnId ?? crypto.randomUUID();
  route.observability.logger.appendKeys({ sessionId, turnId });
  const context = { kind: 'turn', sessionId, userId: request.userId, coldStart: request.coldStart } as const;
  await withTurnStats(turn, context, (deps) =>
    runTurn(deps, {
      sessionId,
      message: '',
      turnId,
      version: { sameQuestion: true },
      userId: request.userId,
      connectionId: request.connectionId,
      reply: request.reply,
      remainingTimeMs: request.remainingTimeMs,
    }),
  );
});
