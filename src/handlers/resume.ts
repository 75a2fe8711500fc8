import { readAndSendOpenHandoff } from '../chat/handoff/send-open-handoff.ts';
import { resumeTurn } from '../chat/resume-turn.ts';
import { loadConfig } from '../config.ts';
import { callerConnection, createConnectionRegistration } from '../lambda/connection-registration.ts';
import { createHandoffQueue } from '../lambda/handoff-dependencies.ts';
import { createTurnRoute } from '../lambda/turn-route.ts';
import { createWebSocketRoute } from '../lambda/websocket-route.ts';

const config = loadConfig();
const { route, turn, withTurnStats, table } = createTurnRoute(config);
const handoffs = { queue: createHandoffQueue(config, table) };
const registration = createConnectionRegistration(config, table);

/** `resume`: after a reconnect, continues the answer the old connection was receiving. */
export const handler = createWebSocketRoute(route, 'resume', async (request) => {
  const { sessionId, turnId } = request.frame;
  const { userId, reply } = request;
  route.observability.logger.appendKeys({ sessionId, turnId });
  const context = { kind: 'resume', sessionId, userId, coldStart: request.coldStart } as const;
  // A tab reloaded mid-answer resumes instead of asking for a history: it joins the registry here instead.
  const caller = callerConnection(request);
  const registered = caller ? registration.connected(caller) : undefined;
  await withTurnStats(turn, context, (deps) =>
    resumeTurn(
      deps,
      {
        sessionId,
        turnId,
        userId,
        connectionId: request.connectionId,
        reply,
        remainingTimeMs: request.remainingTimeMs,
      },
      config.resume,
    ),
  );
  await registered;
  // As after a history: the open handoff and what was said in it (docs/protocol.md).
  await readAndSendOpenHandoff(handoffs, { sessionId, userId, reply });
});
