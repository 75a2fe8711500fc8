import { runTurn } from '../chat/run-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnDependencies } from '../lambda/chat-dependencies.ts';
import { createTurnObserver } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';
import { parseClientFrame } from '../protocol/client-frame.ts';

const config = loadConfig();
const route = createRouteContext(config);
const turn = { ...createTurnDependencies(config), observer: createTurnObserver(route.observability) };

/** `sendMessage`: one chat turn, streamed back to the sender. */
export const handler = createWebSocketRoute(route, async (request, push, context) => {
  const frame = parseClientFrame(request.body, 'sendMessage', config);
  const turnId = frame.turnId ?? crypto.randomUUID();
  route.observability.logger.appendKeys({ sessionId: frame.sessionId, turnId });
  await runTurn(
    { ...turn, push },
    {
      connectionId: request.connectionId,
      sessionId: frame.sessionId,
      message: frame.message,
      turnId,
      userId: request.userId,
      remainingTimeMs: () => context.getRemainingTimeInMillis(),
    },
  );
});
