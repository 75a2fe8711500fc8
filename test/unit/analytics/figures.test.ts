import { describe, expect, it } from 'vitest';
import { createMemoryStatsLedger } from '../../../src/adapters/memory/memory-stats-ledger.ts';
import { FIGURES, reportFigures } from '../../../src/analytics/figures.ts';
import { HOUR_MS } from '../../../src/analytics/stats-ledger.ts';
import { viewOf } from '../../../src/analytics/stats-view.ts';
import type { TurnFacts } from '../../../src/analytics/turn-facts.ts';
import type { FigureReport } from '../../../src/protocol/server-frame.ts';

/** 2026-11-30 10:00 UTC. */
const T0 = Date.UTC(2026, 10, 30, 10);
const MINUTE = 60_000;

function facts(overrides: Partial<TurnFacts> = {}): TurnFacts {
  const finishedAt = overrides.finishedAt ?? T0 + 5 * MINUTE;
  const durationMs = overrides.durationMs ?? 2_000;
  return {
    kind: 'turn',
    sessionId: 's-1',
    userId: 'ana',
    startedAt: finishedAt - durationMs,
    finishedAt,
    coldStart: false,
    newSession: false,
    outcome: 'completed',
    stopReason: 'end_turn',
    tools: [],
    usage: { inputTokens: 100, outputTokens: 20 },
    costMicroUsd: 200,
    timeToFirstTokenMs: 400,
    durationMs,
    ...overrides,
  };
}

async function figuresOf(
  all: TurnFacts[],
  refusals: Array<{ userId: string; code: 'RATE_LIMITED'; at: number }> = [],
) {
  const ledger = createMemoryStatsLedger();
  for (const turn of all) await ledger.recordTurn(turn);
  for (const refusal of refusals) await ledger.recordRefusal(refusal);
  const range = { since: T0, until: T0 + 3 * HOUR_MS };
  const reports = reportFigures(viewOf(await ledger.read(range), range));
  const byId = new Map(reports.map((report) => [report.id, report]));
  const figure = (id: string) => byId.get(id) as FigureReport;
  const value = (id: string, label: string) => figure(id).values.find((v) => v.label === label)?.value;
  const series = (id: string, label: string) => figure(id).series?.find((s) => s.label === label)?.values;
  return { reports, figure, value, series };
}

