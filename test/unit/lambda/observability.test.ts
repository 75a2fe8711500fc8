import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createInMemoryMemoryStore } from '../../../src/adapters/memory/memory-memory-store.ts';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { createMemoryTurnStore } from '../../../src/adapters/memory/memory-turn-store.ts';
import { createMemoryUsageLedger } from '../../../src/adapters/memory/memory-usage-ledger.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { createToolRegistry } from '../../../src/chat/tools/registry.ts';
import { loadConfig } from '../../../src/config.ts';
import {
  createObservability,
  createTurnObserver,
  METRICS_NAMESPACE,
} from '../../../src/lambda/observability.ts';
import { captureJsonLines, metricsIn } from '../../support/captured-output.ts';
import {
  answer,
  createFakeClock,
  createFakeModel,
  createRecordingReply,
  toolCall,
} from '../../support/fakes.ts';

describe('logs and metrics of a turn', () => {
  it('logs the tool decision and emits tool, latency, duration and token metrics in EMF', async () => {
    const observability = createObservability();
    observability.logger.appendKeys({ connectionId: 'conn-9', sessionId: 's-9', turnId: 't-9' });
    const clock = createFakeClock();
    const settings = loadConfig({ CHAT_TABLE_NAME: 't', CHAT_MODEL_ID: 'm' }).turn;
    const deps = {
      sessions: createMemorySessionStore(),
      turns: createMemoryTurnStore(),
      rateLimiter: createMemoryRateLimiter(10, clock),
      usage: createMemoryUsageLedger(),
      memories: createInMemoryMemoryStore(),
      model: createFakeModel([
        toolCall({ name: 'kb_lookup', input: { query: 'refund policy' } }),
        answer('Within 30 days.', { inputTokens: 40, outputTokens: 8 }),
      ]),
      tools: createToolRegistry([
        {
          name: 'kb_lookup',
          description: 'search',
          input: z.object({ query: z.string() }),
          status: 'Searching…',
          run: async () => ({ passages: [] }),
        },
      ]),
      clock,
      settings,
      observer: createTurnObserver(observability),
    };

    const lines = await captureJsonLines(async () => {
      await runTurn(deps, {
        connectionId: 'conn-9',
        sessionId: 's-9',
        turnId: 't-9',
        message: 'What is the refund policy?',
        reply: createRecordingReply(),
      });
      observability.metrics.publishStoredMetrics();
    });

    const toolUse = lines.find((line) => line.message === 'toolUse');
    expect(toolUse).toMatchObject({
      level: 'INFO',
      service: 'chat',
      connectionId: 'conn-9',
      sessionId: 's-9',
      turnId: 't-9',
      tool: 'kb_lookup',
      input: { query: 'refund policy' },
      status: 'success',
    });
    expect(lines.find((line) => line.message === 'turn finished')).toMatchObject({
      turnId: 't-9',
      outcome: 'completed',
      modelCalls: 2,
      toolCalls: 1,
      usage: { inputTokens: 50, outputTokens: 10 },
    });
    // Where the time to the first token went, in order, for telling slow storage from a slow model.
    const finished = lines.find((line) => line.message === 'turn finished');
    const { readyMs, firstTextMs, firstTokenMs } = (finished?.timings ?? {}) as {
      readyMs: number;
      firstTextMs: number;
      firstTokenMs: number;
    };
    expect(readyMs).toBeGreaterThanOrEqual(0);
    expect(firstTextMs).toBeGreaterThanOrEqual(readyMs);
    expect(firstTokenMs).toBeGreaterThanOrEqual(firstTextMs);

    const metrics = metricsIn(lines);
    expect(metrics.every((m) => m.namespace === METRICS_NAMESPACE)).toBe(true);
    expect(metrics).toContainEqual(
      expect.objectContaining({
        dimensions: { service: 'chat', tool: 'kb_lookup' },
        values: { ToolInvocations: 1 },
      }),
    );
    const turn = metrics.find((m) => 'TurnDuration' in m.values);
    expect(turn?.values).toMatchObject({
      InputTokens: 50,
      OutputTokens: 10,
      TimeToReady: expect.any(Number),
      ModelTimeToFirstText: expect.any(Number),
      TimeToFirstToken: expect.any(Number),
      TurnDuration: expect.any(Number),
    });
  });

  it('logs a dropped citation with its turn and numbers, and counts it in the CitationsDropped metric', async () => {
    const observability = createObservability();
    const lines = await captureJsonLines(async () => {
      createTurnObserver(observability).citationsDropped?.({ turnId: 't-3', numbers: [4, 7] });
      observability.metrics.publishStoredMetrics();
    });

    expect(lines.find((line) => line.level === 'WARN')).toMatchObject({ turnId: 't-3', numbers: [4, 7] });
    expect(metricsIn(lines)).toContainEqual(expect.objectContaining({ values: { CitationsDropped: 2 } }));
  });
});
