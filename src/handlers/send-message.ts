import { checkAttachments } from '../chat/attachments.ts';
import { UploadsUnavailableError } from '../chat/errors.ts';
import { runTurn } from '../chat/run-turn.ts';
import { loadConfig } from '../config.ts';
import { createTurnDependencies } from '../lambda/chat-dependencies.ts';
import { createTurnObserver } from '../lambda/observability.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const turn = { ...createTurnDependencies(config), observer: createTurnObserver(route.observability) };

/** `sendMessage`: one chat turn, streamed back to the sender. */
export const handler = createWebSocketRoute(route, 'sendMessage', async (request) => {
  const { sessionId, message } = request.frame;
  const turnId = request.frame.turnId ?? crypto.randomUUID();
  route.observability.logger.appendKeys({ sessionId, turnId });
  const attachments = request.frame.attachments?.length
    ? await checkAttachments(turn.attachments ?? noUploads(), {
        userId: request.userId,
        sessionId,
        attachments: request.frame.attachments,
      })
    : undefined;
  await runTurn(turn, {
    sessionId,
    message,
    turnId,
    attachments,
    userId: request.userId,
    connectionId: request.connectionId,
    reply: request.reply,
    remainingTimeMs: request.remainingTimeMs,
  });
});

function noUploads(): never {
  throw new UploadsUnavailableError();
}
