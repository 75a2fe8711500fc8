import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SMOKE_OPTIONS } from '../../bench/options.ts';
import { renderReport } from '../../bench/report.ts';
import type { BenchResults } from '../../bench/results.ts';
import { runBenchmark } from '../../bench/run-benchmark.ts';

const stack = inject('stack');
const outDir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Latency percentiles of `n` samples: numbers in order, whatever their values (no timing is asserted). */
const summaryOf = (n: number) => ({
  n,
  p50: expect.any(Number),
  p95: expect.any(Number),
  p99: expect.any(Number),
  max: expect.any(Number),
});

/**
 * `npm run bench` with tiny counts against the integration stack (auth on, so its socket sections sign in), so
 * the benchmark cannot rot: every section runs, the results file is complete and the report renders.
 */
describe('the benchmark, smoke-sized', () => {
  it('runs every section with tiny counts and writes a results file with every figure', async () => {
    const file = join(outDir, 'results.json');
    writeFileSync(file, JSON.stringify(await runBenchmark(stack, SMOKE_OPTIONS)));
    const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;

    expect(results).toMatchObject({ format: 'bench-results', version: 1, meta: { mode: 'smoke' } });
    expect(results.meta.machine.nproc).toBeGreaterThan(0);
    expect(results.targets).toHaveLength(13);
    for (const target of results.targets) expect(typeof target.met).toBe('boolean');

    expect(results.handlerOverhead?.rows).toHaveLength(4);
    for (const row of results.handlerOverhead?.rows ?? []) {
      expect(row).toMatchObject({ turns: 4, errors: 0, firstTokenMs: summaryOf(4), doneMs: summaryOf(4) });
      expect(row.cpuMsPerTurn).toBeGreaterThan(0);
    }
    const phases = (design: string) =>
      results.handlerOverhead?.rows
        .filter((row) => row.design === design)
        .map((row) => row.firstTokenPhasesMs);
    // Ours logs where its first token's time went; the reference design logs nothing.
    expect(phases('ours')).toMatchObject([
      { ready: summaryOf(4), model: summaryOf(4), push: summaryOf(4) },
      { ready: summaryOf(4), model: summaryOf(4), push: summaryOf(4) },
    ]);
    expect(phases('reference')).toEqual([null, null]);

    const [noTool, oneTool, longAnswer] = results.comparison?.cases ?? [];
    expect(noTool).toMatchObject({
      ours: { errors: 0, modelCallsPerTurn: 1, dynamodbCallsPerTurn: expect.any(Number) },
      reference: {
        errors: 0,
        modelCallsPerTurn: 2,
        dynamodbCallsPerTurnByOperation: { GetItem: 1, PutItem: 1 },
      },
      ratios: { firstTokenP50: expect.any(Number), modelCallsPerTurn: 0.5 },
    });
    expect(oneTool).toMatchObject({
      ours: { errors: 0, modelCallsPerTurn: 2 },
      reference: { errors: 0, modelCallsPerTurn: 2 },
    });
    expect(longAnswer?.ours.tokensPerTurn).toBe(SMOKE_OPTIONS.comparison.longAnswerTokens);
    expect(longAnswer?.reference.pushesPerTurn).toBe(SMOKE_OPTIONS.comparison.longAnswerTokens + 1);
    expect(results.comparison?.firstTokenBeyondModelMs).toEqual({
      shortAnswer: expect.any(Number),
      longAnswer: expect.any(Number),
    });

    expect(results.offline?.rows.map((row) => [row.concurrency, row.errors])).toEqual([
      [1, 0],
      [2, 0],
    ]);

    expect(results.coldStart?.handlers.map((row) => row.handler)).toContain('sendMessage');
    for (const row of results.coldStart?.handlers ?? []) {
      expect(row.bundleBytes).toBeGreaterThan(row.zippedBytes);
      expect(row).toMatchObject({
        loads: 1,
        loadMsMedian: expect.any(Number),
        rssMbMedian: expect.any(Number),
      });
    }

    expect(results.scale?.levels.map((level) => [level.sockets, level.errors, level.lost])).toEqual([
      [1, 0, 0],
      [2, 0, 0],
    ]);
    for (const level of results.scale?.levels ?? []) expect(level.stored).toBe(level.completed);
    expect(results.scale?.windowGrowth.map((row) => [row.storedMessages, row.errors])).toEqual([
      [0, 0],
      [10, 0],
      [20, 0],
    ]);

    // The emulator's own first event: in process, and through the SDK over both transports it serves.
    expect(results.emulator).toMatchObject({
      inProcess: summaryOf(SMOKE_OPTIONS.emulator.requests),
      sdkHttp1: summaryOf(SMOKE_OPTIONS.emulator.requests),
      sdkDefault: summaryOf(SMOKE_OPTIONS.emulator.requests),
    });

    expect(results.stop?.rows).toHaveLength(2);
    for (const row of results.stop?.rows ?? []) {
      expect(row.stops).toBeGreaterThan(0);
      expect(row.frozenAsShown).toBe(row.stops);
      expect(row.stopToDoneMs).toMatchObject(summaryOf(row.stops));
    }

    // The long conversation: every turn answered on both designs, each call billed, the summary folded.
    const [conversation] = results.conversation?.models ?? [];
    const { turns } = SMOKE_OPTIONS.conversation;
    expect(conversation?.ours).toMatchObject({ errors: 0, rememberedFirstTurnFact: true });
    expect(conversation?.reference).toMatchObject({ errors: 0, rememberedFirstTurnFact: false });
    expect(conversation?.ours.turns).toHaveLength(turns);
    // One answer call a turn, and at least one summary call once the window overflowed.
    expect(conversation?.ours.totals.modelCalls).toBeGreaterThan(turns);
    expect(conversation?.reference.totals.modelCalls).toBeGreaterThanOrEqual(2 * turns);
    for (const turn of [...(conversation?.ours.turns ?? []), ...(conversation?.reference.turns ?? [])]) {
      expect(turn.inputTokens + turn.cacheReadInputTokens + turn.cacheWriteInputTokens).toBeGreaterThan(0);
    }
    expect(conversation?.ratios.inputCost).toBeGreaterThan(0);

    const report = renderReport(results);
    for (const heading of [
      'Figures to reach',
      '1. Handler',
      '2. Through',
      '3. Against',
      '4. Cold',
      '5. Scale',
      '6. The emulator',
      '7. Stop',
      '8. A long conversation',
    ])
      expect(report).toContain(heading);
  }, 300_000);
});
