import { withHandoffTool } from '../chat/handoff/handoff-tool.ts';
import { relayUserMessage } from '../chat/handoff/relay-user-message.ts';
import { runTurn } from '../chat/run-turn.ts';
import { loadConfig } from '../config.ts';
import { callerConnection, createConnectionRegistration } from '../lambda/connection-registration.ts';
import { createHandoffDependencies } from '../lambda/handoff-dependencies.ts';
import { createTurnRoute } from '../lambda/turn-route.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const { route, turn, withTurnStats, table } = createTurnRoute(config);
const handoffFor = createHandoffDependencies(config, table, route.observability);
const registration = createConnectionRegistration(config, table);

/**
 * `sendMessage`: one chat turn, streamed back to the sender. While a person has the conversation (a handoff,
 * docs/decisions/0026), the message goes to them instead of the model.
 */
export const handler = createWebSocketRoute(route, 'sendMessage', async (request) => {
  const { sessionId, message } = request.frame;
  const turnId = request.frame.turnId ?? crypto.randomUUID();
  route.observability.logger.appendKeys({ sessionId, turnId });
  const { userId } = request;
  let tools = turn.tools;
  if (userId !== undefined) {
    const handoff = handoffFor(request.sendTo);
    const open = await handoff.queue.find(sessionId);
    if (open && (await relayUserMessage(handoff, open, { userId, message, turnId, reply: request.reply }))) {
      return;
    }
    if (config.handoffTool) {
      const caller = callerConnection(request);
      tools = withHandoffTool(turn.tools, handoff, {
        sessionId,
        userId,
        expiresAt: Math.floor(Date.now() / 1000) + config.turn.sessionTtlSeconds,
        // The asking tab hears of its place in line, whatever it did before.
        beforeHandoff: () => (caller ? registration.connected(caller) : Promise.resolve()),
      });
    }
  }
  const context = { kind: 'turn', sessionId, userId, coldStart: request.coldStart } as const;
  await withTurnStats({ ...turn, tools }, context, (deps) =>
    runTurn(deps, {
      sessionId,
      message,
      turnId,
      attachments: request.frame.attachments,
      userId,
      connectionId: request.connectionId,
      reply: request.reply,
      remainingTimeMs: request.remainingTimeMs,
    }),
  );
});