describe('usage figures from the stats ledger', () => {
  it('counts turns, resumes and started sessions per hour', async () => {
    const { value, series } = await figuresOf([
      facts({ sessionId: 'a', newSession: true }),
      facts({ sessionId: 'a', finishedAt: T0 + 20 * MINUTE }),
      facts({ sessionId: 'b', newSession: true, finishedAt: T0 + HOUR_MS + MINUTE }),
      facts({ sessionId: 'b', kind: 'resume', finishedAt: T0 + HOUR_MS + 2 * MINUTE }),
    ]);
    expect(value('turns', 'turns')).toBe(3);
    expect(value('turns', 'resumed')).toBe(1);
    expect(series('turns', 'turns')).toEqual([2, 1, 0]);
    expect(series('turns', 'resumed')).toEqual([0, 1, 0]);
    expect(value('sessions', 'started')).toBe(2);
    expect(series('sessions', 'started')).toEqual([1, 1, 0]);
    expect(series('sessions', 'active')).toEqual([1, 1, 0]);
    expect(value('sessions', 'active')).toBe(2);
  });

  it('measures sessions across hours: turns and minutes, average and p95', async () => {
    const { value } = await figuresOf([
      // Session a: 3 turns from 10:03 to 11:10 (67 minutes); b: one turn of 2 s.
      facts({ sessionId: 'a', finishedAt: T0 + 3 * MINUTE + 2_000 }),
      facts({ sessionId: 'a', finishedAt: T0 + 50 * MINUTE }),
      facts({ sessionId: 'a', finishedAt: T0 + 70 * MINUTE }),
      facts({ sessionId: 'b', finishedAt: T0 + 30 * MINUTE }),
    ]);
    expect(value('sessionTurns', 'average')).toBe(2);
    expect(value('sessionTurns', 'p95')).toBe(3);
    expect(value('sessionMinutes', 'p95')).toBe(67);
    expect(value('sessionMinutes', 'average')).toBe(33.5);
  });

  it('counts tool calls by tool, and per turn', async () => {
    const { value, figure, series } = await figuresOf([
      facts({ tools: ['current_time', 'kb_lookup'] }),
      facts({ tools: ['kb_lookup'] }),
      facts({ tools: [] }),
      facts({ tools: ['kb_lookup'], finishedAt: T0 + 2 * HOUR_MS }),
    ]);
    expect(value('tools', 'calls')).toBe(4);
    expect(value('tools', 'per turn')).toBe(1);
    expect(figure('tools').breakdown).toEqual([
      { key: 'kb_lookup', value: 3 },
      { key: 'current_time', value: 1 },
    ]);
    expect(series('tools', 'kb_lookup')).toEqual([2, 0, 1]);
  });

  it('counts errors by code from failed turns and refused requests; the rate counts only server errors', async () => {
    const { value, figure } = await figuresOf(
      [
        facts(),
        facts(),
        facts({ outcome: 'failed', stopReason: undefined, errorCode: 'MODEL_THROTTLED' }),
        facts({ outcome: 'failed', stopReason: undefined, errorCode: 'INTERNAL' }),
      ],
      [{ userId: 'ana', code: 'RATE_LIMITED', at: T0 + MINUTE }],
    );
    expect(figure('errors').breakdown).toEqual([
      { key: 'INTERNAL', value: 1 },
      { key: 'MODEL_THROTTLED', value: 1 },
      { key: 'RATE_LIMITED', value: 1 },
    ]);
    expect(value('errors', 'errors')).toBe(3);
    expect(value('errors', 'server error rate %')).toBe(50);
    expect(value('throttles', 'MODEL_THROTTLED')).toBe(1);
    expect(value('throttles', 'RATE_LIMITED')).toBe(1);
  });

  it('tells how turns ended, and the share of cold starts', async () => {
    const { value, figure } = await figuresOf([
      facts({ coldStart: true }),
      facts({ outcome: 'interrupted', stopReason: 'cancelled' }),
      facts({ outcome: 'interrupted', stopReason: 'client_gone' }),
      facts({ kind: 'resume', stopReason: 'end_turn' }),
    ]);
    expect(figure('stops').breakdown).toEqual([
      { key: 'end_turn', value: 2 },
      { key: 'cancelled', value: 1 },
      { key: 'client_gone', value: 1 },
    ]);
    expect(value('stops', 'interrupted')).toBe(2);
    expect(value('coldStarts', 'share %')).toBe(25);
    expect(value('coldStarts', 'cold starts')).toBe(1);
  });

  it('adds up tokens, cache tokens included, and the cost per session and per user', async () => {
    const { value, figure } = await figuresOf([
      facts({
        sessionId: 'a',
        userId: 'ana',
        costMicroUsd: 1_000,
        usage: { inputTokens: 10, outputTokens: 5 },
      }),
      facts({
        sessionId: 'b',
        userId: 'ana',
        costMicroUsd: 2_000,
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 300, cacheWriteTokens: 40 },
      }),
      facts({
        sessionId: 'c',
        userId: 'bo',
        costMicroUsd: 3_000,
        usage: { inputTokens: 1, outputTokens: 1 },
      }),
    ]);
    expect(value('tokens', 'input')).toBe(21);
    expect(value('tokens', 'output')).toBe(11);
    expect(value('tokens', 'cache read')).toBe(300);
    expect(value('tokens', 'cache write')).toBe(40);
    expect(value('cost', 'total')).toBe(0.006);
    expect(value('cost', 'per session')).toBe(0.002);
    expect(value('cost', 'per user')).toBe(0.003);
    expect(figure('cost').breakdown).toEqual([
      { key: 'ana', value: 0.003 },
      { key: 'bo', value: 0.003 },
    ]);
  });

  it('counts each answer’s current rating once: a changed rating moves its count, a repeated one adds none', async () => {
    const ledger = createMemoryStatsLedger();
    const at = T0 + 5 * MINUTE;
    await ledger.recordFeedback({ userId: 'ana', rating: 'up', at });
    await ledger.recordFeedback({ userId: 'ana', rating: 'up', at });
    await ledger.recordFeedback({ userId: 'ana', rating: 'down', previous: 'up', at });
    await ledger.recordFeedback({ userId: 'ana', rating: 'up', previous: 'up', at });
    await ledger.recordFeedback({ userId: 'bo', rating: 'down', at: at + HOUR_MS });
    const range = { since: T0, until: T0 + 3 * HOUR_MS };
    const feedback = reportFigures(viewOf(await ledger.read(range), range)).find((f) => f.id === 'feedback');
    expect(feedback?.values).toEqual([
      { label: 'good', value: 1 },
      { label: 'bad', value: 2 },
      { label: 'good %', value: 33.33 },
    ]);
    expect(feedback?.series).toEqual([
      { label: 'good', values: [1, 0, 0] },
      { label: 'bad', values: [1, 1, 0] },
    ]);
    // Ratings are no sessions: they add no active session and no turn.
    expect(viewOf(await ledger.read(range), range).sessions).toEqual([]);
  });

  it('counts handoffs to a person by step and reason, and the average wait for a claim', async () => {
    const ledger = createMemoryStatsLedger();
    const at = T0 + 5 * MINUTE;
    await ledger.recordHandoff({ userId: 'ana', step: 'queued', reason: 'user_request', at });
    await ledger.recordHandoff({
      userId: 'ana',
      step: 'claimed',
      reason: 'user_request',
      waitedMs: 30_000,
      at,
    });
    await ledger.recordHandoff({ userId: 'ana', step: 'released', reason: 'user_request', at });
    await ledger.recordHandoff({ userId: 'bo', step: 'queued', reason: 'low_confidence', at: at + HOUR_MS });
    await ledger.recordHandoff({
      userId: 'bo',
      step: 'claimed',
      reason: 'low_confidence',
      waitedMs: 90_000,
      at: at + HOUR_MS,
    });
    await ledger.recordHandoff({ userId: 'cy', step: 'queued', reason: 'user_request', at: at + HOUR_MS });
    await ledger.recordHandoff({ userId: 'cy', step: 'cancelled', reason: 'user_request', at: at + HOUR_MS });
    const range = { since: T0, until: T0 + 3 * HOUR_MS };
    const view = viewOf(await ledger.read(range), range);
    const handoffs = reportFigures(view).find((f) => f.id === 'handoffs');
    expect(handoffs?.values).toEqual([
      { label: 'handed off', value: 3 },
      { label: 'claimed', value: 2 },
      { label: 'handed back', value: 1 },
      { label: 'cancelled', value: 1 },
      { label: 'average wait s', value: 60 },
    ]);
    expect(handoffs?.series).toEqual([
      { label: 'handed off', values: [1, 2, 0] },
      { label: 'claimed', values: [1, 1, 0] },
    ]);
    expect(handoffs?.breakdown).toEqual([
      { key: 'user_request', value: 2 },
      { key: 'low_confidence', value: 1 },
    ]);
    // Handoffs are no sessions and no turns.
    expect(view.sessions).toEqual([]);
    expect(reportFigures(view).find((f) => f.id === 'turns')?.values[0]?.value).toBe(0);
  });

  it('has no average wait before any claim', async () => {
    const { value } = await figuresOf([facts()]);
    expect(value('handoffs', 'handed off')).toBe(0);
    expect(value('handoffs', 'average wait s')).toBeNull();
  });

  it('has no good share before any rating', async () => {
    const { value } = await figuresOf([facts()]);
    expect(value('feedback', 'good %')).toBeNull();
  });

  it('reads latency percentiles from the histograms, within their 20% buckets', async () => {
    const ttfts = [300, 320, 340, 360, 380, 400, 420, 440, 460, 2_500];
    const { value } = await figuresOf(
      ttfts.map((ms) => facts({ timeToFirstTokenMs: ms, durationMs: ms * 3 })),
    );
    expect(value('timeToFirstToken', 'average')).toBe(592);
    expect(Math.abs((value('timeToFirstToken', 'p50') as number) - 380) / 380).toBeLessThanOrEqual(0.2);
    expect(Math.abs((value('timeToFirstToken', 'p95') as number) - 2_500) / 2_500).toBeLessThanOrEqual(0.2);
    expect(value('turnDuration', 'average')).toBe(1776);
  });

  it('reports nothing measured as null, not zero, where an average or a percentile has no sample', async () => {
    const { value, reports } = await figuresOf([]);
    expect(value('timeToFirstToken', 'p95')).toBeNull();
    expect(value('sessionTurns', 'average')).toBeNull();
    expect(value('cost', 'per user')).toBeNull();
    expect(value('turns', 'turns')).toBe(0);
    expect(reports.map((r) => r.id)).toEqual(FIGURES.map((f) => f.id));
  });

  it('gives every figure a unique id and every series one value per hour', async () => {
    const { reports } = await figuresOf([facts({ tools: ['kb_lookup'], errorCode: 'INTERNAL' })]);
    expect(new Set(FIGURES.map((f) => f.id)).size).toBe(FIGURES.length);
    for (const report of reports) for (const line of report.series ?? []) expect(line.values).toHaveLength(3);
  });
});
