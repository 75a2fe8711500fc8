import { describe, expect, it } from 'vitest';
import { createMemoryStatsLedger } from '../../../src/adapters/memory/memory-stats-ledger.ts';
import { AdminOnlyError, StatsRangeError } from '../../../src/analytics/errors.ts';
import { readStats } from '../../../src/analytics/read-stats.ts';
import { createFakeClock } from '../../support/fakes.ts';

const clock = createFakeClock(Date.UTC(2026, 10, 30, 12, 30));
const turn = {
  kind: 'turn' as const,
  sessionId: 's-1',
  startedAt: Date.UTC(2026, 10, 30, 11, 10),
  finishedAt: Date.UTC(2026, 10, 30, 11, 10, 2),
  coldStart: false,
  newSession: true,
  outcome: 'completed' as const,
  tools: [],
  usage: { inputTokens: 1, outputTokens: 1 },
  costMicroUsd: 6,
  durationMs: 2_000,
};

async function ledgerWithTwoUsers() {
  const stats = createMemoryStatsLedger();
  await stats.recordTurn({ ...turn, userId: 'ana' });
  await stats.recordTurn({ ...turn, userId: 'bo', sessionId: 's-2' });
  return stats;
}

describe('reading usage statistics', () => {
  it('refuses anyone outside the admins group with FORBIDDEN, before reading anything', async () => {
    const stats = await ledgerWithTwoUsers();
    const read = (groups: string[]) => readStats({ stats, clock }, { groups, since: '2026-11-30T00:00:00Z' });
    await expect(read([])).rejects.toBeInstanceOf(AdminOnlyError);
    await expect(read(['Admins', 'support'])).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('gives an admin every figure over whole hours up to now, or one user’s', async () => {
    const stats = await ledgerWithTwoUsers();
    const frame = await readStats({ stats, clock }, { groups: ['admins'], since: '2026-11-30T10:20:00Z' });
    expect(frame).toMatchObject({
      type: 'stats',
      sessionId: null,
      since: '2026-11-30T10:00:00.000Z',
      until: '2026-11-30T12:30:00.000Z',
    });
    expect(frame.hours.map((hour) => new Date(hour).toISOString().slice(11, 13))).toEqual(['10', '11', '12']);
    const turns = (f: typeof frame) => f.figures.find((figure) => figure.id === 'turns')?.values[0]?.value;
    expect(turns(frame)).toBe(2);
    const ana = await readStats(
      { stats, clock },
      { groups: ['admins'], since: '2026-11-30T10:00:00Z', userId: 'ana' },
    );
    expect(ana.userId).toBe('ana');
    expect(turns(ana)).toBe(1);
  });

  it('refuses a range longer than 31 days, or one that ends before it starts', async () => {
    const stats = createMemoryStatsLedger();
    const read = (since: string, until?: string) =>
      readStats({ stats, clock }, { groups: ['admins'], since, until });
    await expect(read('2026-10-01T00:00:00Z')).rejects.toBeInstanceOf(StatsRangeError);
    await expect(read('2026-11-30T12:00:00Z', '2026-11-30T11:00:00Z')).rejects.toMatchObject({
      code: 'INVALID_FRAME',
    });
    await expect(read('2026-10-31T00:00:00Z', '2026-12-01T00:00:00Z')).resolves.toMatchObject({
      type: 'stats',
    });
  });
});
