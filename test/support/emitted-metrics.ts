import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { createInMemoryMemoryStore } from '../../src/adapters/memory/memory-memory-store.ts';
import { createMemoryRateLimiter } from '../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../src/adapters/memory/memory-session-store.ts';
import { createMemoryStatsLedger } from '../../src/adapters/memory/memory-stats-ledger.ts';
import { createMemoryTurnStore } from '../../src/adapters/memory/memory-turn-store.ts';
import { createMemoryUsageLedger } from '../../src/adapters/memory/memory-usage-ledger.ts';
import { ModelThrottledError } from '../../src/chat/errors.ts';
import type { StoredHandoff } from '../../src/chat/handoff/handoff-ports.ts';
import { resumeTurn } from '../../src/chat/resume-turn.ts';
import { runTurn } from '../../src/chat/run-turn.ts';
import { createToolRegistry } from '../../src/chat/tools/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { createHandoffObserver } from '../../src/lambda/handoff-observer.ts';
import { createObservability, createTurnObserver, recordFeedback } from '../../src/lambda/observability.ts';
import { createTurnStats } from '../../src/lambda/turn-stats.ts';
import { createWebSocketRoute, type RouteContext } from '../../src/lambda/websocket-route.ts';
import { captureJsonLines } from './captured-output.ts';
import { answer, createFakeClock, createFakeModel, toolCall } from './fakes.ts';

/** A metric as CloudWatch files it: namespace, name, and the dimension names and values of one set. */
export interface EmittedMetric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/**
 * Every EMF metric the handlers' code emits, read from what it really prints: the real websocket-route, turn
 * observer and turn stats (fakes for AWS), in a container named `functionName`, run a turn with a tool and
 * prompt-cache tokens, one the model throttles, a refused frame, one cut by the deadline guard and its resume,
 * the counts of a good and a bad rating, and a handoff queued, claimed and released.
 */
