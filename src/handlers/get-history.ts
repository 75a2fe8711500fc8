import { sendOpenHandoff } from '../chat/handoff/send-open-handoff.ts';
import { systemClock } from '../chat/ports.ts';
import { readHistory, sendHistory } from '../chat/read-history.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { callerConnection, createConnectionRegistration } from '../lambda/connection-registration.ts';
import { createHandoffQueue } from '../lambda/handoff-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const { sessions, feedback } = createConversationStorage(config);
const handoffs = { queue: createHandoffQueue(config) };
const registration = createConnectionRegistration(config);

/** `getHistory`: the stored window (in parts if it is long), so a reconnecting client can redraw the conversation. */
export const handler = createWebSocketRoute(route, 'getHistory', async (request) => {
  const { frame, userId, reply } = request;
  route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  // Every tab asks for a history when it connects: from then on a person's replies reach it too.
  const caller = callerConnection(request);
  const registered = caller ? registration.connected(caller) : undefined;
  await sendHistory(
    reply,
    await readHistory({ sessions, feedback, clock: systemClock }, { sessionId: frame.sessionId, userId }),
  );
  // A conversation with (or waiting for) a person says so after its history (docs/protocol.md).
  await sendOpenHandoff(handoffs, { sessionId: frame.sessionId, userId, reply });
  await registered;
});
