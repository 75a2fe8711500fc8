import { runTurn } from '../chat/run-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnRoute } from '../lambda/turn-route.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const { route, turn, withTurnStats } = createTurnRoute(config);

/** `sendMessage`: one chat turn, streamed back to the sender. */
export const handler = createWebSocketRoute(route, 'sendMessage', async (request) => {
  const { sessionId, message } = request.frame;
  const turnId = request.frame.turnId ?? crypto.randomUUID();
  route.observability.logger.appendKeys({ sessionId, turnId });
  const context = { kind: 'turn', sessionId, userId: request.userId, coldStart: request.coldStart } as const;
  await withTurnStats(turn, context, (deps) =>
    runTurn(deps, {
      sessionId,
      message,
      turnId,
      attachments: request.frame.attachments,
      userId: request.userId,
      connectionId: request.connectionId,
      reply: request.reply,
      remainingTimeMs: request.remainingTimeMs,
    }),
  );
});
