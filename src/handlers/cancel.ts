import { cancelTurn } from '../chat/cancel-turn.ts';
import { systemClock } from '../chat/ports.ts';
import { loadConfig } from '../config.ts';
import { createChatStorage } from '../lambda/chat-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const storage = createChatStorage(config);

/**
 * `cancel`: the Stop button. The running turn answers with `done` (stopReason "cancelled"); only its owner may
 * stop it, and a cancel for a turn that does not exist writes nothing.
 */
export const handler = createWebSocketRoute(route, 'cancel', async ({ frame, userId }) => {
  route.observability.logger.appendKeys({ sessionId: frame.sessionId, turnId: frame.turnId });
  await cancelTurn(
    { ...storage, clock: systemClock, waitMs: config.cancelWaitMs },
    { sessionId: frame.sessionId, turnId: frame.turnId, userId, seenSeq: frame.seenSeq },
  );
});