export async function emittedMetrics(functionName: string): Promise<EmittedMetric[]> {
  // Powertools counts a cold start only where Lambda says the container was started on demand.
  const initialization = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  const observability = createObservability();
  if (initialization === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = initialization;

  const clock = createFakeClock();
  const stats = createMemoryStatsLedger();
  const config = loadConfig({ CHAT_TABLE_NAME: 't', CHAT_MODEL_ID: 'm' });
  const cached = { inputTokens: 10, outputTokens: 3, cacheReadTokens: 50, cacheWriteTokens: 5 };
  const turn = {
    sessions: createMemorySessionStore(),
    turns: createMemoryTurnStore(),
    rateLimiter: createMemoryRateLimiter(10, clock),
    usage: createMemoryUsageLedger(),
    memories: createInMemoryMemoryStore(),
    model: createFakeModel([
      toolCall({ name: 'current_time', input: {} }),
      answer('Noon.', cached as { inputTokens: number; outputTokens: number }),
      [{ throw: new ModelThrottledError() }],
      // Cut by the deadline guard (stopReason "timeout"), then resumed.
      [{ waitMs: 2_000 }, ...answer('Too late.')],
      answer('Resumed.'),
    ]),
    tools: createToolRegistry([
      { name: 'current_time', description: 'time', input: z.object({}), status: '…', run: async () => ({}) },
    ]),
    clock,
    settings: config.turn,
    observer: createTurnObserver(observability),
  };
  const withTurnStats = createTurnStats({ observability, stats, clock });
  const routeContext: RouteContext = {
    region: 'us-east-1',
    managementEndpoint: 'http://127.0.0.1:1',
    pushFor: () => ({ push: async () => undefined }),
    observability,
    limits: { maxMessageBytes: 1000 },
    refusals: stats,
  };
  const sendMessage = createWebSocketRoute(routeContext, 'sendMessage', async (request) => {
    const { sessionId, message, turnId } = request.frame;
    const context = {
      kind: 'turn',
      sessionId,
      userId: request.userId,
      coldStart: request.coldStart,
    } as const;
    await withTurnStats(turn, context, (deps) =>
      runTurn(deps, {
        sessionId,
        message,
        turnId,
        connectionId: request.connectionId,
        reply: request.reply,
        remainingTimeMs: request.remainingTimeMs,
      }),
    );
  });
  const resume = createWebSocketRoute(routeContext, 'resume', async (request) => {
    const { sessionId, turnId } = request.frame;
    const context = {
      kind: 'resume',
      sessionId,
      userId: request.userId,
      coldStart: request.coldStart,
    } as const;
    await withTurnStats(turn, context, (deps) =>
      resumeTurn(
        deps,
        { sessionId, turnId, connectionId: request.connectionId, reply: request.reply },
        config.resume,
      ),
    );
  });

  // What the sendFeedback handler counts once the rating is stored.
  const sendFeedback = createWebSocketRoute(routeContext, 'sendFeedback', async ({ frame }) =>
    recordFeedback(observability, frame.rating, frame.comment !== undefined),
  );

  // What the handoff routes count: queued (by reason), claimed (time to claim), released (time to resolve).
  const handoffs = createHandoffObserver(observability, stats);
  const handoffSteps = createWebSocketRoute(routeContext, 'claimHandoff', async () => {
    const handoff: StoredHandoff = {
      sessionId: crypto.randomUUID(),
      userId: 'u-1',
      reason: 'user_request',
      summary: 'Asked for a person',
      status: 'queued',
      queuedAt: clock.now(),
      events: [],
      expiresAt: clock.now() / 1000 + 3600,
    };
    await handoffs.queued?.(handoff);
    await handoffs.claimed?.(
      { ...handoff, status: 'claimed', agentId: 'a-1', claimedAt: clock.now() + 500 },
      500,
    );
    await handoffs.resolved?.({ ...handoff, status: 'claimed', agentId: 'a-1' }, 'released', 2_000);
  });

  const sessionId = crypto.randomUUID();
  const event = (frame: unknown) =>
    ({
      body: JSON.stringify(frame),
      isBase64Encoded: false,
      requestContext: { connectionId: 'c-1', routeKey: 'sendMessage', apiId: 'a', stage: 'ci' },
    }) as unknown as APIGatewayProxyWebsocketEventV2;
  const context = (remainingMs = 20_000) =>
    ({ functionName, awsRequestId: 'r', getRemainingTimeInMillis: () => remainingMs }) as Context;
  const send = (message: string, turnId = crypto.randomUUID()) =>
    event({ action: 'sendMessage', sessionId, message, turnId });
  const lateTurn = crypto.randomUUID();
  const lines = await captureJsonLines(async () => {
    await sendMessage(send('What time is it?'), context());
    await sendMessage(send('Again'), context());
    await sendMessage(event({ action: 'sendMessage' }), context());
    // 100 ms before the deadline margin (CHAT_DEADLINE_MARGIN_MS) runs out.
    await sendMessage(send('A long one', lateTurn), context(config.turn.deadlineMarginMs + 100));
    await resume(event({ action: 'resume', sessionId, turnId: lateTurn }), context());
    await handoffSteps(event({ action: 'claimHandoff', sessionId }), context());
    for (const rating of ['up', 'down'] as const) {
      const frame = { action: 'sendFeedback', sessionId, turnId: lateTurn, rating, comment: 'Why' };
      await sendFeedback(event(frame), context());
    }
  });
  return lines
    .filter((line) => '_aws' in line)
    .flatMap((line) => {
      const { CloudWatchMetrics } = line._aws as {
        CloudWatchMetrics: Array<{
          Namespace: string;
          Dimensions: string[][];
          Metrics: Array<{ Name: string }>;
        }>;
      };
      return CloudWatchMetrics.flatMap((directive) =>
        directive.Dimensions.flatMap((set) =>
          directive.Metrics.map((metric) => ({
            namespace: directive.Namespace,
            name: metric.Name,
            dimensions: Object.fromEntries(set.map((name) => [name, String(line[name])])),
          })),
        ),
      );
    });
}
