import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createInMemoryMemoryStore } from '../../../src/adapters/memory/memory-memory-store.ts';
import { createMemoryRateLimiter } from '../../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { createMemoryStatsLedger } from '../../../src/adapters/memory/memory-stats-ledger.ts';
import { createMemoryTurnStore } from '../../../src/adapters/memory/memory-turn-store.ts';
import { createMemoryUsageLedger } from '../../../src/adapters/memory/memory-usage-ledger.ts';
import { HOUR_MS } from '../../../src/analytics/stats-ledger.ts';
import { ModelThrottledError } from '../../../src/chat/errors.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { createToolRegistry } from '../../../src/chat/tools/registry.ts';
import { loadConfig } from '../../../src/config.ts';
import { createObservability, createTurnObserver } from '../../../src/lambda/observability.ts';
import { createTurnStats } from '../../../src/lambda/turn-stats.ts';
import { captureJsonLines, metricsIn } from '../../support/captured-output.ts';
import {
  answer,
  createFakeClock,
  createFakeModel,
  createRecordingReply,
  toolCall,
} from '../../support/fakes.ts';

function setup(model: ReturnType<typeof createFakeModel>) {
  const observability = createObservability();
  const clock = createFakeClock();
  const stats = createMemoryStatsLedger();
  const turn = {
    sessions: createMemorySessionStore(),
    turns: createMemoryTurnStore(),
    rateLimiter: createMemoryRateLimiter(10, clock),
    usage: createMemoryUsageLedger(),
    memories: createInMemoryMemoryStore(),
    model,
    tools: createToolRegistry([
      {
        name: 'current_time',
        description: 'time',
        input: z.object({}),
        status: 'Checking the time…',
        run: async () => ({ time: '12:00' }),
      },
    ]),
    clock,
    settings: loadConfig({ CHAT_TABLE_NAME: 't', CHAT_MODEL_ID: 'm' }).turn,
    observer: createTurnObserver(observability),
  };
  const withTurnStats = createTurnStats({ observability, stats, clock });
  const sessionId = crypto.randomUUID();
  const ask = (message: string, coldStart = false) =>
    withTurnStats(turn, { kind: 'turn', sessionId, userId: 'ana', coldStart }, (deps) =>
      runTurn(deps, {
        sessionId,
        message,
        userId: 'ana',
        connectionId: 'c-1',
        reply: createRecordingReply(),
      }),
    );
  const rows = () => stats.read({ since: clock.now() - HOUR_MS, until: clock.now() + HOUR_MS });
  return { observability, ask, rows, sessionId };
}

describe('the turn stats a route records', () => {
  it('records a turn in its session-hour row: the tools it called, tokens, cost, cold start, new session', async () => {
    const { ask, rows, sessionId } = setup(
      createFakeModel([toolCall({ name: 'current_time', input: {} }), answer('Noon.'), answer('Again.')]),
    );
    await ask('What time is it?', true);
    await ask('And now?');
    const [row] = await rows();
    expect(row).toMatchObject({ kind: 'session', sessionId, userId: 'ana' });
    expect(row?.counters).toMatchObject({
      turns: 2,
      sessionsStarted: 1,
      coldStarts: 1,
      'tool.current_time': 1,
      'outcome.completed': 2,
      'stop.end_turn': 2,
      inputTokens: 30,
      outputTokens: 12,
      costMicroUsd: 90,
      'ttft.count': 2,
    });
  });

  it('counts prompt-cache reads and writes, and prices them at the cache prices', async () => {
    const { ask, rows, observability } = setup(
      createFakeModel([
        answer('Cached.', { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2000, cacheWriteTokens: 400 }),
      ]),
    );
    const lines = await captureJsonLines(async () => {
      await ask('Hi');
      observability.metrics.publishStoredMetrics();
    });
    const [row] = await rows();
    // Default prices per million tokens: input 1, output 5, cache read 0.1, cache write 1.25 (in micro-USD
    // per token): 10 + 25 + 200 + 500.
    expect(row?.counters).toMatchObject({
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 2000,
      cacheWriteTokens: 400,
      costMicroUsd: 735,
    });
    const [emitted] = metricsIn(lines).filter((m) => 'TurnDuration' in m.values);
    expect(emitted?.values).toMatchObject({
      CacheReadTokens: 2000,
      CacheWriteTokens: 400,
      EstimatedCostMicroUsd: 735,
    });
  });

  it('records a failed turn with its error code, and emits Turns and SessionsStarted only when they happened', async () => {
    const { ask, rows, observability } = setup(
      createFakeModel([[{ throw: new ModelThrottledError() }], answer('Hello.')]),
    );
    const lines = await captureJsonLines(async () => {
      await ask('Hi');
      observability.metrics.publishStoredMetrics();
      await ask('Hi again');
      observability.metrics.publishStoredMetrics();
    });
    const [row] = await rows();
    expect(row?.counters).toMatchObject({ turns: 2, 'error.MODEL_THROTTLED': 1, 'outcome.failed': 1 });
    // The failed first turn saved nothing, so the second one created the session.
    expect(row?.counters.sessionsStarted).toBe(1);
    const emitted = metricsIn(lines).filter((m) => 'TurnDuration' in m.values);
    expect(emitted.map((m) => [m.values.Turns, m.values.SessionsStarted])).toEqual([
      [1, undefined],
      [1, 1],
    ]);
  });

  it('records nothing for a turn refused before it ran (the route counts the refusal)', async () => {
    const { ask, rows } = setup(createFakeModel(Array.from({ length: 10 }, () => answer('Yes.'))));
    for (let i = 0; i < 10; i++) await ask(`question ${i}`);
    await expect(ask('one too many')).rejects.toThrow(/Too many messages/);
    const [row] = await rows();
    expect(row?.counters.turns).toBe(10);
    expect(row?.counters['error.RATE_LIMITED']).toBeUndefined();
  });
});
