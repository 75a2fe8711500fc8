import { withHandoffTool } from '../chat/handoff/handoff-tool.ts';
import { handOffOnLowConfidence } from '../chat/handoff/low-confidence.ts';
import { relayUserMessage } from '../chat/handoff/relay-user-message.ts';
import { runTurn } from '../chat/run-turn.ts';
import type { TurnSummary } from '../chat/turn.ts';
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
  let afterTurn: ((summary: TurnSummary) => Promise<unknown>) | undefined;
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
      // The server's low-confidence rule, after a completed turn that used tools (docs/decisions/0026).
      afterTurn = async (summary) => {
        if (summary.outcome !== 'completed' || summary.toolCalls === 0) return;
        await handOffOnLowConfidence(handoff, {
          sessionId,
          userId,
          expiresAt: Math.floor(Date.now() / 1000) + config.turn.sessionTtlSeconds,
          afterMisses: config.handoffAfterKbMisses,
          beforeHandoff: () => (caller ? registration.connected(caller) : Promise.resolve()),
        }).catch((error: unknown) =>
          route.observability.logger.warn('low-confidence rule not applied', { error }),
        );
      };
    }
  }
  const context = { kind: 'turn', sessionId, userId, coldStart: request.coldStart } as const;
  let summary: TurnSummary | undefined;
  await withTurnStats({ ...turn, tools }, context, async (deps) => {
    summary = await runTurn(deps, {
      sessionId,
      message,
      turnId,
      attachments: request.frame.attachments,
      userId,
      connectionId: request.connectionId,
      reply: request.reply,
      remainingTimeMs: request.remainingTimeMs,
    });
  });
  if (summary && afterTurn) await afterTurn(summary);
});
