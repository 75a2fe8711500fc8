import { sendAgentMessage } from '../chat/handoff/agent-message.ts';
import { claimHandoff } from '../chat/handoff/claim-handoff.ts';
import { cancelHandoff, releaseHandoff } from '../chat/handoff/close-handoff.ts';
import { listHandoffs } from '../chat/handoff/list-handoffs.ts';
import { loadConfig } from '../config.ts';
import { createChatTable } from '../lambda/chat-table.ts';
import { callerConnection, createConnectionRegistration } from '../lambda/connection-registration.ts';
import { FrameRefusedError } from '../lambda/errors.ts';
import { createHandoffDependencies } from '../lambda/handoff-dependencies.ts';
import { createRouteContext } from '../lambda/route-context.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';
import { unknownActionProblem } from '../protocol/client-frame.ts';

const config = loadConfig();
const route = createRouteContext(config);
const table = createChatTable(config);
const handoffFor = createHandoffDependencies(config, table, route.observability);
const registration = createConnectionRegistration(config, table);

/**
 * The handoff routes (docs/protocol.md): `cancelHandoff` for the user; `listHandoffs`, `claimHandoff`,
 * `agentMessage` and `releaseHandoff` for agents (the `agents` group, FORBIDDEN for anyone else).
 */
export const handler = createWebSocketRoute(route, undefined, async (request) => {
  const { frame, userId, groups, reply } = request;
  const deps = handoffFor(request.sendTo);
  // An agent's console (or a user's tab) that acts here hears of what follows: the queue, replies.
  const caller = callerConnection(request);
  if (caller) await registration.connected(caller);
  if ('sessionId' in frame && frame.sessionId)
    route.observability.logger.appendKeys({ sessionId: frame.sessionId });
  switch (frame.action) {
    case 'cancelHandoff':
      return cancelHandoff(deps, { sessionId: frame.sessionId, userId });
    case 'listHandoffs':
      return listHandoffs(deps, { userId, groups, reply });
    case 'claimHandoff':
      return claimHandoff(deps, { sessionId: frame.sessionId, userId, groups, reply });
    case 'agentMessage':
      return sendAgentMessage(deps, {
        sessionId: frame.sessionId,
        message: frame.message,
        userId,
        groups,
        reply,
      });
    case 'releaseHandoff':
      return releaseHandoff(deps, { sessionId: frame.sessionId, userId, groups });
    default:
      throw new FrameRefusedError(unknownActionProblem(frame.action));
  }
});
