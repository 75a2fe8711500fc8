import { readAndSendOpenHandoff } from '../chat/handoff/send-open-handoff.ts';
import { systemClock } from '../chat/ports.ts';
import { sendHistory } from '../chat/read-history.ts';
import { switchBranch } from '../chat/switch-branch.ts';
import { loadConfig } from '../config.ts';
import { createConversationStorage } from '../lambda/chat-dependencies.ts';
import { createChatTable } from '../lambda/chat-table.ts';
import { createHandoffQueue } from '../lambda/handoff-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const route = createRouteContext(config);
const table = createChatTable(config);
const { sessions, turns, feedback } = createConversationStorage(config, table);
const handoffs = { queue: createHandoffQueue(config, table) };

/** `switchBranch`: shows another version of a turn, from there on; answered with the new history. */
export const handler = createWebSocketRoute(route, 'switchBranch', async ({ frame, userId, reply }) => {
  route.observability.logger.appendKeys({ sessionId: frame.sessionId, turnId: frame.turnId });
  const history = await switchBranch(
    { sessions, turns, feedback, clock: systemClock },
    { sessionId: frame.sessionId, turnId: frame.turnId, index: frame.index, userId },
  );
  await sendHistory(reply, history);
  // A history clears what a client shows of a handoff: one still open is sent again after it, as on getHistory.
  await readAndSendOpenHandoff(handoffs, { sessionId: frame.sessionId, userId, reply });
});
