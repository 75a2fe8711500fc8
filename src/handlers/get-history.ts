import { sendOpenHandoff } from '../chat/handoff/send-open-handoff.ts';
import { systemClock } from '../chat/ports.ts';
import { readHistory, sendHistory } from '../chat/read-history.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createChatTable } from '../lambda/chat-table.ts';
import { callerConnection, createConnectionRegistration } from '../lambda/connection-registration.ts';
import { createHandoffQueue } from '../lambda/handoff-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
// One DynamoDB client for the history, the open handoff and the connection registry.
const table = createChatTable(config);
const { sessions, feedback } = createConversationStorage(config, table);
const handoffs = { queue: createHandoffQueue(config, table) };
const registration = createConnectionRegistration(config, table);

/** `getHistory`: the stored window (in parts if it is long), so a reconnecting client can redraw the conversation. */
export const handler = createWebSocketRoute(route, 'getHistory', async (request) => {
  const { frame, userId, reply } = request;
  route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  // Every tab asks for a history when it connects: from then on a person's replies reach it too.
  const caller = callerConnection(request);
  // The three reads and writes at once: a slow table delays the answer by one round trip, not three.
  const [history, handoff] = await Promise.all([
    readHistory({ sessions, feedback, clock: systemClock }, { sessionId: frame.sessionId, userId }),
    // Not reading it never costs the history: the tab then learns its handoff from the next frame about it.
    userId === undefined ? undefined : handoffs.queue.find(frame.sessionId).catch(() => undefined),
    caller ? registration.connected(caller) : undefined,
  ]);
  await sendHistory(reply, history);
  // A conversation with (or waiting for) a person says so after its history (docs/protocol.md).
  await sendOpenHandoff(handoffs, { handoff, history, userId, reply });
});
